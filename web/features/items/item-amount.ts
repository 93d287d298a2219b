import type { LookupItem, Withholding } from '../../../shared/api/schemas';
import { formatMinor } from '../../../shared/money';
import { checkAmount, toUnits, type AmountCheck } from '../../lib/amount-input';

/** The payer may choose how much to pay only when a partial amount is possible (the BFF's maxPartial). */
export function hasAmountChoice(item: LookupItem): item is LookupItem & { maxPartial: string } {
  return item.payable && item.maxPartial !== null;
}

/**
 * The withholdings the payer may tick on an item: those the BFF offers, without the ones that come to 0
 * here (a base under the kind's minimum, an item without IVA): ticking them would change nothing.
 */
export function offeredWithholdings(item: LookupItem): readonly Withholding[] {
  if (!item.payable) return [];
  return (item.withholdings ?? []).filter((w) => toUnits(w.amount, item.currency) > 0n);
}

/** The ticked withholdings of an item, among those offered (a stale code is ignored). */
export function tickedWithholdings(item: LookupItem, codes: readonly string[] | undefined): Withholding[] {
  if (!codes || codes.length === 0) return [];
  return offeredWithholdings(item).filter((w) => codes.includes(w.code));
}

/**
 * What will be charged for an item: with withholdings ticked, its whole balance net of them
 * (docs/spec/business-payments.md §2); else the typed amount when it may be chosen, else the balance.
 */
export function chosenAmount(
  item: LookupItem,
  typed: string | undefined,
  withholdingCodes?: readonly string[],
): AmountCheck {
  const ticked = tickedWithholdings(item, withholdingCodes);
  if (ticked.length > 0) {
    const cash =
      toUnits(item.balance, item.currency) -
      ticked.reduce((sum, w) => sum + toUnits(w.amount, item.currency), 0n);
    if (cash <= 0n) return { ok: false, reason: 'range' };
    return { ok: true, units: cash, text: formatMinor(cash, item.currency) };
  }
  if (!hasAmountChoice(item) || typed === undefined) {
    return { ok: true, units: toUnits(item.balance, item.currency), text: item.balance };
  }
  return checkAmount(typed, item.currency, item.minimum, item.maxPartial, item.balance);
}

export function isZero(item: LookupItem, amountText: string): boolean {
  return toUnits(amountText, item.currency) === 0n;
}
