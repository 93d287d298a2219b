import { describe, expect, test } from 'vitest';
import { delivery } from '../../../shared/pricing/delivery';
import { payableRange, priceItem, type BlockedReason } from '../../../shared/pricing/price-item';
import { context, erpItem, price } from '../support/erp';

describe('delivery V', () => {
  test.each([
    [{ type: 'Con Valor', value: 5000 }, 5000n],
    [{ type: 'Gratis', value: 5000 }, 0n],
    [null, 0n],
  ])('%j adds %s to the gross due', (service, v) => {
    const priced = price({ amount: 20000 }, { delivery_service: service });
    expect(priced.delivery).toBe(v);
    expect(priced.total).toBe(20000n + v);
  });

  test('the delivery rule never yields a negative cost', () => {
    expect(delivery(5000n)).toBe(5000n);
    expect(delivery(0n)).toBe(0n);
    expect(delivery(-1n)).toBe(0n);
  });
});

describe('gross due G = A − D + L + V and balance B = max(0, G − P)', () => {
  const options = {
    limit_date: '2025-03-01',
    discount: { before_on: '2025-03-10', type: 'Valor', value: 1000 },
    delivery_service: { type: 'Con Valor', value: 5000 },
    late_fees: { condition_type: 'automated', type: 'amount', value: 500, frequency: 3, limit: 5 },
  };

  test('every part of the gross due is counted once', () => {
    const priced = price({ amount: 20000 }, options);
    expect([priced.discount, priced.lateFee, priced.delivery]).toEqual([1000n, 1500n, 5000n]);
    expect(priced.total).toBe(20000n - 1000n + 1500n + 5000n);
  });

  test.each([
    [0n, 25500n, null],
    [5000n, 20500n, null],
    [25499n, 1n, null],
    [25500n, 0n, 'paid'],
    [30000n, 0n, 'paid'],
  ])('after %s approved, the balance is %s (blocked: %s)', (paid, balance, reason) => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 1 } }, options, { paid });
    expect(priced.paid).toBe(paid);
    expect(priced.balance).toBe(balance);
    expect(priced.blockedReason).toBe(reason);
  });
});

describe('blocked reasons, in priority order paid > payment_pending > below_minimum > expired', () => {
  // An item that is expired (expiration, limit_date past) and can be made paid, pending and below the minimum.
  const expiredItem = erpItem({ amount: 20000 }, { limit_date: '2025-03-01', expiration: true });

  test.each<[string, { paid?: bigint; pending?: boolean; merchantMinimum?: bigint }, BlockedReason | null]>([
    [
      'paid, pending, below the minimum and expired',
      { paid: 20000n, pending: true, merchantMinimum: 30000n },
      'paid',
    ],
    ['paid and pending', { paid: 20000n, pending: true }, 'paid'],
    ['paid and below the minimum', { paid: 20000n, merchantMinimum: 30000n }, 'paid'],
    ['pending, below the minimum and expired', { pending: true, merchantMinimum: 30000n }, 'payment_pending'],
    ['pending and expired', { pending: true }, 'payment_pending'],
    ['below the minimum and expired', { merchantMinimum: 30000n }, 'below_minimum'],
    ['only expired', {}, 'expired'],
  ])('%s: %s', (_case, ctx, reason) => {
    const priced = priceItem(expiredItem, context(ctx));
    expect(priced.blockedReason).toBe(reason);
    expect(priced.payable).toBe(false);
    expect(payableRange(priced)).toBeNull();
  });

  test('an item with none of them is payable', () => {
    const priced = price({ amount: 20000 });
    expect(priced.blockedReason).toBeNull();
    expect(priced.payable).toBe(true);
  });

  test('a pending payment blocks an otherwise payable item', () => {
    expect(price({ amount: 20000 }, null, { pending: true }).blockedReason).toBe('payment_pending');
  });

  test('E equal to B is still payable; one unit more is below_minimum', () => {
    expect(price({ amount: 10000 }, null, { merchantMinimum: 10000n }).payable).toBe(true);
    expect(price({ amount: 9999 }, null, { merchantMinimum: 10000n }).blockedReason).toBe('below_minimum');
  });

  test('a partial payment can leave a balance under the merchant minimum, which is then below_minimum', () => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      paid: 15000n,
      merchantMinimum: 10000n,
    });
    expect(priced.balance).toBe(5000n);
    expect(priced.blockedReason).toBe('below_minimum');
  });

  test.each([
    ['2025-03-10', { limit_date: '2025-03-10', expiration: true }, null],
    ['2025-03-11', { limit_date: '2025-03-10', expiration: true }, 'expired'],
    ['2025-03-11', { limit_date: '2025-03-10', expiration: false }, null],
    ['2025-03-11', { limit_date: '2025-03-10' }, null],
    ['2030-01-01', { expiration: true }, null],
  ])('on %s an item with %j is blocked as %s', (today, options, reason) => {
    expect(price({ amount: 20000 }, options, { today }).blockedReason).toBe(reason);
  });
});

describe('payableRange', () => {
  test('with an advance the payer may choose any amount in [E, B]', () => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      merchantMinimum: 8000n,
    });
    expect(priced.allowsPartial).toBe(true);
    expect(payableRange(priced)).toEqual({ min: 8000n, max: 20000n });
  });

  test('without an advance the payer must pay exactly B, even above the merchant minimum', () => {
    const priced = price({ amount: 20000 }, null, { merchantMinimum: 8000n, paid: 5000n });
    expect(priced.allowsPartial).toBe(false);
    expect(payableRange(priced)).toEqual({ min: 15000n, max: 15000n });
  });

  test('an item that is not payable has no range', () => {
    expect(payableRange(price({ amount: 20000 }, null, { paid: 20000n }))).toBeNull();
  });
});

describe('purity', () => {
  test('pricing depends only on its inputs: the same item and context give the same result', () => {
    const item = erpItem({ amount: 20000 }, { limit_date: '2025-03-01' });
    const ctx = context({ today: '2025-03-10' });
    expect(priceItem(item, ctx)).toEqual(priceItem(item, ctx));
    expect(priceItem(item, context({ today: '2025-02-01' })).daysOverdue).toBe(0);
    expect(priceItem(item, ctx).daysOverdue).toBe(9);
  });
});
