import { describe, expect, test } from 'vitest';
import type { Currency } from '../../../shared/money';
import { formatMinor } from '../../../shared/money';
import { payableRange, priceItem, type PricedItem } from '../../../shared/pricing/price-item';
import { lateFeePolicySchema } from '../../../shared/pricing/late-fee-policy';
import { context, erpItem } from '../support/erp';

// docs/spec/pricing.md "Worked examples": today T = 2025-03-10, merchant minimum COP 10000 (none for other currencies).
const MERCHANT_MINIMUM: Record<Currency, bigint> = { COP: 10000n, USD: 0n, EUR: 0n };

interface Example {
  n: number;
  info: Record<string, unknown>;
  options: Record<string, unknown> | null;
  /** The row of the spec's table, as decimal strings in the currency's precision. */
  D: string;
  L: string;
  V: string;
  G: string;
  M: string;
  E: string;
  /** The payable range [min, max], or the blocked reason. */
  payable: [string, string] | 'below_minimum';
}

const EXAMPLES: Example[] = [
  {
    n: 1,
    info: { amount: 20000, advance: { type: 'Valor Minimo', value: 5000 } },
    options: { delivery_service: { type: 'Con Valor', value: 5000 }, limit_date: '2025-03-15' },
    D: '0',
    L: '0',
    V: '5000',
    G: '25000',
    M: '5000',
    E: '10000',
    payable: ['10000', '25000'],
  },
  {
    n: 2,
    info: { amount: 20000 },
    options: { discount: { type: 'Porcentaje', value: 10, before_on: '2025-03-10' } },
    D: '2000',
    L: '0',
    V: '0',
    G: '18000',
    M: '18000',
    E: '18000',
    payable: ['18000', '18000'],
  },
  {
    n: 3,
    info: { amount: 20000 },
    options: { discount: { type: 'Valor', value: 3000, before_on: '2025-03-09' } },
    D: '0',
    L: '0',
    V: '0',
    G: '20000',
    M: '20000',
    E: '20000',
    payable: ['20000', '20000'],
  },
  {
    n: 4,
    info: { amount: 100000 },
    options: {
      limit_date: '2025-03-01',
      late_fees: { condition_type: 'automated', type: 'percentage', value: 0.02, frequency: 3, limit: 5 },
    },
    D: '0',
    L: '6000',
    V: '0',
    G: '106000',
    M: '106000',
    E: '106000',
    payable: ['106000', '106000'],
  },
  {
    n: 5,
    info: { amount: 8000 },
    options: null,
    D: '0',
    L: '0',
    V: '0',
    G: '8000',
    M: '8000',
    E: '10000',
    payable: 'below_minimum',
  },
  {
    n: 6,
    info: { amount: 50000, advance: { type: 'Porcentaje Minimo', value: 33 } },
    options: null,
    D: '0',
    L: '0',
    V: '0',
    G: '50000',
    M: '16500',
    E: '16500',
    payable: ['16500', '50000'],
  },
  {
    n: 7,
    info: { amount: '100.00', currency_type: 'USD' },
    options: {
      limit_date: '2025-03-01',
      late_fees: {
        condition_type: 'fixed',
        fixed: [
          { date: '2025-03-02', value: 5 },
          { date: '2025-03-20', value: 5 },
        ],
      },
    },
    // The table writes D and V of this USD row as "0"; in the API's form (2 decimals) that is "0.00".
    D: '0.00',
    L: '5.00',
    V: '0.00',
    G: '105.00',
    M: '105.00',
    E: '105.00',
    payable: ['105.00', '105.00'],
  },
];

function row(priced: PricedItem) {
  const c = priced.item.currency;
  const range = payableRange(priced);
  return {
    D: formatMinor(priced.discount, c),
    L: formatMinor(priced.lateFee, c),
    V: formatMinor(priced.delivery, c),
    G: formatMinor(priced.total, c),
    M: formatMinor(priced.itemMinimum, c),
    E: formatMinor(priced.minimum, c),
    payable: range
      ? [formatMinor(range.min, c), formatMinor(range.max, c)]
      : (priced.blockedReason as 'below_minimum'),
  };
}

describe('docs/spec/pricing.md worked examples (T = 2025-03-10, merchant minimum COP 10000)', () => {
  test.each(EXAMPLES)('example $n has the D, L, V, G, M, E and payable range of the table', (ex) => {
    const item = erpItem(ex.info, ex.options);
    const priced = priceItem(item, context({ merchantMinimum: MERCHANT_MINIMUM[item.currency] }));
    const { D, L, V, G, M, E, payable } = ex;
    expect(row(priced)).toEqual({ D, L, V, G, M, E, payable });
    expect(priced.payable).toBe(ex.payable !== 'below_minimum');
    expect(priced.balance).toBe(priced.total);
  });

  test('example 4 has d = 9 days overdue and n = min(5, ceil(9/3)) = 3 increments of 2 %', () => {
    const priced = priceItem(
      erpItem(EXAMPLES[3]!.info, EXAMPLES[3]!.options),
      context({ merchantMinimum: 10000n }),
    );
    expect(priced.daysOverdue).toBe(9);
    expect(priced.lateFee).toBe(6000n);
  });

  test.each([
    [4, { condition_type: 'automated', type: 'percentage', value: 0.02, frequency: 3, limit: 5 }, 6000n],
    [
      7,
      {
        condition_type: 'fixed',
        fixed: [
          { date: '2025-03-02', value: 5 },
          { date: '2025-03-20', value: 5 },
        ],
      },
      500n,
    ],
  ])(
    'example %i gives the same late fee when the policy is the merchant default instead of the item’s',
    (n, policy, fee) => {
      const ex = EXAMPLES[n - 1]!;
      const options = { ...ex.options };
      delete options.late_fees;
      const item = erpItem(ex.info, options);
      expect(item.lateFees).toBeNull();
      const priced = priceItem(
        item,
        context({
          merchantMinimum: MERCHANT_MINIMUM[item.currency],
          merchantLateFees: lateFeePolicySchema.parse(policy),
        }),
      );
      expect(priced.lateFee).toBe(fee);
      expect(row(priced)).toMatchObject({ L: ex.L, G: ex.G, E: ex.E });
    },
  );

  test('example 1 offers 10000…25000 because the merchant minimum lifts the 5000 advance', () => {
    const priced = priceItem(
      erpItem(EXAMPLES[0]!.info, EXAMPLES[0]!.options),
      context({ merchantMinimum: 10000n }),
    );
    expect(priced.allowsPartial).toBe(true);
    // A partial amount must leave at least E: 10000…15000, or the whole 25000.
    expect(payableRange(priced)).toEqual({ min: 10000n, max: 25000n, maxPartial: 15000n });
  });

  test('example 5 is not offered: its button is disabled as below_minimum and it has no payable range', () => {
    const priced = priceItem(
      erpItem(EXAMPLES[4]!.info, EXAMPLES[4]!.options),
      context({ merchantMinimum: 10000n }),
    );
    expect(priced.payable).toBe(false);
    expect(priced.blockedReason).toBe('below_minimum');
    expect(payableRange(priced)).toBeNull();
  });
});
