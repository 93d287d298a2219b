/**
 * Masks a payer's name for display (docs/spec/http-api.md `maskedName`: "efipay" → "Ef****"): each word keeps its
 * first two letters (the first capitalised) and the rest become asterisks; words of one or two letters keep
 * only their first letter and still get an asterisk, so no word is ever shown whole.
 */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const words = name.trim().split(/\s+/).filter(Boolean).slice(0, 4);
  if (words.length === 0) return null;
  return words
    .map((w) => {
      const chars = Array.from(w);
      const keep = chars.length <= 2 ? 1 : 2;
      const head = chars.slice(0, keep);
      head[0] = (head[0] ?? '').toLocaleUpperCase('es');
      return head.join('') + '*'.repeat(Math.max(1, chars.length - keep));
    })
    .join(' ');
}

/**
 * An id number for display (`•••• 5678`): only its last four digits (of the number, not a NIT's check
 * digit), so a payer can tell which number was looked up and nobody else learns it.
 */
export function maskIdNumber(idNumber: string): string {
  const digits = (idNumber.split('-')[0] ?? '').replace(/\D/g, '');
  return `•••• ${digits.slice(-4)}`;
}
