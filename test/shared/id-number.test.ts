import fc from 'fast-check';
import { anyCodePoint } from '../support/arbitraries';
import { describe, expect, test } from 'vitest';
import { nitCheckDigit, normalizeIdNumber } from '../../shared/id-number';

// docs/spec/colombia.md "Public examples"
const PUBLIC_EXAMPLES: [string, number][] = [
  ['800191045', 1],
  ['900373923', 8],
  ['860069804', 2],
  ['901210113', 3],
  ['41261533', 2],
];

describe('nitCheckDigit', () => {
  test.each(PUBLIC_EXAMPLES)('the DIAN check digit of %s is %i', (base, digit) => {
    expect(nitCheckDigit(base)).toBe(digit);
  });

  test.each([
    // s = 9·41 + last digit·3: 396 ≡ 0, 375 ≡ 1 and 384 ≡ 10 (mod 11)
    ['900000009', 0, 'r = 0 gives 0'],
    ['900000002', 1, 'r = 1 gives 1'],
    ['900000005', 1, 'r = 10 gives 11 − 10 = 1'],
  ])('the check digit of %s is %i (%s)', (base, digit) => {
    expect(nitCheckDigit(base)).toBe(digit);
    expect(normalizeIdNumber(`${base}-${digit}`)).toEqual({ ok: true, idNumber: base, checkDigit: digit });
  });

  test('is always a single digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,15}$/), (base) => {
        const digit = nitCheckDigit(base);
        expect(Number.isInteger(digit) && digit >= 0 && digit <= 9).toBe(true);
      }),
    );
  });
});

describe('normalizeIdNumber', () => {
  test.each(PUBLIC_EXAMPLES)(
    '%s-%i is accepted and the ERP gets the number without the check digit',
    (base, digit) => {
      expect(normalizeIdNumber(`${base}-${digit}`)).toEqual({ ok: true, idNumber: base, checkDigit: digit });
    },
  );

  test.each(PUBLIC_EXAMPLES)('%s with a wrong check digit is refused as check_digit', (base, digit) => {
    for (let wrong = 0; wrong <= 9; wrong++) {
      if (wrong === digit) continue;
      expect(normalizeIdNumber(`${base}-${wrong}`)).toEqual({ ok: false, reason: 'check_digit' });
    }
  });

  test.each([
    ['1.234.567.890', '1234567890', null],
    ['900 373 923', '900373923', null],
    ['900.373.923-8', '900373923', 8],
    ['900,373,923', '900373923', null],
    ['  41261533  ', '41261533', null],
    ['41.261.533-2', '41261533', 2],
    ['900 373 923 - 8', '900373923', 8],
    ['12345', '12345', null],
    ['123456789012345', '123456789012345', null],
    ['00012345', '00012345', null],
  ])('%j is normalised to %s (check digit %s)', (input, idNumber, checkDigit) => {
    expect(normalizeIdNumber(input)).toEqual({ ok: true, idNumber, checkDigit });
  });

  test('a number without a hyphen is never read as a base plus a guessed check digit', () => {
    // 900373923 has check digit 8, but "9003739238" typed without a hyphen is a 10-digit number as typed.
    expect(normalizeIdNumber('9003739238')).toEqual({ ok: true, idNumber: '9003739238', checkDigit: null });
    expect(normalizeIdNumber('900373923')).toEqual({ ok: true, idNumber: '900373923', checkDigit: null });
  });

  test('a 15-digit base may still carry a check digit', () => {
    const base = '123456789012345';
    const digit = nitCheckDigit(base);
    expect(normalizeIdNumber(`${base}-${digit}`)).toEqual({ ok: true, idNumber: base, checkDigit: digit });
  });

  test.each([
    ['1234'],
    ['1.234'],
    ['1234-5'],
    ['1234567890123456'],
    ['1234567890123456-1'],
    [''],
    ['   '],
    ['abc'],
    ['12345a'],
    ['CC 12345678'],
    ['12345678-'],
    ['12345678-12'],
    ['12345678--1'],
    ['-12345678'],
    ['12345678-X'],
    ['12_345_678'],
    ['12/345/678'],
    ['+57 3001234567'],
    ['１２３４５６７８'],
    ['1'.repeat(65)],
  ])('%j is refused as format', (input) => {
    expect(normalizeIdNumber(input)).toEqual({ ok: false, reason: 'format' });
  });

  test.each([[null], [undefined], [12345678], [12345678n], [{}], [['12345678']], [true]])(
    'a non-string (%s) is refused as format',
    (input) => {
      expect(normalizeIdNumber(input)).toEqual({ ok: false, reason: 'format' });
    },
  );

  test('every base number with its own check digit is accepted, and with any other digit refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5,15}$/), fc.integer({ min: 0, max: 9 }), (base, digit) => {
        const expected =
          digit === nitCheckDigit(base)
            ? { ok: true, idNumber: base, checkDigit: digit }
            : { ok: false, reason: 'check_digit' };
        expect(normalizeIdNumber(`${base}-${digit}`)).toEqual(expected);
      }),
    );
  });

  test('never throws, and anything it accepts is 5 to 15 digits with a matching check digit or none', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: anyCodePoint }),
          fc.stringMatching(/^[\d .,-]{0,25}$/),
          fc.anything({ withBigInt: true, withBoxedValues: true, withNullPrototype: true }),
        ),
        (input) => {
          const result = normalizeIdNumber(input);
          if (result.ok) {
            expect(result.idNumber).toMatch(/^\d{5,15}$/);
            if (result.checkDigit !== null) expect(result.checkDigit).toBe(nitCheckDigit(result.idNumber));
          } else {
            expect(['format', 'check_digit']).toContain(result.reason);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
