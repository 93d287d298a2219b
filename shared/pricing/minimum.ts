import type { Advance } from '../erp/erp-item';
import { applyRate, maxMinor, minMinor } from '../money';

/**
 * The item's own minimum M (docs/spec/pricing.md, seed 003 `advance`): without an advance only the whole balance can
 * be paid; a fixed minimum is capped by the balance; a percentage minimum is a share of the gross due G,
 * rounded UP so a payer never pays less than the stated percentage.
 */
export function itemMinimum(advance: Advance | null, gross: bigint, balance: bigint): bigint {
  if (!advance) return balance;
  if (advance.type === 'minimum_amount') return minMinor(balance, advance.value);
  return minMinor(balance, applyRate(gross, advance.percent, 100n, 'up'));
}

/** E = max(M, merchant minimum, gateway minimum); absent settings count as 0. */
export function effectiveMinimum(itemMin: bigint, merchantMinimum: bigint, gatewayMinimum: bigint): bigint {
  return maxMinor(itemMin, merchantMinimum, gatewayMinimum);
}
