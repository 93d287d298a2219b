import { describe, expect, test } from 'vitest';
import { discount } from '../../../shared/pricing/discount';
import { erpItem, price } from '../support/erp';

/** The discount rule as the ERP reader builds it from a seed-003 `advanced_options.discount`. */
function rule(
  type: 'Porcentaje' | 'Valor',
  value: number | string,
  beforeOn = '2025-03-10',
  currency = 'COP',
) {
  const item = erpItem({ currency_type: currency }, { discount: { before_on: beforeOn, type, value } });
  if (!item.discount) throw new Error('the discount was not read');
  return item.discount;
}

describe('discount D (docs/spec/pricing.md)', () => {
  test.each([
    ['2025-03-10', 'the before_on day itself', 2000n],
    ['2025-03-11', 'the day before before_on', 2000n],
    ['2025-12-31', 'well before before_on', 2000n],
  ])('applies when today is %s, %s', (beforeOn, _when, expected) => {
    expect(discount(20000n, rule('Porcentaje', 10, beforeOn), '2025-03-10')).toEqual({
      amount: expected,
      until: beforeOn,
    });
  });

  test.each([
    ['2025-03-09', 'the day after before_on'],
    ['2025-01-01', 'long after before_on'],
  ])('does not apply when before_on is %s (%s)', (beforeOn) => {
    expect(discount(20000n, rule('Porcentaje', 10, beforeOn), '2025-03-10')).toEqual({
      amount: 0n,
      until: null,
    });
    expect(discount(20000n, rule('Valor', 3000, beforeOn), '2025-03-10')).toEqual({
      amount: 0n,
      until: null,
    });
  });

  test.each([
    // [A, type, value, D]
    [20000n, 'Porcentaje', 10, 2000n],
    [20000n, 'Porcentaje', 100, 20000n],
    [20000n, 'Porcentaje', '12.5', 2500n],
    [20000n, 'Porcentaje', '0.01', 2n],
    [25n, 'Porcentaje', 10, 3n],
    [15n, 'Porcentaje', 10, 2n],
    [14n, 'Porcentaje', 10, 1n],
    [20100n, 'Porcentaje', '0.5', 101n],
    [20099n, 'Porcentaje', '0.5', 100n],
    [20000n, 'Valor', 3000, 3000n],
    [20000n, 'Valor', 20000, 20000n],
    [20000n, 'Valor', 25000, 20000n],
    [20000n, 'Valor', '2999.5', 3000n],
  ] as const)(
    'A = %s with %s %s gives D = %s (percentages round half up, Valor is capped at A)',
    (a, type, value, d) => {
      expect(discount(a, rule(type, value), '2025-03-10').amount).toBe(d);
    },
  );

  test.each([
    // USD: A = 10.05, 10 % = 1.005 → 1.01 (half up at 2 decimals)
    [1005n, 'Porcentaje', 10, 101n],
    [1004n, 'Porcentaje', 10, 100n],
    [1000n, 'Valor', '2.555', 256n],
  ] as const)('USD %s cents with %s %s gives %s cents', (a, type, value, d) => {
    expect(discount(a, rule(type, value, '2025-03-10', 'USD'), '2025-03-10').amount).toBe(d);
  });

  test('no discount rule means D = 0', () => {
    expect(discount(20000n, null, '2025-03-10')).toEqual({ amount: 0n, until: null });
  });

  test('the discount lowers the gross due and its last day is reported while it applies', () => {
    const priced = price(
      { amount: 20000 },
      { discount: { before_on: '2025-03-12', type: 'Valor', value: 3000 } },
    );
    expect(priced.discount).toBe(3000n);
    expect(priced.discountUntil).toBe('2025-03-12');
    expect(priced.total).toBe(17000n);
  });

  test('a 100 % discount leaves nothing due, so the item is not offered (paid)', () => {
    const priced = price(
      { amount: 20000 },
      { discount: { before_on: '2025-03-10', type: 'Porcentaje', value: 100 } },
    );
    expect(priced.total).toBe(0n);
    expect(priced.balance).toBe(0n);
    expect(priced.blockedReason).toBe('paid');
  });

  test('a Valor discount larger than the amount still leaves the delivery and late fee due', () => {
    const priced = price(
      { amount: 20000 },
      {
        discount: { before_on: '2025-03-10', type: 'Valor', value: 50000 },
        delivery_service: { type: 'Con Valor', value: 5000 },
      },
    );
    expect(priced.discount).toBe(20000n);
    expect(priced.total).toBe(5000n);
  });

  test('an invalid discount is ignored and the item is priced without it', () => {
    const priced = price(
      { amount: 20000 },
      { discount: { before_on: '2025-03-10', type: 'Porcentaje', value: 150 } },
    );
    expect(priced.discount).toBe(0n);
    expect(priced.total).toBe(20000n);
    expect(priced.payable).toBe(true);
  });
});
