import type { LookupItem } from '../../../shared/api/schemas';
import { checkAmount, toUnits, type AmountCheck } from '../../lib/amount-input';

/** The payer may choose how much to pay only when a partial amount is possible (the BFF's maxPartial). */
export function hasAmountChoice(item: LookupItem): item is LookupItem & { maxPartial: string } {
  return item.payable && item.maxPartial !== null;
}

/** What will be charged for an item: the typed amount when it may be chosen, else the balance. */
export function chosenAmount(item: LookupItem, typed: string | undefined): AmountCheck {
  if (!hasAmountChoice(item) || typed === undefined) {
    return { ok: true, units: toUnits(item.balance, item.currency), text: item.balance };
  }
  return checkAmount(typed, item.currency, item.minimum, item.maxPartial, item.balance);
}

export function isZero(item: LookupItem, amountText: string): boolean {
  return toUnits(amountText, item.currency) === 0n;
}
