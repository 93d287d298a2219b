import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Currency } from '../../shared/money';

/**
 * Client state that crosses routes: who is paying (kept in memory only: the id number is personal data and
 * never goes to a URL or to storage), which items are selected and the amounts typed for them.
 * Server data (the lookup response) is not kept here.
 */
export type Credential =
  | { kind: 'idNumber'; idNumber: string }
  | { kind: 'token'; token: string }
  /** A charge link `/{merchant}/c/{charge}`: that one charge, no id number. */
  | { kind: 'charge'; charge: string };

export interface SelectedItem {
  readonly ref: string;
  readonly currency: Currency;
}

export interface PaymentState {
  credential: Credential | null;
  /** In the order the payer picked them; always one currency. */
  selection: readonly SelectedItem[];
  /** What the payer typed in an item's amount field, by ref; absent means "the balance". */
  amounts: Readonly<Record<string, string>>;
  /**
   * One card's own "Pay" button: that item alone goes to checkout, and the multi-item selection is kept
   * for when the payer comes back. Null: checkout pays the selection.
   */
  single: SelectedItem | null;
  /** What the payer typed in the checkout form (email, name…), kept while they go back and forth. */
  draft: Readonly<Record<string, string>>;
  /**
   * Withholding codes the payer ticked, by ref (docs/spec/business-payments.md §2). This field and the two
   * below are written by web/features/items/business-state.ts (their code stays out of the first page).
   */
  withholdings: Readonly<Record<string, readonly string[]>>;
  /** One amount typed to spread over the selection (§1); '' means each item's own amount. */
  spreadText: string;
  /** The BFF's allocation preview for the current selection and spread amount, once it answered. */
  allocation: SpreadPreview | null;
  setCredential(credential: Credential): void;
  /** Adds or removes one item; refuses (returns false) an item of another currency than the selection's. */
  toggle(item: SelectedItem): boolean;
  /** Selection of exactly this item ("Pagar con PayU" on one card). */
  selectOnly(item: SelectedItem): void;
  payOnly(item: SelectedItem | null): void;
  setDraft(draft: Readonly<Record<string, string>>): void;
  setAmount(ref: string, text: string): void;
  clearSelection(): void;
  reset(): void;
}

/** How the BFF spread `amount` (API text) over `refs` (the selection, in the payer's order). */
export interface SpreadPreview {
  readonly refs: readonly string[];
  readonly amount: string;
  readonly allocations: readonly { readonly ref: string; readonly amount: string }[];
}

export type PaymentStore = StoreApi<PaymentState>;

export function createPaymentStore(): PaymentStore {
  // What a new payer starts from (also what `reset` goes back to).
  const empty = () => ({
    credential: null,
    selection: [],
    amounts: {},
    single: null,
    draft: {},
    withholdings: {},
    spreadText: '',
    allocation: null,
  });
  return createStore<PaymentState>()((set, get) => ({
    ...empty(),
    setCredential: (credential) => set({ credential }),
    toggle: (item) => {
      const { selection } = get();
      if (selection.some((s) => s.ref === item.ref)) {
        set({ selection: selection.filter((s) => s.ref !== item.ref) });
        return true;
      }
      if (selection.some((s) => s.currency !== item.currency)) return false;
      set({ selection: [...selection, item] });
      return true;
    },
    selectOnly: (item) => set({ selection: [item], single: null }),
    payOnly: (item) => set({ single: item }),
    setDraft: (draft) => set({ draft }),
    setAmount: (ref, text) => set((s) => ({ amounts: { ...s.amounts, [ref]: text } })),
    clearSelection: () => set({ selection: [], single: null, spreadText: '', allocation: null }),
    reset: () => set(empty()),
  }));
}

const PaymentStoreContext = createContext<PaymentStore | null>(null);

export function PaymentStoreProvider({ store, children }: { store: PaymentStore; children: ReactNode }) {
  return <PaymentStoreContext.Provider value={store}>{children}</PaymentStoreContext.Provider>;
}

export function usePaymentStoreApi(): PaymentStore {
  const store = useContext(PaymentStoreContext);
  if (!store) throw new Error('usePaymentStore needs a PaymentStoreProvider');
  return store;
}

export function usePaymentStore<T>(selector: (state: PaymentState) => T): T {
  return useStore(usePaymentStoreApi(), selector);
}
