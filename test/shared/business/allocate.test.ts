import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  compareSpreadOrder,
  nearestAllocatable,
  spreadAmount,
  type SpreadItem,
} from '../../../shared/business/allocate';

/** docs/spec/business-payments.md §1 example (COP, merchant minimum 10000), already in spread order. */
const EXAMPLE: SpreadItem[] = [
  { ref: 'A-0301', balance: 30000n, minimum: 30000n, allowsPartial: false },
  { ref: 'B-0305', balance: 50000n, minimum: 10000n, allowsPartial: true },
  { ref: 'C-0320', balance: 20000n, minimum: 20000n, allowsPartial: false },
];

describe('spreadAmount: the spec example', () => {
  test('60000 → 30000 + 30000', () => {
    expect(spreadAmount(EXAMPLE, 60000n)).toEqual({
      ok: true,
      total: 60000n,
      allocations: [
        { ref: 'A-0301', amount: 30000n },
        { ref: 'B-0305', amount: 30000n },
      ],
    });
  });

  test('35000 is refused: 5000 is under the advance minimum; lower 30000, upper 40000', () => {
    expect(spreadAmount(EXAMPLE, 35000n)).toEqual({ ok: false, lower: 30000n, upper: 40000n });
  });

  test('100000 pays all three', () => {
    const r = spreadAmount(EXAMPLE, 100000n);
    expect(r.ok && r.allocations.map((a) => a.amount)).toEqual([30000n, 50000n, 20000n]);
  });
});

describe('spreadAmount: boundaries', () => {
  test.each([
    // amount, expected allocations or [lower, upper]
    [30000n, [30000n]],
    [40000n, [30000n, 10000n]],
    [80000n, [30000n, 50000n]],
    [29999n, ['lower', null, 30000n]],
    [39999n, ['lower', 30000n, 40000n]],
    [80001n, ['lower', 80000n, 100000n]],
    [99999n, ['lower', 80000n, 100000n]],
    [100001n, ['lower', 100000n, null]],
    [0n, ['lower', null, 30000n]],
    [-5n, ['lower', null, 30000n]],
  ] as const)('%s', (amount, expected) => {
    const r = spreadAmount(EXAMPLE, amount);
    if (expected[0] === 'lower') {
      expect(r).toEqual({ ok: false, lower: expected[1], upper: expected[2] });
    } else {
      expect(r.ok && r.allocations.map((a) => a.amount)).toEqual(expected);
    }
  });

  test('an item without partial payments in the middle is all or nothing', () => {
    const items: SpreadItem[] = [
      { ref: 'a', balance: 100n, minimum: 10n, allowsPartial: true },
      { ref: 'b', balance: 100n, minimum: 100n, allowsPartial: false },
      { ref: 'c', balance: 100n, minimum: 10n, allowsPartial: true },
    ];
    expect(spreadAmount(items, 150n)).toEqual({ ok: false, lower: 100n, upper: 200n });
    expect(spreadAmount(items, 205n)).toEqual({ ok: false, lower: 200n, upper: 210n });
    expect(spreadAmount(items, 250n).ok).toBe(true);
  });

  test('no items: nothing can be spread', () => {
    expect(spreadAmount([], 1000n)).toEqual({ ok: false, lower: null, upper: null });
  });
});

describe('compareSpreadOrder', () => {
  test('by limit date, none last, then by ref', () => {
    const items = [
      { ref: 'z', limitDate: null },
      { ref: 'b', limitDate: '2025-03-05' },
      { ref: 'a', limitDate: '2025-03-05' },
      { ref: 'y', limitDate: '2025-03-01' },
      { ref: 'c', limitDate: null },
    ];
    expect([...items].sort(compareSpreadOrder).map((i) => i.ref)).toEqual(['y', 'a', 'b', 'c', 'z']);
  });
});

const itemArb = fc
  .record({
    balance: fc.bigInt({ min: 1n, max: 200n }),
    minimumShare: fc.bigInt({ min: 1n, max: 200n }),
    allowsPartial: fc.boolean(),
  })
  .map(({ balance, minimumShare, allowsPartial }) => ({
    balance,
    minimum: allowsPartial ? (minimumShare > balance ? balance : minimumShare) : balance,
    allowsPartial,
  }));
const itemsArb = fc
  .array(itemArb, { minLength: 0, maxLength: 8 })
  .map((list) => list.map((item, i) => ({ ref: `r${i}`, ...item })));

describe('spreadAmount: properties', () => {
  test('an accepted spread sums to the amount, never exceeds a balance, never leaves a share below its minimum, and fills items in order', () => {
    fc.assert(
      fc.property(itemsArb, fc.bigInt({ min: -10n, max: 1700n }), (items, amount) => {
        const r = spreadAmount(items, amount);
        if (!r.ok) return;
        expect(r.total).toBe(amount);
        expect(r.allocations.reduce((s, a) => s + a.amount, 0n)).toBe(amount);
        r.allocations.forEach((a, i) => {
          const item = items[i]!;
          expect(a.ref).toBe(item.ref);
          expect(a.amount).toBeGreaterThan(0n);
          expect(a.amount).toBeLessThanOrEqual(item.balance);
          expect(a.amount).toBeGreaterThanOrEqual(item.minimum);
          // Only the last share may be partial.
          if (i < r.allocations.length - 1) expect(a.amount).toBe(item.balance);
          if (a.amount < item.balance) expect(item.allowsPartial).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  test('a refused amount gets the nearest spreadable amounts: both spread, and nothing between them does', () => {
    fc.assert(
      fc.property(itemsArb, fc.bigInt({ min: -10n, max: 1700n }), (items, amount) => {
        const r = spreadAmount(items, amount);
        if (r.ok) return;
        const works = (x: bigint) => spreadAmount(items, x).ok;
        if (r.lower !== null) {
          expect(r.lower).toBeLessThan(amount);
          expect(works(r.lower)).toBe(true);
        }
        if (r.upper !== null) {
          expect(r.upper).toBeGreaterThan(amount);
          expect(works(r.upper)).toBe(true);
        }
        const from = r.lower ?? 0n;
        const to = r.upper ?? items.reduce((s, i) => s + i.balance, 0n) + 1n;
        for (let x = from + 1n; x < to; x++) expect(works(x)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  test('nearestAllocatable agrees with a brute-force search', () => {
    fc.assert(
      fc.property(itemsArb, fc.bigInt({ min: 0n, max: 1700n }), (items, amount) => {
        const total = items.reduce((s, i) => s + i.balance, 0n);
        let lower: bigint | null = null;
        for (let x = amount - 1n; x > 0n; x--) {
          if (spreadAmount(items, x).ok) {
            lower = x;
            break;
          }
        }
        let upper: bigint | null = null;
        for (let x = amount + 1n; x <= total; x++) {
          if (spreadAmount(items, x).ok) {
            upper = x;
            break;
          }
        }
        expect(nearestAllocatable(items, amount)).toEqual({ lower, upper });
      }),
      { numRuns: 150 },
    );
  });

  test('"Pay all" (the sum of the balances) always spreads, each item in full', () => {
    fc.assert(
      fc.property(itemsArb, (items) => {
        fc.pre(items.length > 0);
        const total = items.reduce((s, i) => s + i.balance, 0n);
        const r = spreadAmount(items, total);
        expect(r.ok && r.allocations.map((a) => a.amount)).toEqual(items.map((i) => i.balance));
      }),
      { numRuns: 100 },
    );
  });
});
