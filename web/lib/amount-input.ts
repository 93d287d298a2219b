import { formatMinor, parseExactMinor, type Currency } from '../../shared/money';

/**
 * What a payer types in an amount field, as minor units, or null. People in Colombia write thousands with
 * dots ("25.000") and decimals with a comma; read naively, "25.000" pesos would become 25 pesos. So:
 * spaces and a leading "$" are dropped; a number whose separators all precede groups of three digits is
 * read as grouped ("25.000", "1,250,000"); with both separators, the last one is the decimal mark; a lone
 * comma is a decimal comma. The result must then be exact in the currency's precision (parseExactMinor):
 * "25000.5" COP is refused, not rounded.
 */
export function parseAmountInput(text: string, currency: Currency): bigint | null {
  let t = text.replace(/[\s\u00a0]/g, '').replace(/^\$/, '');
  if (t === '' || !/^[0-9.,]+$/.test(t)) return null;
  if (/^\d{1,3}([.,])\d{3}(\1\d{3})*$/.test(t)) {
    t = t.replace(/[.,]/g, '');
  } else if (t.includes('.') && t.includes(',')) {
    const decimalMark = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
    const groupMark = decimalMark === '.' ? ',' : '.';
    const cut = t.lastIndexOf(decimalMark);
    const whole = t.slice(0, cut);
    const fraction = t.slice(cut + 1);
    if (!new RegExp(`^\\d{1,3}(\\${groupMark}\\d{3})+$`).test(whole) || !/^\d+$/.test(fraction)) return null;
    t = `${whole.split(groupMark).join('')}.${fraction}`;
  } else if (t.includes(',')) {
    if (t.split(',').length > 2) return null;
    t = t.replace(',', '.');
  }
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return parseExactMinor(t, currency);
}

export type AmountCheck =
  { ok: true; units: bigint; text: string } | { ok: false; reason: 'format' | 'range' | 'remainder' };

/**
 * An amount the payer chose (docs/spec/pricing.md): the balance B, or a partial X in [E, B − E], so what is
 * left is never under the minimum. `remainder`: X is between the two and would strand a small balance.
 */
export function checkAmount(
  text: string,
  currency: Currency,
  minimum: string,
  maxPartial: string,
  balance: string,
): AmountCheck {
  const units = parseAmountInput(text, currency);
  if (units === null) return { ok: false, reason: 'format' };
  const min = parseExactMinor(minimum, currency);
  const partialMax = parseExactMinor(maxPartial, currency);
  const max = parseExactMinor(balance, currency);
  if (min === null || partialMax === null || max === null || units < min || units > max) {
    return { ok: false, reason: 'range' };
  }
  if (units !== max && units > partialMax) return { ok: false, reason: 'remainder' };
  return { ok: true, units, text: formatMinor(units, currency) };
}

/** Amount text with the currency's precision → minor units (API amounts are always exact). */
export function toUnits(amountText: string, currency: Currency): bigint {
  return parseExactMinor(amountText, currency) ?? 0n;
}

export function sumToText(amounts: readonly string[], currency: Currency): string {
  return formatMinor(
    amounts.reduce((sum, a) => sum + toUnits(a, currency), 0n),
    currency,
  );
}
