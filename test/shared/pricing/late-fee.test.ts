import { describe, expect, test } from 'vitest';
import type { Currency } from '../../../shared/money';
import { daysOverdue, lateFee } from '../../../shared/pricing/late-fee';
import { lateFeePolicySchema, type LateFeePolicy } from '../../../shared/pricing/late-fee-policy';
import { price } from '../support/erp';

function policy(input: unknown): LateFeePolicy {
  return lateFeePolicySchema.parse(input);
}

const LIMIT = '2025-03-01';

describe('days overdue', () => {
  test.each([
    ['2025-02-20', 0],
    ['2025-03-01', 0],
    ['2025-03-02', 1],
    ['2025-03-10', 9],
    ['2026-03-01', 365],
  ])('with limit_date 2025-03-01, on %s the item is %i days overdue', (today, days) => {
    expect(daysOverdue(LIMIT, today)).toBe(days);
  });

  test('without limit_date nothing is ever overdue', () => {
    expect(daysOverdue(null, '2030-01-01')).toBe(0);
  });
});

describe('automated late fee (n = min(limit, ceil(d / frequency)))', () => {
  // docs/spec/pricing.md example 4's policy: 2 % of A per started period of 3 days, at most 5 periods.
  const percentage = policy({
    condition_type: 'automated',
    type: 'percentage',
    value: 0.02,
    frequency: 3,
    limit: 5,
  });

  test.each([
    ['2025-02-20', 0, 0, 0n],
    ['2025-03-01', 0, 0, 0n],
    ['2025-03-02', 1, 1, 2000n],
    ['2025-03-03', 2, 1, 2000n],
    ['2025-03-04', 3, 1, 2000n],
    ['2025-03-05', 4, 2, 4000n],
    ['2025-03-07', 6, 2, 4000n],
    ['2025-03-08', 7, 3, 6000n],
    ['2025-03-10', 9, 3, 6000n],
    ['2025-03-13', 12, 4, 8000n],
    ['2025-03-14', 13, 5, 10000n],
    ['2025-03-16', 15, 5, 10000n],
    ['2025-03-17', 16, 5, 10000n],
    ['2026-03-01', 365, 5, 10000n],
  ])('on %s (d = %i) there are %i increments and L = %s for A = 100000', (today, d, n, fee) => {
    expect(lateFee(100000n, 'COP', LIMIT, percentage, today)).toEqual({
      amount: fee,
      daysOverdue: d,
      increments: n,
    });
  });

  test('stops growing once the policy limit is reached', () => {
    const fees = Array.from({ length: 60 }, (_, i) => {
      const today = new Date(Date.UTC(2025, 2, 1 + i)).toISOString().slice(0, 10);
      return lateFee(100000n, 'COP', LIMIT, percentage, today).amount;
    });
    for (let i = 1; i < fees.length; i++) expect(fees[i]! >= fees[i - 1]!).toBe(true);
    expect(Math.max(...fees.map(Number))).toBe(10000);
    expect(fees.at(-1)).toBe(10000n);
  });

  test.each([
    // [frequency, limit, today, n]
    [1, 30, '2025-03-02', 1],
    [1, 30, '2025-03-31', 30],
    [1, 30, '2025-04-30', 30],
    [30, 1, '2025-03-02', 1],
    [30, 1, '2025-05-01', 1],
    [7, 2, '2025-03-08', 1],
    [7, 2, '2025-03-09', 2],
    [7, 2, '2025-03-16', 2],
  ])('frequency %i and limit %i on %s give %i increments', (frequency, limit, today, n) => {
    const p = policy({ condition_type: 'automated', type: 'amount', value: 1000, frequency, limit });
    expect(lateFee(100000n, 'COP', LIMIT, p, today)).toMatchObject({
      increments: n,
      amount: 1000n * BigInt(n),
    });
  });

  test.each([
    // [A, currency, type, value, today (d), L]
    [100000n, 'COP', 'amount', 1500, '2025-03-02', 1500n],
    [100000n, 'COP', 'amount', '1500', '2025-03-10', 4500n],
    [100n, 'COP', 'amount', 1500, '2025-03-10', 4500n],
    [10000n, 'USD', 'amount', '2.50', '2025-03-10', 750n],
    [100000n, 'COP', 'percentage', 0.02, '2025-03-02', 2000n],
    [100000n, 'COP', 'percentage', '0.015', '2025-03-10', 4500n],
    [10000n, 'USD', 'percentage', 0.05, '2025-03-10', 1500n],
  ] as const)(
    'A = %s %s with %s %s on %s gives L = %s (frequency 3, limit 5)',
    (a, currency, type, value, today, fee) => {
      const p = policy({ condition_type: 'automated', type, value, frequency: 3, limit: 5 });
      expect(lateFee(a, currency as Currency, LIMIT, p, today).amount).toBe(fee);
    },
  );

  test.each([
    // roundHalfUp(A × value × n): one rounding of the whole, not n roundings of each increment
    [125n, 'COP', 0.02, '2025-03-02', 3n],
    [75n, 'COP', 0.02, '2025-03-02', 2n],
    [74n, 'COP', 0.02, '2025-03-02', 1n],
    [25n, 'COP', 0.02, '2025-03-08', 2n],
    [1025n, 'USD', 0.02, '2025-03-02', 21n],
    [1024n, 'USD', 0.02, '2025-03-02', 20n],
  ] as const)('A = %s %s at %s rounds half up once: on %s L = %s', (a, currency, value, today, fee) => {
    const p = policy({ condition_type: 'automated', type: 'percentage', value, frequency: 3, limit: 5 });
    expect(lateFee(a, currency as Currency, LIMIT, p, today).amount).toBe(fee);
  });

  test('is simple, not compounded: each increment adds the same share of A', () => {
    const p = policy({
      condition_type: 'automated',
      type: 'percentage',
      value: 0.1,
      frequency: 1,
      limit: 30,
    });
    expect(lateFee(100000n, 'COP', LIMIT, p, '2025-03-04').amount).toBe(30000n);
  });
});

describe('fixed late fee (Σ value over entries dated ≤ T)', () => {
  const fixed = policy({
    condition_type: 'fixed',
    fixed: [
      { date: '2025-03-02', value: 5000 },
      { date: '2025/03/10', value: 3000 },
      { date: '2025-03-11', value: 1000 },
    ],
  });

  test.each([
    ['2025-03-01', 0n, 0],
    ['2025-03-02', 5000n, 1],
    ['2025-03-09', 5000n, 1],
    ['2025-03-10', 8000n, 2],
    ['2025-03-11', 9000n, 3],
    ['2025-12-31', 9000n, 3],
  ])('on %s L = %s (%i entries due)', (today, fee, entries) => {
    expect(lateFee(100000n, 'COP', LIMIT, fixed, today)).toMatchObject({ amount: fee, increments: entries });
  });

  test('an entry dated today counts and one dated tomorrow does not', () => {
    const p = policy({
      condition_type: 'fixed',
      fixed: [
        { date: '2025-03-10', value: 700 },
        { date: '2025-03-11', value: 900 },
      ],
    });
    expect(lateFee(100000n, 'COP', LIMIT, p, '2025-03-10').amount).toBe(700n);
  });

  test('entries count by their own dates even before limit_date (only automated fees need d > 0)', () => {
    const p = policy({ condition_type: 'fixed', fixed: [{ date: '2025-03-05', value: 700 }] });
    expect(lateFee(100000n, 'COP', '2025-03-15', p, '2025-03-10')).toEqual({
      amount: 700n,
      daysOverdue: 0,
      increments: 1,
    });
  });

  test('entry values are money in the item currency, rounded half up to its precision', () => {
    const p = policy({
      condition_type: 'fixed',
      fixed: [
        { date: '2025-03-02', value: '2.505' },
        { date: '2025-03-03', value: 5 },
      ],
    });
    expect(lateFee(10000n, 'USD', LIMIT, p, '2025-03-10').amount).toBe(751n);
    expect(lateFee(10000n, 'COP', LIMIT, p, '2025-03-10').amount).toBe(8n);
  });
});

describe('policy choice and missing limit_date', () => {
  const itemPolicy = { condition_type: 'automated', type: 'amount', value: 1000, frequency: 1, limit: 30 };
  const merchantPolicy = policy({
    condition_type: 'automated',
    type: 'percentage',
    value: 0.02,
    frequency: 3,
    limit: 5,
  });

  test.each([
    ['automated', { condition_type: 'automated', type: 'amount', value: 1000, frequency: 1, limit: 30 }],
    ['fixed', { condition_type: 'fixed', fixed: [{ date: '2025-03-01', value: 1000 }] }],
  ])('an item without limit_date has no %s late fee', (_kind, p) => {
    expect(lateFee(100000n, 'COP', null, policy(p), '2025-03-10')).toEqual({
      amount: 0n,
      daysOverdue: 0,
      increments: 0,
    });
    const priced = price({ amount: 100000 }, { late_fees: p }, { merchantLateFees: merchantPolicy });
    expect(priced.lateFee).toBe(0n);
    expect(priced.daysOverdue).toBe(0);
  });

  test('no policy at all means no late fee even when overdue', () => {
    const priced = price({ amount: 100000 }, { limit_date: LIMIT });
    expect(priced.daysOverdue).toBe(9);
    expect(priced.lateFee).toBe(0n);
  });

  test('the merchant policy applies to an overdue item without its own', () => {
    const priced = price({ amount: 100000 }, { limit_date: LIMIT }, { merchantLateFees: merchantPolicy });
    expect(priced.lateFee).toBe(6000n);
  });

  test('the item policy overrides the merchant policy', () => {
    const priced = price(
      { amount: 100000 },
      { limit_date: LIMIT, late_fees: itemPolicy },
      { merchantLateFees: merchantPolicy },
    );
    // 9 days × 1000 instead of the merchant's 3 × 2 % = 6000
    expect(priced.lateFee).toBe(9000n);
    expect(priced.total).toBe(109000n);
  });

  test('the late fee is computed on A, not on the discounted amount', () => {
    const priced = price(
      { amount: 100000 },
      { limit_date: LIMIT, discount: { before_on: '2025-03-10', type: 'Porcentaje', value: 50 } },
      { merchantLateFees: merchantPolicy },
    );
    expect(priced.discount).toBe(50000n);
    expect(priced.lateFee).toBe(6000n);
    expect(priced.total).toBe(56000n);
  });
});
