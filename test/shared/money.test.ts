import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  PRECISION,
  allocate,
  applyRate,
  divRound,
  formatMinor,
  isCurrency,
  maxMinor,
  minMinor,
  parseDecimal,
  parseExactMinor,
  toMinor,
  toPositiveMinor,
  type Currency,
  type Decimal,
  type Rounding,
} from '../../shared/money';

function dec(text: string): Decimal {
  const d = parseDecimal(text);
  if (!d) throw new Error(`not a decimal: ${text}`);
  return d;
}

describe('currencies', () => {
  test('payment precision is 0 for COP and 2 for USD and EUR', () => {
    expect(PRECISION).toEqual({ COP: 0, USD: 2, EUR: 2 });
  });

  test.each([
    ['COP', true],
    ['USD', true],
    ['EUR', true],
    ['cop', false],
    ['MXN', false],
    ['', false],
    [null, false],
    [1, false],
  ])('isCurrency(%j) is %s', (value, expected) => {
    expect(isCurrency(value)).toBe(expected);
  });
});

describe('parseDecimal', () => {
  test.each<[string | number, bigint, number]>([
    ['54000.85', 5400085n, 2],
    [20000, 20000n, 0],
    ['20000', 20000n, 0],
    ['-1.5', -15n, 1],
    ['+7', 7n, 0],
    ['  42.10  ', 4210n, 2],
    ['0.05', 5n, 2],
    ['1e3', 1000n, 0],
    ['1.5e-2', 15n, 3],
    [25.5, 255n, 1],
    [1e21, 10n ** 21n, 0],
    [5e-7, 5n, 7],
  ])('parses %j exactly from its decimal text', (input, int, scale) => {
    expect(parseDecimal(input)).toEqual({ int, scale });
  });

  test.each<[string | number]>([
    ['1,000'],
    ['1.000,50'],
    ['1 000'],
    [''],
    ['   '],
    ['abc'],
    ['12abc'],
    ['$100'],
    ['0x10'],
    ['NaN'],
    ['Infinity'],
    [NaN],
    [Infinity],
    [-Infinity],
    ['1e401'],
  ])('rejects %s', (input) => {
    expect(parseDecimal(input)).toBeNull();
  });

  test('rejects values that are neither strings nor numbers', () => {
    for (const v of [null, undefined, true, {}, [], 10n]) {
      expect(parseDecimal(v as unknown as string)).toBeNull();
    }
  });
});

describe('toMinor', () => {
  test.each<[string | number, Currency, bigint]>([
    ['54000.85', 'COP', 54001n],
    ['54000.49', 'COP', 54000n],
    ['54000.5', 'COP', 54001n],
    [54000.5, 'COP', 54001n],
    [20000, 'COP', 20000n],
    ['25000.00', 'COP', 25000n],
    ['25.5', 'USD', 2550n],
    [25.5, 'USD', 2550n],
    ['25.555', 'USD', 2556n],
    ['25.554', 'USD', 2555n],
    ['0.005', 'EUR', 1n],
    ['0.004', 'EUR', 0n],
    ['100', 'USD', 10000n],
    ['1e3', 'COP', 1000n],
    [1e3, 'COP', 1000n],
    ['999999999999999', 'COP', 999999999999999n],
    ['999999999999999.99', 'USD', 99999999999999999n],
    ['-54000.5', 'COP', -54001n],
  ])('%j in %s is %s minor units (half up to the precision)', (input, currency, expected) => {
    expect(toMinor(input, currency)).toBe(expected);
  });

  test.each<[string | number, Currency]>([
    ['1234567890123456', 'COP'],
    ['1234567890123456.5', 'USD'],
    ['1e15', 'COP'],
    [1e21, 'COP'],
    ['1,000', 'COP'],
    ['1.000,50', 'USD'],
    ['20 000', 'COP'],
    [NaN, 'COP'],
    [Infinity, 'USD'],
    [-Infinity, 'EUR'],
    ['abc', 'COP'],
    ['', 'COP'],
    ['$100', 'USD'],
  ])('%s in %s is not an amount', (input, currency) => {
    expect(toMinor(input, currency)).toBeNull();
  });

  test('leading zeros do not count as integer digits', () => {
    expect(toMinor('0000000000000001', 'COP')).toBe(1n);
  });
});

describe('toPositiveMinor', () => {
  test.each<[unknown, Currency, bigint | null]>([
    [20000, 'COP', 20000n],
    ['0.5', 'COP', 1n],
    ['0.4', 'COP', null],
    [0, 'COP', null],
    ['0', 'USD', null],
    ['-1', 'COP', null],
    [-0.01, 'USD', null],
    [null, 'COP', null],
    [undefined, 'COP', null],
    [true, 'COP', null],
    [{}, 'COP', null],
    [['1'], 'COP', null],
  ])('toPositiveMinor(%j, %s) is %s', (input, currency, expected) => {
    expect(toPositiveMinor(input, currency)).toBe(expected);
  });
});

describe('divRound', () => {
  test.each<[bigint, bigint, Rounding, bigint]>([
    // halfUp: ties away from zero
    [5n, 2n, 'halfUp', 3n],
    [7n, 2n, 'halfUp', 4n],
    [4n, 3n, 'halfUp', 1n],
    [5n, 3n, 'halfUp', 2n],
    [249n, 100n, 'halfUp', 2n],
    [250n, 100n, 'halfUp', 3n],
    [-5n, 2n, 'halfUp', -3n],
    [-4n, 3n, 'halfUp', -1n],
    [0n, 7n, 'halfUp', 0n],
    // halfEven: ties to the even neighbour
    [1n, 2n, 'halfEven', 0n],
    [3n, 2n, 'halfEven', 2n],
    [5n, 2n, 'halfEven', 2n],
    [7n, 2n, 'halfEven', 4n],
    [25n, 10n, 'halfEven', 2n],
    [35n, 10n, 'halfEven', 4n],
    [26n, 10n, 'halfEven', 3n],
    [4n, 3n, 'halfEven', 1n],
    [-5n, 2n, 'halfEven', -2n],
    [-7n, 2n, 'halfEven', -4n],
    // up: away from zero whenever there is a remainder
    [1n, 3n, 'up', 1n],
    [6n, 3n, 'up', 2n],
    [7n, 3n, 'up', 3n],
    [0n, 3n, 'up', 0n],
    [-1n, 3n, 'up', -1n],
    [-7n, 2n, 'up', -4n],
    // down: towards zero
    [5n, 3n, 'down', 1n],
    [2n, 3n, 'down', 0n],
    [9n, 10n, 'down', 0n],
    [-5n, 3n, 'down', -1n],
    [-2n, 3n, 'down', 0n],
  ])('%s / %s rounded %s is %s', (n, d, rounding, expected) => {
    expect(divRound(n, d, rounding)).toBe(expected);
  });

  test.each([0n, -1n])('a divisor of %s is refused', (d) => {
    expect(() => divRound(10n, d, 'halfUp')).toThrow(RangeError);
  });

  test('every rounding lands on one of the two neighbouring integers', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom<Rounding>('halfUp', 'halfEven', 'up', 'down'),
        (n, d, rounding) => {
          const q = divRound(n, d, rounding);
          // |n - q·d| < d: q is the quotient rounded one way or the other
          const diff = n - q * d;
          expect(diff < d && -diff < d).toBe(true);
          if (n % d === 0n) expect(q).toBe(n / d);
        },
      ),
    );
  });
});

describe('formatMinor', () => {
  test.each<[bigint, Currency, string]>([
    [25000n, 'COP', '25000'],
    [0n, 'COP', '0'],
    [2550n, 'USD', '25.50'],
    [5n, 'USD', '0.05'],
    [0n, 'USD', '0.00'],
    [100n, 'EUR', '1.00'],
    [10500n, 'USD', '105.00'],
    [-5n, 'USD', '-0.05'],
    [-25000n, 'COP', '-25000'],
  ])('%s minor units of %s are written %j', (units, currency, expected) => {
    expect(formatMinor(units, currency)).toBe(expected);
  });

  test('the text always has exactly the currency precision and reads back to the same units', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Currency>('COP', 'USD', 'EUR').chain((currency) => {
          // up to 15 integer digits, the most an amount may have
          const limit = 10n ** BigInt(15 + PRECISION[currency]) - 1n;
          return fc.tuple(fc.constant(currency), fc.bigInt({ min: -limit, max: limit }));
        }),
        ([currency, units]) => {
          const text = formatMinor(units, currency);
          const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
          expect(decimals).toBe(PRECISION[currency]);
          expect(parseExactMinor(text, currency)).toBe(units);
        },
      ),
    );
  });
});

describe('parseExactMinor', () => {
  test.each<[string, Currency, bigint | null]>([
    ['25000', 'COP', 25000n],
    ['25000.00', 'COP', 25000n],
    ['25000.5', 'COP', null],
    ['25000.50', 'COP', null],
    ['25000.01', 'COP', null],
    ['25.5', 'USD', 2550n],
    ['25.50', 'USD', 2550n],
    ['25.500', 'USD', 2550n],
    ['25.505', 'USD', null],
    ['25', 'EUR', 2500n],
    ['0.05', 'USD', 5n],
    ['1,000', 'COP', null],
    ['abc', 'COP', null],
    ['', 'USD', null],
    ['1234567890123456', 'COP', null],
  ])('%j in %s is %s (never rounds what a payer typed)', (text, currency, expected) => {
    expect(parseExactMinor(text, currency)).toBe(expected);
  });
});

describe('applyRate', () => {
  test.each<[bigint, string, bigint, Rounding, bigint]>([
    [20000n, '10', 100n, 'halfUp', 2000n],
    [25n, '10', 100n, 'halfUp', 3n],
    [15n, '10', 100n, 'halfUp', 2n],
    [14n, '10', 100n, 'halfUp', 1n],
    [10001n, '33.33', 100n, 'up', 3334n],
    [10001n, '33.33', 100n, 'down', 3333n],
    [10001n, '33.33', 100n, 'halfUp', 3333n],
    [50000n, '33', 100n, 'up', 16500n],
    [300000n, '0.02', 1n, 'halfUp', 6000n],
    [25n, '0.06', 1n, 'halfUp', 2n],
  ])('%s × %s / %s rounded %s is %s', (amount, rate, divisor, rounding, expected) => {
    expect(applyRate(amount, dec(rate), divisor, rounding)).toBe(expected);
  });
});

describe('maxMinor and minMinor', () => {
  test('pick the largest and the smallest amount', () => {
    expect(maxMinor(3n, 10n, -1n)).toBe(10n);
    expect(minMinor(3n, 10n, -1n)).toBe(-1n);
    expect(maxMinor(5n)).toBe(5n);
  });
});

describe('allocate', () => {
  test.each<[bigint, bigint[], bigint[]]>([
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [10n, [1n, 2n], [3n, 7n]],
    [2n, [1n, 1n, 1n], [1n, 1n, 0n]],
    [0n, [1n, 1n], [0n, 0n]],
    [5n, [0n, 1n], [0n, 5n]],
    [25000n, [20000n, 5000n], [20000n, 5000n]],
    [-10n, [1n, 1n, 1n], [-4n, -3n, -3n]],
  ])('allocate(%s, [%s]) is [%s]', (total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected);
  });

  test.each<[bigint[]]>([[[]], [[0n, 0n]], [[1n, -1n]], [[-1n, -1n, 5n]]])(
    'weights [%s] are refused',
    (weights) => {
      expect(() => allocate(10n, weights)).toThrow(RangeError);
    },
  );

  test('shares always add up to the total and each is within one unit of its exact proportion', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const shares = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(shares).toHaveLength(weights.length);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
          shares.forEach((share, i) => {
            const exactTimesSum = total * weights[i]!;
            const diff = share * sum - exactTimesSum;
            expect(diff < sum && -diff < sum).toBe(true);
            if (weights[i] === 0n) expect(share).toBe(0n);
          });
        },
      ),
    );
  });
});
