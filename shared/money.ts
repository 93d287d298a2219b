/**
 * Integer money. Amounts are bigint counts of the currency's smallest payable unit (10^-p), so no floating
 * point ever touches a price. Decimals are parsed from their text; rounding is always named by the caller.
 */
export const CURRENCIES = ['COP', 'USD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Payment precision p per currency: PayU Colombia charges whole pesos (docs/spec/pricing.md "Money"). */
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

/** The largest magnitude with MAX_INTEGER_DIGITS integer digits. */
const MAX_WHOLE = 999_999_999_999_999;
/** 10^k as bigint for the precisions in PRECISION (rescaling whole amounts). */
const POW10_BIG: readonly bigint[] = [1n, 10n, 100n];
/** 10^k as exact doubles, k ≤ 15 (literals rather than `**`, whose exactness the spec does not promise). */
const POW10: readonly number[] = [
  1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/*
 * The fast path. ERP payloads are thousands of amounts like `20000` or `"54000.85"`: a plain decimal with at
 * most 15 digits in all is an integer below 2^53, so it can be read into a double exactly, without a regex
 * match, string concatenation or bigint arithmetic. Anything else (exponents, more digits, garbage) takes the
 * general path, which stays the definition. The scan leaves its result in these module variables rather than
 * in an object, so the hot path allocates nothing but the final bigint.
 */
let scannedMagnitude = 0;
let scannedScale = 0;
let scannedNegative = false;

/** `[+-]?\d+(\.\d+)?` with at most 15 digits: true and the scanned* variables set; false means "general path". */
function scanPlainDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
  let magnitude = 0;
  let digits = 0;
  while (i < n) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    magnitude = magnitude * 10 + c;
    digits++;
    i++;
  }
  if (digits === 0) return false;
  let scale = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return false;
      magnitude = magnitude * 10 + c;
      scale++;
      i++;
    }
    if (scale === 0) return false;
  }
  if (digits + scale > MAX_INTEGER_DIGITS) return false;
  scannedMagnitude = magnitude;
  scannedScale = scale;
  scannedNegative = negative;
  return true;
}

/** Parses `"54000.85"`, `20000`, `"-1.5"`; rejects thousands separators, commas, blanks, NaN, Infinity. */
export function parseDecimal(input: string | number): Decimal | null {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    // What String(input) + the regex below give for a safe integer (-0 included: 0n).
    if (Number.isSafeInteger(input)) return { int: BigInt(input), scale: 0 };
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return null;
  }
  if (scanPlainDecimal(text)) {
    return { int: BigInt(scannedNegative ? -scannedMagnitude : scannedMagnitude), scale: scannedScale };
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
  const p = PRECISION[currency];
  const up = POW10_BIG[p];
  if (up !== undefined) {
    // Fast paths (see scanPlainDecimal): the same answer as the general path below, computed without it.
    if (typeof input === 'number') {
      if (Number.isSafeInteger(input)) {
        return input > MAX_WHOLE || input < -MAX_WHOLE ? null : BigInt(input) * up;
      }
    } else if (typeof input === 'string' && scanPlainDecimal(input.trim())) {
      return scannedToMinor(p);
    }
  }
  const d = parseDecimal(input);
  if (!d || integerDigits(d) > MAX_INTEGER_DIGITS) return null;
  const minor = rescale(d, p, 'halfUp');
  // The cap holds after rounding too: "999999999999999.5" COP would otherwise become a 16-digit amount.
  return integerDigits({ int: minor, scale: p }) > MAX_INTEGER_DIGITS ? null : minor;
}

/**
 * toMinor of the scanned decimal. At most 15 digits in all, so neither 15-digit cap can trip (rounding
 * half up can carry into one more integer digit only when a fraction digit is dropped, leaving ≤ 15), and
 * the halving is exact in doubles (every value is an integer below 2^53).
 */
function scannedToMinor(p: number): bigint {
  const magnitude = scannedMagnitude;
  const scale = scannedScale;
  if (scale <= p) {
    const int = BigInt(scannedNegative ? -magnitude : magnitude);
    return scale === p ? int : int * (POW10_BIG[p - scale] as bigint);
  }
  const divisor = POW10[scale - p] as number;
  const rest = magnitude % divisor;
  // Half up, symmetric around zero, as divRound(…, 'halfUp').
  const rounded = (magnitude - rest) / divisor + (rest * 2 >= divisor ? 1 : 0);
  return BigInt(scannedNegative ? -rounded : rounded);
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

/**
 * The API's strict reading of an amount a client sends (docs/spec/http-api.md): digits, optionally a point
 * and at most the currency's precision of decimals (`^\d+(\.\d{1,p})?$`). No sign, exponent, blanks or
 * separators: `"2e4"` and `"+20000"` are refused, not charged.
 */
export function parseAmountText(text: string, currency: Currency): bigint | null {
  if (!AMOUNT_TEXT[currency].test(text)) return null;
  return parseExactMinor(text, currency);
}

const AMOUNT_TEXT = Object.fromEntries(
  CURRENCIES.map((c) => [
    c,
    PRECISION[c] === 0 ? /^\d+$/ : new RegExp(`^\\d+(?:\\.\\d{1,${PRECISION[c]}})?$`),
  ]),
) as Record<Currency, RegExp>;

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
