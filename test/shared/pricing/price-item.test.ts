import { describe, expect, test } from 'vitest';
import { delivery } from '../../../shared/pricing/delivery';
import fc from 'fast-check';
import {
  checkPayAmount,
  payableRange,
  priceItem,
  type BlockedReason,
} from '../../../shared/pricing/price-item';
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

  test('a balance under the merchant minimum after a partial payment may be paid in full', () => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      paid: 15000n,
      merchantMinimum: 10000n,
      gatewayMinimum: 1000n,
    });
    expect(priced.balance).toBe(5000n);
    expect(priced.blockedReason).toBeNull();
    expect(payableRange(priced)).toEqual({ min: 5000n, max: 5000n, maxPartial: null });
    expect(checkPayAmount(priced, 5000n)).toEqual({ ok: true });
    expect(checkPayAmount(priced, 4000n)).toEqual({ ok: false, code: 'amount_out_of_range' });
  });

  test('…but not when it is under the gateway minimum, and never with nothing paid yet', () => {
    const underGateway = price({ amount: 20000 }, null, {
      paid: 19500n,
      merchantMinimum: 10000n,
      gatewayMinimum: 1000n,
    });
    expect(underGateway.blockedReason).toBe('below_minimum');
    expect(price({ amount: 8000 }, null, { merchantMinimum: 10000n }).blockedReason).toBe('below_minimum');
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

describe('payableRange and checkPayAmount', () => {
  test('with an advance the payer may choose B, or any X in [E, B − E]', () => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      merchantMinimum: 8000n,
    });
    expect(priced.allowsPartial).toBe(true);
    expect(priced.maxPartial).toBe(12000n);
    expect(payableRange(priced)).toEqual({ min: 8000n, max: 20000n, maxPartial: 12000n });
    for (const ok of [8000n, 12000n, 20000n]) expect(checkPayAmount(priced, ok)).toEqual({ ok: true });
  });

  test.each([12001n, 15000n, 19999n])(
    'X = %s would leave 0 < B − X < E: refused as remainder_below_minimum with the largest partial',
    (x) => {
      const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
        merchantMinimum: 8000n,
      });
      expect(checkPayAmount(priced, x)).toEqual({
        ok: false,
        code: 'remainder_below_minimum',
        maxPartial: 12000n,
      });
    },
  );

  test('the issue’s case: 15.000 of 20.000 with a 10.000 minimum is refused, 10.000 is the most', () => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      merchantMinimum: 10000n,
    });
    expect(checkPayAmount(priced, 15000n)).toEqual({
      ok: false,
      code: 'remainder_below_minimum',
      maxPartial: 10000n,
    });
    expect(checkPayAmount(priced, 10000n)).toEqual({ ok: true });
  });

  test('when B < 2E no partial amount is possible: only B', () => {
    const priced = price({ amount: 15000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      merchantMinimum: 8000n,
    });
    expect(priced.maxPartial).toBeNull();
    expect(payableRange(priced)).toEqual({ min: 15000n, max: 15000n, maxPartial: null });
    expect(checkPayAmount(priced, 8000n)).toMatchObject({ code: 'remainder_below_minimum' });
    expect(checkPayAmount(priced, 15000n)).toEqual({ ok: true });
  });

  test.each([0n, 7999n, 20001n])('X = %s is outside [E, B]: amount_out_of_range', (x) => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      merchantMinimum: 8000n,
    });
    expect(checkPayAmount(priced, x)).toEqual({ ok: false, code: 'amount_out_of_range' });
  });

  test('without an advance the payer must pay exactly B, even above the merchant minimum', () => {
    const priced = price({ amount: 20000 }, null, { merchantMinimum: 8000n, paid: 5000n });
    expect(priced.allowsPartial).toBe(false);
    expect(payableRange(priced)).toEqual({ min: 15000n, max: 15000n, maxPartial: null });
    expect(checkPayAmount(priced, 10000n)).toEqual({ ok: false, code: 'amount_out_of_range' });
  });

  test('property: every accepted amount leaves 0 or at least E, and B is always accepted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        (amount, advance, merchantMinimum, paid, x) => {
          const priced = price({ amount, advance: { type: 'Valor Minimo', value: advance } }, null, {
            merchantMinimum: BigInt(merchantMinimum),
            gatewayMinimum: 100n,
            paid: BigInt(paid),
          });
          if (!priced.payable) return;
          expect(checkPayAmount(priced, priced.balance)).toEqual({ ok: true });
          if (checkPayAmount(priced, BigInt(x)).ok) {
            const rest = priced.balance - BigInt(x);
            expect(rest === 0n || rest >= priced.minimum).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
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
