import fc from 'fast-check';
import { anyCodePoint } from '../../support/arbitraries';
import { describe, expect, test } from 'vitest';
import { addDays, daysBetween, parseIsoDate } from '../../../shared/dates';
import {
  CURRENCIES,
  PRECISION,
  parseDecimal,
  toMinor,
  toPositiveMinor,
  type Currency,
  type Decimal,
} from '../../../shared/money';

/**
 * shared/dates.ts and shared/money.ts read dates and amounts through arithmetic fast paths (the ERP reader
 * calls them for every item). The straightforward versions they replaced are kept here as the definition:
 * for any input, the fast paths must answer exactly what these answer.
 */

function referenceParseIsoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function referenceDayNumber(date: string): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
  );
}

function referenceParseDecimal(input: string | number): Decimal | null {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return null;
  }
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
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

function referenceIntegerDigits(value: Decimal): number {
  const abs = value.int < 0n ? -value.int : value.int;
  const whole = abs / 10n ** BigInt(value.scale);
  return whole === 0n ? 0 : whole.toString().length;
}

function referenceToMinor(input: string | number, currency: Currency): bigint | null {
  const d = referenceParseDecimal(input);
  if (!d || referenceIntegerDigits(d) > 15) return null;
  const p = PRECISION[currency];
  let minor: bigint;
  if (d.scale <= p) minor = d.int * 10n ** BigInt(p - d.scale);
  else {
    const divisor = 10n ** BigInt(d.scale - p);
    const a = d.int < 0n ? -d.int : d.int;
    const magnitude = a / divisor + ((a % divisor) * 2n >= divisor ? 1n : 0n);
    minor = d.int < 0n ? -magnitude : magnitude;
  }
  return referenceIntegerDigits({ int: minor, scale: p }) > 15 ? null : minor;
}

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const padding = fc.constantFrom('', ' ', '\t', '\u00a0', '\n ');

/** Date-shaped text: every year (0000–9999), month 00–19, day 00–39, any separator, sometimes padded. */
const dateLike = fc
  .tuple(
    fc.oneof(
      digits(4),
      fc.integer({ min: 0, max: 199 }).map((y) => String(y).padStart(4, '0')),
    ),
    fc.constantFrom('-', '/', '.', 'x', ''),
    fc.integer({ min: 0, max: 19 }).map((m) => String(m).padStart(2, '0')),
    fc.constantFrom('-', '/', '.'),
    fc.integer({ min: 0, max: 39 }).map((d) => String(d).padStart(2, '0')),
    padding,
    padding,
    fc.constantFrom('', '', '', 'T00:00:00Z', '0', '１'),
  )
  .map(([y, s1, m, s2, d, a, b, tail]) => `${a}${y}${s1}${m}${s2}${d}${tail}${b}`);

const realDate = fc
  .date({ min: new Date(Date.UTC(0, 0, 1) - 2000 * 365 * 86_400_000), max: new Date('9999-12-31T00:00:00Z') })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString().slice(0, 10));

const anyText = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: anyCodePoint, maxLength: 12 }));

describe('parseIsoDate answers what the Date round trip answered', () => {
  test('on date-shaped text, real dates and arbitrary values', () => {
    fc.assert(
      fc.property(fc.oneof(dateLike, realDate, anyText, fc.anything()), (value) => {
        expect(parseIsoDate(value)).toBe(referenceParseIsoDate(value));
      }),
      { numRuns: 4_000 },
    );
  });

  test('on every day of every month of leap and common years, centuries included', () => {
    for (const year of ['0099', '0100', '1600', '1700', '1900', '2000', '2023', '2024', '2100', '9999']) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(parseIsoDate(text), text).toBe(referenceParseIsoDate(text));
        }
      }
    }
  });
});

describe('daysBetween and addDays count days as Date.UTC does', () => {
  test('on real dates, date-shaped text and arbitrary text', () => {
    const date = fc.oneof(realDate, dateLike, anyText);
    fc.assert(
      fc.property(date, date, fc.integer({ min: -1000, max: 1000 }), (from, to, n) => {
        expect(daysBetween(from, to)).toBe(referenceDayNumber(to) - referenceDayNumber(from));
        let expected: string | Error;
        try {
          expected = new Date((referenceDayNumber(from) + n) * 86_400_000).toISOString().slice(0, 10);
        } catch (e) {
          expected = e as Error;
        }
        if (expected instanceof Error) expect(() => addDays(from, n)).toThrow(expected.constructor as never);
        else expect(addDays(from, n)).toBe(expected);
      }),
      { numRuns: 4_000 },
    );
  });
});

describe('parseDecimal and toMinor answer what the regex and bigint arithmetic answered', () => {
  const numberText = fc
    .tuple(
      fc.constantFrom('', '', '-', '+', '--'),
      fc.stringMatching(/^[0-9]{0,18}$/),
      fc.constantFrom('', '', '.', ','),
      fc.stringMatching(/^[0-9]{0,18}$/),
      fc.constantFrom('', '', '', 'e2', 'E-3', 'e+400', 'e401', 'x'),
      padding,
    )
    .map(([sign, whole, dot, frac, exp, pad]) => `${pad}${sign}${whole}${dot}${frac}${exp}${pad}`);
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.integer({ min: -(10 ** 15) - 5, max: 10 ** 15 + 5 }),
    fc.constantFrom(
      -0,
      0.5,
      -2.5,
      1.005,
      999_999_999_999_999,
      1e15,
      -1e15,
      999_999_999_999_999.5,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      1e21,
      5e-324,
      NaN,
      Infinity,
    ),
  );
  const input = fc.oneof(numberText, number, number.map(String), anyText);

  test('for every currency, on numbers, number-shaped text and arbitrary text', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...CURRENCIES), (value, currency) => {
        expect(parseDecimal(value)).toEqual(referenceParseDecimal(value));
        const minor = referenceToMinor(value, currency);
        expect(toMinor(value, currency)).toBe(minor);
        expect(toPositiveMinor(value, currency)).toBe(minor !== null && minor > 0n ? minor : null);
      }),
      { numRuns: 6_000 },
    );
  });

  test('halves round away from zero at every scale the fast path takes', () => {
    for (const text of [
      '0.5',
      '-0.5',
      '1.5',
      '2.5',
      '-2.5',
      '0.005',
      '0.015',
      '-0.015',
      '99999999999999.5',
    ]) {
      for (const currency of CURRENCIES) {
        expect(toMinor(text, currency), `${text} ${currency}`).toBe(referenceToMinor(text, currency));
      }
    }
  });
});
