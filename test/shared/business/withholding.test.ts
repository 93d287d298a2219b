import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  settleWithWithholdings,
  taxBases,
  withholdingLine,
  withholdingLines,
  type WithholdingKind,
} from '../../../shared/business/withholding';

/** The kinds of docs/spec/business-payments.md §2. */
const KINDS: WithholdingKind[] = [
  {
    code: 'rtefte-servicios',
    label: 'Retención en la fuente 4 %',
    base: 'subtotal',
    rate: '0.04',
    minimumBase: { COP: 199000n },
  },
  { code: 'reteiva', label: 'ReteIVA 15 %', base: 'iva', rate: '0.15', minimumBase: {} },
  { code: 'reteica-bogota', label: 'ReteICA 9,66 ‰', base: 'subtotal', rate: '0.00966', minimumBase: {} },
];

describe('withholdings: the spec example', () => {
  const bases = taxBases(1190000n, { subtotal: 1000000n, iva: 190000n });
  test('retefuente 40000, ReteIVA 28500, ReteICA 9660', () => {
    expect(withholdingLines(KINDS, bases, 'COP').map((l) => [l.code, l.base, l.amount])).toEqual([
      ['rtefte-servicios', 1000000n, 40000n],
      ['reteiva', 190000n, 28500n],
      ['reteica-bogota', 1000000n, 9660n],
    ]);
  });
  test('all three ticked: W = 78160, cash 1111840', () => {
    const offered = withholdingLines(KINDS, bases, 'COP');
    const s = settleWithWithholdings(
      1190000n,
      KINDS.map((k) => k.code),
      offered,
      10000n,
    );
    expect(s.ok && [s.withheld, s.cash]).toEqual([78160n, 1111840n]);
  });
});

describe('withholdings: rules', () => {
  test('without taxes the subtotal is the amount and IVA is 0, so ReteIVA is 0', () => {
    const bases = taxBases(500000n, null);
    expect(bases).toEqual({ subtotal: 500000n, iva: 0n });
    expect(withholdingLines(KINDS, bases, 'COP').map((l) => l.amount)).toEqual([20000n, 0n, 4830n]);
  });

  test.each([
    [198999n, 0n],
    [199000n, 7960n],
    [199001n, 7960n],
  ])('minimum base: subtotal %s → %s', (subtotal, expected) => {
    expect(withholdingLine(KINDS[0]!, { subtotal, iva: 0n }, 'COP').amount).toBe(expected);
  });

  test('a currency without a minimum-base entry has no minimum', () => {
    expect(withholdingLine(KINDS[0]!, { subtotal: 10000n, iva: 0n }, 'USD').amount).toBe(400n);
  });

  test.each([
    // base × 0.00966 rounded half up
    [50n, 0n], // 0.483
    [52n, 1n], // 0.50232
    [51760n, 500n], // 500.0016
    [155280n, 1500n], // 1500.0048
  ])('rounds half up: ReteICA on %s is %s', (subtotal, expected) => {
    expect(withholdingLine(KINDS[2]!, { subtotal, iva: 0n }, 'COP').amount).toBe(expected);
  });

  test('an unknown code is refused; a cash part under the minimum is refused', () => {
    const offered = withholdingLines(KINDS, { subtotal: 1000000n, iva: 190000n }, 'COP');
    expect(settleWithWithholdings(1190000n, ['nope'], offered, 0n)).toEqual({
      ok: false,
      reason: 'unknown_withholding',
    });
    expect(settleWithWithholdings(78000n, ['rtefte-servicios', 'reteiva'], offered, 10000n)).toEqual({
      ok: false,
      reason: 'below_minimum',
    });
    expect(
      settleWithWithholdings(
        78160n,
        KINDS.map((k) => k.code),
        offered,
        0n,
      ),
    ).toEqual({
      ok: false,
      reason: 'below_minimum',
    });
  });

  test('ticking a code twice counts it once', () => {
    const offered = withholdingLines(KINDS, { subtotal: 1000000n, iva: 190000n }, 'COP');
    const s = settleWithWithholdings(1190000n, ['reteiva', 'reteiva'], offered, 0n);
    expect(s.ok && s.withheld).toBe(28500n);
  });
});

describe('withholdings: properties', () => {
  const kindArb = fc.record({
    code: fc.constantFrom('a', 'b', 'c'),
    label: fc.constant('x'),
    base: fc.constantFrom('subtotal' as const, 'iva' as const),
    rate: fc.integer({ min: 1, max: 99999 }).map((n) => `0.${String(n).padStart(5, '0')}`),
    minimumBase: fc
      .option(fc.bigInt({ min: 0n, max: 1000000n }), { nil: undefined })
      .map((m) => (m === undefined ? {} : { COP: m })),
  });

  test('each withholding is 0 or the exact half-up rounding of base × rate, never above the base', () => {
    fc.assert(
      fc.property(
        kindArb,
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        (kind, subtotal, iva) => {
          const line = withholdingLine(kind, { subtotal, iva }, 'COP');
          const base = kind.base === 'iva' ? iva : subtotal;
          expect(line.base).toBe(base);
          expect(line.amount).toBeLessThanOrEqual(base);
          const scaled = base * BigInt(kind.rate.slice(2)); // rate × 10^5
          const exact = line.amount * 100000n;
          if (line.amount !== 0n || base >= (kind.minimumBase.COP ?? 0n)) {
            // |amount − base × rate| ≤ 1/2, ties rounded up.
            expect(exact - scaled).toBeLessThanOrEqual(50000n);
            expect(scaled - exact).toBeLessThan(50000n);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an accepted settlement pays cash + withheld = the whole balance, cash at least the minimum', () => {
    fc.assert(
      fc.property(
        fc.array(kindArb, { maxLength: 3 }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (kinds, balance, minimum) => {
          const unique = kinds.filter((k, i) => kinds.findIndex((o) => o.code === k.code) === i);
          const offered = withholdingLines(unique, taxBases(balance, null), 'COP');
          const s = settleWithWithholdings(
            balance,
            unique.map((k) => k.code),
            offered,
            minimum,
          );
          if (!s.ok) {
            const w = offered.reduce((a, l) => a + l.amount, 0n);
            expect(balance - w < minimum || balance - w <= 0n).toBe(true);
            return;
          }
          expect(s.cash + s.withheld).toBe(balance);
          expect(s.cash).toBeGreaterThanOrEqual(minimum);
          expect(s.withheld).toBe(s.lines.reduce((a, l) => a + l.amount, 0n));
        },
      ),
      { numRuns: 300 },
    );
  });
});
