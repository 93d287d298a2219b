import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { nitCheckDigit, normalizeIdNumber } from '../../../shared/id-number';

/**
 * The id-number parser fed hostile input. test/shared/id-number.test.ts covers arbitrary strings and values;
 * this adds what an attacker or a confused paste produces: other scripts' digits, invisible characters,
 * huge inputs, objects whose coercion throws, and separators anywhere.
 */

const SEPARATORS = [' ', '.', ',', '\t', '\n', '\u00a0', '\u2003', '\u2028', '\ufeff'];
// Characters that look like digits, dashes or nothing, but are none of the accepted ones.
const LOOKALIKES = [
  '٠',
  '١',
  '٥',
  '۵',
  '५',
  '০',
  '๕',
  '０',
  '５',
  '𝟓',
  '²',
  '½',
  'Ⅴ',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u2060',
  '\u00ad',
  '‐',
  '‑',
  '‒',
  '–',
  '—',
  '−',
  '﹣',
  '－',
  '\u0000',
  '\ud800',
  '\udfff',
  'e',
  'E',
  '+',
];

const validBase = fc.stringMatching(/^\d{5,15}$/);

describe('normalizeIdNumber on hostile input', () => {
  test('separators anywhere do not change the result, while the input stays within 64 characters', () => {
    fc.assert(
      fc.property(
        validBase,
        fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SEPARATORS)), { maxLength: 20 }),
        (base, digit, inserts) => {
          const clean = digit === undefined ? base : `${base}-${digit}`;
          const chars = [...clean];
          for (const [at, sep] of inserts) chars.splice(at % (chars.length + 1), 0, sep);
          const noisy = chars.join('');
          fc.pre(noisy.length <= 64);
          expect(normalizeIdNumber(noisy)).toEqual(normalizeIdNumber(clean));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a look-alike character anywhere in a valid number makes it a format error, never a different id', () => {
    fc.assert(
      fc.property(validBase, fc.nat(), fc.constantFrom(...LOOKALIKES), (base, at, char) => {
        const chars = [...base];
        chars.splice(at % (chars.length + 1), 0, char);
        expect(normalizeIdNumber(chars.join(''))).toEqual({ ok: false, reason: 'format' });
      }),
      { numRuns: 500 },
    );
  });

  test('only ASCII digits come out, and the result is a fixed point', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'0123456789-.,  ', ...SEPARATORS, ...LOOKALIKES),
          maxLength: 70,
        }),
        (input) => {
          const result = normalizeIdNumber(input);
          if (!result.ok) return;
          expect(result.idNumber).toMatch(/^[0-9]{5,15}$/);
          expect(normalizeIdNumber(result.idNumber)).toEqual({
            ok: true,
            idNumber: result.idNumber,
            checkDigit: null,
          });
          if (result.checkDigit !== null) {
            expect(normalizeIdNumber(`${result.idNumber}-${result.checkDigit}`)).toEqual(result);
            expect(result.checkDigit).toBe(nitCheckDigit(result.idNumber));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('anything longer than 64 characters is a format error at once, however large', () => {
    fc.assert(
      fc.property(validBase, fc.integer({ min: 65, max: 5_000_000 }), (base, length) => {
        // A valid number drowned in spaces: it would normalise fine, but the length cap comes first.
        const input = base + ' '.repeat(length - base.length);
        const started = performance.now();
        expect(normalizeIdNumber(input)).toEqual({ ok: false, reason: 'format' });
        expect(performance.now() - started).toBeLessThan(50);
      }),
      { numRuns: 50 },
    );
  });

  test('values that are not strings, including ones whose coercion throws, are a format error', () => {
    const throwing = {
      toString() {
        throw new Error('toString');
      },
      valueOf() {
        throw new Error('valueOf');
      },
      [Symbol.toPrimitive]() {
        throw new Error('toPrimitive');
      },
    };
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom<unknown>(
            throwing,
            proxy,
            Object.create(null),
            new String('52123456'),
            [52123456],
            52123456,
            5.2e7,
            52123456n,
          ),
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withNullPrototype: true,
            withMap: true,
            withSet: true,
          }),
        ),
        (input) => {
          fc.pre(typeof input !== 'string');
          expect(normalizeIdNumber(input)).toEqual({ ok: false, reason: 'format' });
        },
      ),
      { numRuns: 300 },
    );
  });
});
