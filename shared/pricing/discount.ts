import type { IsoDate } from '../dates';
import type { DiscountRule } from '../erp/erp-item';
import { applyRate, minMinor } from '../money';

export interface DiscountResult {
  /** D, in minor units. */
  readonly amount: bigint;
  /** The last day the discount applies, when it applies today. */
  readonly until: IsoDate | null;
}

/** Early-payment discount D (docs/spec/pricing.md): applies while today ≤ before_on, inclusive. */
export function discount(amount: bigint, rule: DiscountRule | null, today: IsoDate): DiscountResult {
  if (!rule || today > rule.beforeOn) return { amount: 0n, until: null };
  const d =
    rule.type === 'percent' ? applyRate(amount, rule.percent, 100n, 'halfUp') : minMinor(amount, rule.value);
  return { amount: d, until: d > 0n ? rule.beforeOn : null };
}
