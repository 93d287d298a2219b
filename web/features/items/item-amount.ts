import type { LookupItem } from '../../../shared/api/schemas';
import { checkAmount, toUnits, type AmountCheck } from '../../lib/amount-input';

/** The payer may choose how much to pay only when the minimum is below the balance (docs/spec/pricing.md). */
export function hasAmountChoice(item: LookupItem): boolean {
  return item.payable && toUnits(item.minimum, item.currency) < toUnits(item.balance, item.currency);
}

/** What will be charged for an item: the typed amount when it may be chosen, else the balance. */
export function chosenAmount(item: LookupItem, typed: string | undefined): AmountCheck {
  if (!hasAmountChoice(item) || typed === undefined) {
    return { ok: true, units: toUnits(item.balance, item.currency), text: item.balance };
  }
  return checkAmount(typed, item.currency, item.minimum, item.balance);
}

export function isZero(item: LookupItem, amountText: string): boolean {
  return toUnits(amountText, item.currency) === 0n;
}
