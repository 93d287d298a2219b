import type { Withholding } from '../../shared/api/schemas';
import { formatMinor, type Currency } from '../../shared/money';
import { formatWithholding } from '../services/withholding-offers';
import type { CheckoutItemRecord, CheckoutRecord } from '../store/store';

/**
 * Gross, each withholding and cash of one paid item, as the API, the webhook and the receipt show them
 * (docs/spec/business-payments.md §2). Nothing when nothing was withheld: `amount` is then the whole story.
 */
export function withheldView(
  item: CheckoutItemRecord,
  currency: Currency,
): { gross?: string; withheld?: string; withholdings?: Withholding[] } {
  const withheld = item.withheld ?? 0n;
  if (withheld === 0n) return {};
  return {
    gross: formatMinor(item.amount + withheld, currency),
    withheld: formatMinor(withheld, currency),
    withholdings: (item.withholdings ?? []).map((w) => formatWithholding(w, currency)),
  };
}

/** The payment's gross and withheld totals (its `amount` is the cash total); nothing when none was withheld. */
export function totalsView(checkout: CheckoutRecord): { gross?: string; withheld?: string } {
  const withheld = checkout.items.reduce((sum, i) => sum + (i.withheld ?? 0n), 0n);
  if (withheld === 0n) return {};
  return {
    gross: formatMinor(checkout.amount + withheld, checkout.currency),
    withheld: formatMinor(withheld, checkout.currency),
  };
}
