import type { PaymentStore, SelectedItem, SpreadPreview } from '../../lib/payment-store';

/**
 * Writers of the payment store's business fields (docs/spec/business-payments.md): here, with the list,
 * rather than in the store, whose code is on the first page.
 */

/** Ticks or unticks one withholding of an item. */
export function setWithholding(store: PaymentStore, ref: string, code: string, on: boolean): void {
  store.setState((s) => {
    const codes = (s.withholdings[ref] ?? []).filter((c) => c !== code);
    return { withholdings: { ...s.withholdings, [ref]: on ? [...codes, code] : codes } };
  });
}

/** Selection of exactly these items, in this order (one currency: the caller's choice). */
export function selectMany(store: PaymentStore, items: readonly SelectedItem[]): void {
  store.setState({ selection: [...items], single: null });
}

/** The one amount typed to spread over the selection ('' → each item's own amount). */
export function setSpreadText(store: PaymentStore, spreadText: string): void {
  store.setState({ spreadText });
}

/** The BFF's preview of the current spread, or null while there is none for it. */
export function setAllocation(store: PaymentStore, allocation: SpreadPreview | null): void {
  store.setState({ allocation });
}
