import { describe, expect, test } from 'vitest';
import { incentive, incentiveReachesAmount, type IncentivePolicy } from '../../../shared/pricing/incentive';
import { priceItem, type PayableItem } from '../../../shared/pricing/price-item';

/** docs/spec/merchant-charges.md "Incentives", worked examples: T = 2025-03-10, COP, A = 100000. */
const T = '2025-03-10';
const A = 100_000n;

const automated = (
  type: 'amount' | 'percentage',
  value: string,
  frequency: number,
  limit: number,
): IncentivePolicy => ({
  condition_type: 'automated',
  type,
  value,
  frequency,
  limit,
});
const fixed = (...entries: [string, string][]): IncentivePolicy => ({
  condition_type: 'fixed',
  fixed: entries.map(([date, value]) => ({ date, value })),
});

describe('worked examples', () => {
  test.each([
    [1, automated('percentage', '0.01', 3, 5), '2025-03-20', 3000n, '2025-03-11'],
    [2, automated('amount', '2000', 7, 2), '2025-04-30', 4000n, '2025-04-16'],
    [3, automated('percentage', '0.01', 3, 5), '2025-03-12', 0n, null],
    [
      4,
      fixed(['2025-03-05', '5000'], ['2025-03-12', '3000'], ['2025-03-18', '1000']),
      '2025-03-20',
      3000n,
      '2025-03-12',
    ],
    [5, fixed(['2025-03-05', '5000']), '2025-03-20', 0n, null],
  ] as const)('example %i', (_n, policy, limitDate, d, until) => {
    expect(incentive(A, 'COP', limitDate, policy, T)).toEqual({ amount: d, until });
  });

  test('example 6: automated amount 60000 × 30 ≥ A is refused', () => {
    expect(incentiveReachesAmount(A, 'COP', automated('amount', '60000', 1, 30))).toEqual({
      path: ['value'],
      message: 'limit × value must be less than the amount',
    });
  });
});

describe('boundaries', () => {
  test('a step is earned per full period: e = 9, frequency 3 → 3 steps; e = 8 → 2', () => {
    const p = automated('amount', '1000', 3, 30);
    expect(incentive(A, 'COP', '2025-03-19', p, T).amount).toBe(3000n);
    expect(incentive(A, 'COP', '2025-03-18', p, T).amount).toBe(2000n);
  });

  test('on and after limit_date there is nothing to earn; without limit_date either', () => {
    const p = automated('amount', '1000', 1, 30);
    expect(incentive(A, 'COP', T, p, T).amount).toBe(0n);
    expect(incentive(A, 'COP', '2025-03-01', p, T).amount).toBe(0n);
    expect(incentive(A, 'COP', null, p, T).amount).toBe(0n);
  });

  test('a fixed tier dated today still applies (earliest date ≥ T)', () => {
    expect(
      incentive(A, 'COP', '2025-03-20', fixed(['2025-03-10', '700'], ['2025-03-11', '900']), T).amount,
    ).toBe(700n);
  });

  test('percentages round half up in the currency precision', () => {
    // 3 × 0.5 % of USD 10.01 = 0.15015 → 0.15
    expect(incentive(1001n, 'USD', '2025-03-20', automated('percentage', '0.005', 3, 5), T).amount).toBe(15n);
    // 1 × 1.5 % of COP 100 = 1.5 → 2
    expect(incentive(100n, 'COP', '2025-03-11', automated('percentage', '0.015', 1, 5), T).amount).toBe(2n);
  });

  test('refusals: percentage limit × value ≥ 1; a fixed value ≥ A; accepted just below', () => {
    expect(incentiveReachesAmount(A, 'COP', automated('percentage', '0.2', 3, 5))).not.toBeNull();
    expect(incentiveReachesAmount(A, 'COP', automated('percentage', '0.19', 3, 5))).toBeNull();
    expect(incentiveReachesAmount(A, 'COP', automated('amount', '3333', 1, 30))).toBeNull();
    expect(
      incentiveReachesAmount(A, 'COP', fixed(['2025-03-12', '99999'], ['2025-03-13', '100000'])),
    ).toEqual({
      path: ['fixed', 1, 'value'],
      message: 'must be less than the amount',
    });
  });
});

describe('a charge priced by docs/spec/pricing.md with its incentive', () => {
  const charge = (over: Partial<PayableItem> = {}): PayableItem => ({
    ref: 'abc12345',
    source: 'charge',
    description: 'Cobro',
    currency: 'COP',
    amount: A,
    payerName: null,
    advance: null,
    metadata: null,
    limitDate: '2025-03-20',
    discount: null,
    delivery: 0n,
    requestAddressDelivery: false,
    references: [],
    picture: null,
    webhookUrl: null,
    comments: { enabled: false, label: null },
    lateFees: null,
    expiration: false,
    charge: { incentive: automated('percentage', '0.01', 3, 5), block: null, paidOffline: 0n },
    ...over,
  });
  const ctx = {
    today: T,
    merchantMinimum: 10_000n,
    gatewayMinimum: 0n,
    merchantLateFees: null,
    paid: 0n,
    pending: false,
  };

  test('D = 3000, G = 97000, the whole balance only (M = B)', () => {
    const p = priceItem(charge(), ctx);
    expect(p).toMatchObject({
      discount: 3000n,
      total: 97_000n,
      balance: 97_000n,
      minimum: 97_000n,
      payable: true,
    });
    expect(p.allowsPartial).toBe(false);
  });

  test('an offline state blocks after paid; split parts collected offline count as paid', () => {
    const block = { incentive: null, block: 'in_review' as const, paidOffline: 0n };
    expect(priceItem(charge({ charge: block }), ctx).blockedReason).toBe('in_review');
    const split = priceItem(charge({ charge: { incentive: null, block: null, paidOffline: 40_000n } }), ctx);
    expect(split).toMatchObject({ paid: 40_000n, balance: 60_000n, payable: true });
  });
});
