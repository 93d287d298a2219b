import type { Withholding } from '../../shared/api/schemas';
import { taxBases, withholdingLines, type WithholdingLine } from '../../shared/business/withholding';
import { formatMinor, type Currency } from '../../shared/money';
import type { PricedItem } from '../../shared/pricing/price-item';
import type { MerchantConfig } from '../config/config-schema';

/**
 * Which withholdings a payer may declare on which item (docs/spec/business-payments.md §2): only when the
 * merchant configured kinds, the payer qualifies (a NIT typed with its check digit, a charge naming a NIT
 * payer, or `payers: "all"`), and the item can be paid and has nothing paid or withheld yet.
 */
export function withholdingOffers(
  merchant: MerchantConfig,
  priced: readonly PricedItem[],
  nitTyped: boolean,
): Map<string, WithholdingLine[]> {
  const offers = new Map<string, WithholdingLine[]>();
  const config = merchant.withholdings;
  if (!config || config.kinds.length === 0) return offers;
  const qualifies = config.payers === 'all' || nitTyped || priced.some((p) => p.item.nitPayer === true);
  if (!qualifies) return offers;
  for (const p of priced) {
    if (!p.payable || p.paid > 0n || p.withheld > 0n) continue;
    offers.set(
      p.item.ref,
      withholdingLines(config.kinds, taxBases(p.item.amount, p.item.taxes ?? null), p.item.currency),
    );
  }
  return offers;
}

/** The least cash part of a payment with withholdings: the merchant's and the gateway's minimums. */
export function cashMinimum(merchant: MerchantConfig, currency: Currency): bigint {
  const a = merchant.minimumPayment[currency] ?? 0n;
  const b = merchant.payu.minimumPayment[currency] ?? 0n;
  return a > b ? a : b;
}

export function formatWithholding(line: WithholdingLine, currency: Currency): Withholding {
  return {
    code: line.code,
    label: line.label,
    base: formatMinor(line.base, currency),
    rate: line.rate,
    amount: formatMinor(line.amount, currency),
  };
}
