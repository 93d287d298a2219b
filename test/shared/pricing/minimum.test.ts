import { describe, expect, test } from 'vitest';
import { parseDecimal } from '../../../shared/money';
import type { Advance } from '../../../shared/erp/erp-item';
import { effectiveMinimum, itemMinimum } from '../../../shared/pricing/minimum';
import { price } from '../support/erp';

function percent(text: string): Advance {
  const d = parseDecimal(text);
  if (!d) throw new Error(text);
  return { type: 'minimum_percent', percent: d };
}

describe('item minimum M (docs/spec/pricing.md)', () => {
  test.each<[string, Advance | null, bigint, bigint, bigint]>([
    // [case, advance, G, B, M]
    ['no advance: only the whole balance', null, 20000n, 20000n, 20000n],
    ['no advance after a partial payment', null, 20000n, 15000n, 15000n],
    ['Valor Minimo below the balance', { type: 'minimum_amount', value: 5000n }, 25000n, 25000n, 5000n],
    ['Valor Minimo equal to the balance', { type: 'minimum_amount', value: 25000n }, 25000n, 25000n, 25000n],
    [
      'Valor Minimo above the balance is capped',
      { type: 'minimum_amount', value: 30000n },
      20000n,
      20000n,
      20000n,
    ],
    [
      'Valor Minimo above what is left after payments',
      { type: 'minimum_amount', value: 5000n },
      25000n,
      3000n,
      3000n,
    ],
    ['Porcentaje Minimo 33 of 50000, exact', percent('33'), 50000n, 50000n, 16500n],
    ['Porcentaje Minimo 33.33 of 10001 rounds up', percent('33.33'), 10001n, 10001n, 3334n],
    ['Porcentaje Minimo 50 of 10001 rounds up a half', percent('50'), 10001n, 10001n, 5001n],
    ['Porcentaje Minimo 0.01 of 100 rounds up to one unit', percent('0.01'), 100n, 100n, 1n],
    ['Porcentaje Minimo 100 is the whole gross', percent('100'), 20000n, 20000n, 20000n],
    ['Porcentaje Minimo is a share of G, not of B', percent('33'), 50000n, 40000n, 16500n],
    ['Porcentaje Minimo is capped by the balance', percent('33'), 50000n, 10000n, 10000n],
  ])('%s', (_case, advance, gross, balance, expected) => {
    expect(itemMinimum(advance, gross, balance)).toBe(expected);
  });

  test('a percentage minimum never asks less than the stated share of G', () => {
    for (const g of [1n, 3n, 7n, 10001n, 99999n, 123457n]) {
      for (const p of ['1', '33.33', '50', '66.67', '99.99']) {
        const m = itemMinimum(percent(p), g, g);
        // m ≥ G × p / 100, and m − 1 < G × p / 100
        const d = parseDecimal(p)!;
        const scaled = 100n * 10n ** BigInt(d.scale);
        expect(m * scaled >= g * d.int).toBe(true);
        expect((m - 1n) * scaled < g * d.int).toBe(true);
      }
    }
  });
});

describe('effective minimum E = max(M, merchant minimum, gateway minimum)', () => {
  test.each([
    [5000n, 10000n, 0n, 10000n],
    [16500n, 10000n, 0n, 16500n],
    [5000n, 0n, 0n, 5000n],
    [5000n, 0n, 8000n, 8000n],
    [5000n, 10000n, 12000n, 12000n],
  ])('M = %s, merchant %s, gateway %s gives E = %s', (m, merchant, gateway, e) => {
    expect(effectiveMinimum(m, merchant, gateway)).toBe(e);
  });
});

describe('minimums through priceItem', () => {
  test('the gateway minimum also lifts E', () => {
    const priced = price({ advance: { type: 'Valor Minimo', value: 1000 } }, null, { gatewayMinimum: 3000n });
    expect(priced.itemMinimum).toBe(1000n);
    expect(priced.minimum).toBe(3000n);
  });

  test('Porcentaje Minimo 33.33 % of 10001 asks at least 3334', () => {
    const priced = price({ amount: 10001, advance: { type: 'Porcentaje Minimo', value: 33.33 } });
    expect(priced.itemMinimum).toBe(3334n);
    expect(priced.minimum).toBe(3334n);
  });

  test('after a partial payment the range is [M, B] on the balance left', () => {
    const priced = price(
      { amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } },
      { delivery_service: { type: 'Con Valor', value: 5000 } },
      { paid: 12000n },
    );
    expect(priced.total).toBe(25000n);
    expect(priced.balance).toBe(13000n);
    expect(priced.itemMinimum).toBe(5000n);
    expect(priced.payable).toBe(true);
  });

  test('a balance left below a fixed advance becomes the minimum', () => {
    const priced = price({ amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } }, null, {
      paid: 17000n,
    });
    expect(priced.balance).toBe(3000n);
    expect(priced.itemMinimum).toBe(3000n);
    expect(priced.minimum).toBe(3000n);
    expect(priced.payable).toBe(true);
  });

  test('a percentage minimum after a partial payment is still a share of G, capped by B', () => {
    const advance = { type: 'Porcentaje Minimo', value: 33 };
    expect(price({ amount: 50000, advance }, null, { paid: 10000n }).itemMinimum).toBe(16500n);
    expect(price({ amount: 50000, advance }, null, { paid: 40000n }).itemMinimum).toBe(10000n);
  });

  test('without an advance, a partial payment leaves exactly the balance to pay', () => {
    const priced = price({ amount: 20000 }, null, { paid: 5000n });
    expect(priced.itemMinimum).toBe(15000n);
    expect(priced.allowsPartial).toBe(false);
  });

  test('the minimum never exceeds the balance of a payable item', () => {
    for (const paid of [0n, 1n, 9999n, 15000n, 19999n]) {
      for (const advance of [
        null,
        { type: 'Valor Minimo', value: 30000 },
        { type: 'Porcentaje Minimo', value: 99.5 },
      ]) {
        const priced = price({ amount: 20000, advance }, null, { paid });
        expect(priced.payable).toBe(true);
        expect(priced.minimum <= priced.balance).toBe(true);
      }
    }
  });
});
