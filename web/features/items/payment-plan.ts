import type { LookupItem, Withholding } from '../../../shared/api/schemas';
import { formatMinor, type Currency } from '../../../shared/money';
import { parseAmountInput } from '../../lib/amount-input';
import type { PaymentState, SpreadPreview } from '../../lib/payment-store';
import { chosenAmount, tickedWithholdings } from './item-amount';

/** One item of a payment: what it is charged (cash) and, with withholdings, what the payer withholds. */
export interface PlanLine {
  item: LookupItem;
  /** Cash, API text in the currency's precision. */
  amount: string;
  withholdings: readonly Withholding[];
}

/**
 * What "Pagar" would send (docs/spec/business-payments.md): each item with its own amount (and
 * withholdings), or one amount spread over the selection as the BFF previewed it.
 */
export type PaymentPlan =
  | { kind: 'items'; currency: Currency; lines: PlanLine[]; ok: boolean }
  | {
      kind: 'spread';
      currency: Currency;
      /** The typed amount, API text; null while it cannot be read. */
      amount: string | null;
      refs: string[];
      /** The preview's shares, once the BFF answered for exactly this amount and selection. */
      lines: PlanLine[];
      ok: boolean;
    };

type PlanState = Pick<
  PaymentState,
  'credential' | 'selection' | 'single' | 'amounts' | 'withholdings' | 'spreadText' | 'allocation'
>;

/** The typed total as API text (positive, exact in the currency's precision), or null. */
export function spreadAmountText(text: string, currency: Currency): string | null {
  const units = parseAmountInput(text, currency);
  return units === null || units <= 0n ? null : formatMinor(units, currency);
}

/** A spread needs a payer (the preview asks with the id number or the statement token) and 2+ items. */
export function canSpread(state: Pick<PlanState, 'credential'>, selected: readonly LookupItem[]): boolean {
  const kind = state.credential?.kind;
  return (kind === 'idNumber' || kind === 'token') && selected.length >= 2;
}

/** Withholdings mean whole balances item by item, which a spread does not express (the spec's decision). */
export function hasTickedWithholdings(state: Pick<PlanState, 'withholdings'>, items: readonly LookupItem[]) {
  return items.some((item) => tickedWithholdings(item, state.withholdings[item.ref]).length > 0);
}

function previewMatches(preview: SpreadPreview | null, refs: readonly string[], amount: string | null) {
  if (!preview || amount === null || preview.amount !== amount) return false;
  if (preview.refs.length !== refs.length) return false;
  return preview.refs.every((ref, i) => ref === refs[i]);
}

/** The selected payable items in the payer's order (or the one item of a card's own button). */
export function selectedItems(items: readonly LookupItem[], state: Pick<PlanState, 'selection' | 'single'>) {
  return (state.single ? [state.single] : state.selection)
    .map((s) => items.find((item) => item.ref === s.ref && item.payable))
    .filter((item): item is LookupItem => item !== undefined);
}

export function paymentPlan(items: readonly LookupItem[], state: PlanState): PaymentPlan | null {
  const selected = selectedItems(items, state);
  const first = selected[0];
  if (!first) return null;
  const currency = first.currency;
  const spreading =
    state.single === null &&
    state.spreadText.trim() !== '' &&
    canSpread(state, selected) &&
    !hasTickedWithholdings(state, selected);
  if (spreading) {
    const refs = selected.map((item) => item.ref);
    const amount = spreadAmountText(state.spreadText, currency);
    const preview = previewMatches(state.allocation, refs, amount) ? state.allocation : null;
    const lines: PlanLine[] = (preview?.allocations ?? []).flatMap((a) => {
      const item = selected.find((i) => i.ref === a.ref);
      return item ? [{ item, amount: a.amount, withholdings: [] }] : [];
    });
    return { kind: 'spread', currency, amount, refs, lines, ok: lines.length > 0 };
  }
  let ok = true;
  const lines = selected.map((item) => {
    const codes = state.withholdings[item.ref];
    const check = chosenAmount(item, state.amounts[item.ref], codes);
    if (!check.ok) ok = false;
    return {
      item,
      amount: check.ok ? check.text : item.balance,
      withholdings: tickedWithholdings(item, codes),
    };
  });
  return { kind: 'items', currency, lines, ok };
}
