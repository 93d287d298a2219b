/**
 * Colombian identity numbers (docs/spec/colombia.md): cédula (CC), cédula de extranjería (CE) and NIT with its DIAN
 * check digit. People type separators; we remove spaces, dots and commas and accept 5–15 digits, optionally
 * followed by `-` and one check digit.
 */
export type IdNumberResult =
  { ok: true; idNumber: string; checkDigit: number | null } | { ok: false; reason: 'format' | 'check_digit' };

const WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71] as const;
const SHAPE = /^(\d{5,15})(?:-(\d))?$/;

/** DIAN check digit of a NIT base number (weights from the rightmost digit leftwards). */
export function nitCheckDigit(base: string): number {
  let s = 0;
  for (let i = 0; i < base.length; i++) {
    const digit = base.charCodeAt(base.length - 1 - i) - 48;
    s += digit * (WEIGHTS[i] ?? 0);
  }
  const r = s % 11;
  return r <= 1 ? r : 11 - r;
}

/**
 * Normalises what a payer typed. A trailing `-D` is validated as a NIT check digit and removed: the ERP gets
 * the base number. A number without a hyphen is taken as is; a check digit is never guessed.
 */
export function normalizeIdNumber(input: unknown): IdNumberResult {
  if (typeof input !== 'string' || input.length > 64) return { ok: false, reason: 'format' };
  const compact = input.replace(/[\s.,]/g, '');
  const m = SHAPE.exec(compact);
  if (!m || m[1] === undefined) return { ok: false, reason: 'format' };
  const base = m[1];
  if (m[2] === undefined) return { ok: true, idNumber: base, checkDigit: null };
  const given = Number(m[2]);
  if (nitCheckDigit(base) !== given) return { ok: false, reason: 'check_digit' };
  return { ok: true, idNumber: base, checkDigit: given };
}
