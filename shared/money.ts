/**
 * Integer money. Amounts are bigint counts of the currency's smallest payable unit (10^-p), so no floating
 * point ever touches a price. Decimals are parsed from their text; rounding is always named by the caller.
 */
export const CURRENCIES = ['COP', 'USD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Payment precision p per currency: PayU Colombia charges whole pesos (pricing.md "Money"). */
export const PRECISION: Readonly<Record<Currency, number>> = { COP: 0, USD: 2, EUR: 2 };

export type Rounding = 'halfUp' | 'up' | 'down' | 'halfEven';

/** A decimal number as an exact integer with a power-of-ten scale: value = int / 10^scale. */
export interface Decimal {
  readonly int: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const MAX_INTEGER_DIGITS = 15;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

/** Parses `"54000.85"`, `20000`, `"-1.5"`; rejects thousands separators, commas, blanks, NaN, Infinity. */
export function parseDecimal(input: string | number): Decimal | null {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return null;
  }
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return null;
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = m[2] ?? '0';
  const frac = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (Math.abs(exp) > 400) return null;
  let int = BigInt(whole + frac) * sign;
  let scale = frac.length - exp;
  if (scale < 0) {
    int *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { int, scale };
}

/** Integer division of n by d (d > 0) with the named rounding. */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const negative = n < 0n;
  const a = negative ? -n : n;
  const q = a / d;
  const r = a % d;
  let up: boolean;
  switch (rounding) {
    case 'down':
      up = false;
      break;
    case 'up':
      up = r > 0n;
      break;
    case 'halfUp':
      up = r * 2n >= d;
      break;
    case 'halfEven':
      up = r * 2n > d || (r * 2n === d && q % 2n === 1n);
      break;
  }
  // Rounding is symmetric around zero ("half up" = half away from zero), which is what money wants.
  const magnitude = up ? q + 1n : q;
  return negative ? -magnitude : magnitude;
}

/** Re-expresses a decimal at `scale` digits with the named rounding. */
export function rescale(value: Decimal, scale: number, rounding: Rounding): bigint {
  if (value.scale <= scale) return value.int * 10n ** BigInt(scale - value.scale);
  return divRound(value.int, 10n ** BigInt(value.scale - scale), rounding);
}

function integerDigits(value: Decimal): number {
  const abs = value.int < 0n ? -value.int : value.int;
  const whole = abs / 10n ** BigInt(value.scale);
  return whole === 0n ? 0 : whole.toString().length;
}

/**
 * An amount from outside (ERP payload, config, API) in minor units, rounded half up to the currency's
 * precision (COP "54000.85" → 54001). Returns null when it is not a number or has more than 15 integer
 * digits; callers decide whether zero or negative values are acceptable.
 */
export function toMinor(input: string | number, currency: Currency): bigint | null {
  const d = parseDecimal(input);
  if (!d || integerDigits(d) > MAX_INTEGER_DIGITS) return null;
  const p = PRECISION[currency];
  const minor = rescale(d, p, 'halfUp');
  // The cap holds after rounding too: "999999999999999.5" COP would otherwise become a 16-digit amount.
  return integerDigits({ int: minor, scale: p }) > MAX_INTEGER_DIGITS ? null : minor;
}

/** Like toMinor, but only strictly positive amounts. */
export function toPositiveMinor(input: unknown, currency: Currency): bigint | null {
  if (typeof input !== 'string' && typeof input !== 'number') return null;
  const v = toMinor(input, currency);
  return v !== null && v > 0n ? v : null;
}

/** The API's text form: exactly p decimals, no separators (COP "25000", USD "25.50"). */
export function formatMinor(units: bigint, currency: Currency): string {
  const p = PRECISION[currency];
  const negative = units < 0n;
  const abs = (negative ? -units : units).toString();
  if (p === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(p + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -p)}.${padded.slice(-p)}`;
}

/**
 * Parses an amount the API receives: it must already be in the currency's precision (no rounding of what a
 * payer typed), e.g. COP "25000" or "25000.00" but not "25000.5"; USD "25.5" or "25.50".
 */
export function parseExactMinor(text: string, currency: Currency): bigint | null {
  const d = parseDecimal(text);
  if (!d || integerDigits(d) > MAX_INTEGER_DIGITS) return null;
  const p = PRECISION[currency];
  if (d.scale > p && d.int % 10n ** BigInt(d.scale - p) !== 0n) return null;
  return rescale(d, p, 'down');
}

/** amount × rate / divisor, rounded as named; rate is a decimal (percent points with divisor 100). */
export function applyRate(amount: bigint, rate: Decimal, divisor: bigint, rounding: Rounding): bigint {
  return divRound(amount * rate.int, divisor * 10n ** BigInt(rate.scale), rounding);
}

export function maxMinor(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b > a ? b : a));
}

export function minMinor(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b < a ? b : a));
}

/**
 * Splits `total` across `weights` so the shares always add up to `total` exactly (largest remainder,
 * earlier entries first on ties).
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.some((w) => w < 0n)) throw new RangeError('weights must not be negative');
  // Bigint division truncates towards zero, so a negative total would leave a negative rest that the loop
  // below never hands out: split the magnitude and give the shares the total's sign instead.
  if (total < 0n) return allocate(-total, weights).map((share) => -share);
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum <= 0n) throw new RangeError('weights must add up to a positive number');
  const shares = weights.map((w) => (total * w) / sum);
  let rest = total - shares.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (total * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (rest <= 0n) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    rest -= 1n;
  }
  return shares;
}
