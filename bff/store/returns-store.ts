import type { Currency } from '../../shared/money';
import type { ReturnRoute, ReturnState } from '../../shared/money-back/return-state';
import type { NewNotification } from './notification-records';
import type { NewOutboxMessage } from './store';

/**
 * The storage of returns (docs/spec/money-back.md): one row per return of money to a payer, its split over
 * the payment's items, and an append-only audit trail (who, when, from where, what). Every state change
 * goes through `transitionReturn`, which checks the one state table (shared/money-back/return-state.ts)
 * against the row's committed state and writes the audit entry and the merchant's webhook rows in the same
 * transaction. Part of the Store port; both engines implement it.
 */
export interface ReturnItem {
  readonly ref: string;
  readonly amount: bigint;
}

export interface PayoutProgressRecord {
  readonly paymentOrderId: string | null;
  readonly bankAccountId: string | null;
  /** PayU's two states, as sent (normalised to underscores). */
  readonly payoutState: string | null;
  readonly orderStatus: string | null;
  readonly inBankAt: Date | null;
  readonly expectedArrivalAt: Date | null;
}

export interface ReturnRecord {
  readonly id: string;
  readonly merchantId: string;
  /** The portal payment (checkout reference) the money came in with. */
  readonly reference: string;
  readonly idempotencyKey: string;
  readonly reason: string;
  readonly note: string | null;
  readonly currency: Currency;
  readonly amount: bigint;
  readonly items: readonly ReturnItem[];
  readonly state: ReturnState;
  readonly route: ReturnRoute;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When the return job should look at it next; null when it waits for a person or is final. */
  readonly nextActionAt: Date | null;
  readonly attempts: number;
  readonly refundDeclined: boolean;
  readonly payout: PayoutProgressRecord;
  /** The payer's bank details, sealed (AES-GCM); never shown, only `bankMasked`. */
  readonly bankDetailsSealed: string | null;
  readonly bankMasked: string | null;
  readonly failure: string | null;
}

export interface AuditEntry {
  /** merchant | payer | system | payu */
  readonly actor: string;
  readonly ip: string | null;
  readonly action: string;
  readonly detail?: unknown;
  /** When set, an entry with the same key for this return makes the call a duplicate (PayU webhooks). */
  readonly dedupeKey?: string;
}

export interface ReturnEventRecord {
  readonly at: Date;
  readonly actor: string;
  readonly ip: string | null;
  readonly action: string;
  readonly fromState: ReturnState | null;
  readonly toState: ReturnState | null;
  readonly detail: unknown;
}

export interface NewReturn {
  readonly id: string;
  readonly merchantId: string;
  readonly reference: string;
  readonly idempotencyKey: string;
  readonly reason: string;
  readonly note: string | null;
  /** The amount to return; must not take the payment's open and completed returns over its approved amount. */
  readonly amount: bigint;
  /** How to split it over the payment's items, given the checkout (remainder-safe, sums to amount). */
  readonly split: (checkoutItems: readonly ReturnItem[], amount: bigint) => readonly ReturnItem[];
  readonly state: 'pending' | 'recorded';
  readonly route: ReturnRoute;
  readonly now: Date;
  readonly audit: AuditEntry;
  readonly events: (ret: ReturnRecord) => readonly NewOutboxMessage[];
}

export type CreateReturnResult =
  | { readonly kind: 'created'; readonly ret: ReturnRecord }
  | { readonly kind: 'idempotent'; readonly ret: ReturnRecord }
  | { readonly kind: 'exceeds'; readonly available: bigint }
  | { readonly kind: 'not_approved' }
  | { readonly kind: 'not_found' };

export interface ReturnPatch {
  readonly route?: ReturnRoute;
  readonly nextActionAt?: Date | null;
  readonly attempts?: number;
  readonly refundDeclined?: boolean;
  readonly payout?: Partial<PayoutProgressRecord>;
  readonly bankDetailsSealed?: string | null;
  readonly bankMasked?: string | null;
  readonly failure?: string | null;
}

export interface ReturnTransition {
  readonly merchantId: string;
  readonly id: string;
  /** The state the caller read and decided on; a different committed state is a conflict. */
  readonly from: ReturnState;
  /** Equal to `from` for an update that changes no state (PayU progress inside `sending`). */
  readonly to: ReturnState;
  readonly patch?: ReturnPatch;
  readonly now: Date;
  readonly audit: AuditEntry;
  readonly events?: (ret: ReturnRecord) => readonly NewOutboxMessage[];
  /** The payer's notices of this move (outbox rows, unique key `return:{id}:{event}:{channel}`), same commit. */
  readonly notifications?: (ret: ReturnRecord) => readonly NewNotification[];
}

export type TransitionReturnResult =
  | { readonly kind: 'changed'; readonly ret: ReturnRecord }
  /** Another writer changed the return first, or the state table forbids the move. */
  | { readonly kind: 'conflict'; readonly ret: ReturnRecord }
  /** The audit dedupe key was seen before: nothing written. */
  | { readonly kind: 'duplicate'; readonly ret: ReturnRecord }
  | { readonly kind: 'not_found' };

export interface ListReturnsQuery {
  readonly state?: ReturnState;
  readonly reference?: string;
  /** Cursor: the id of the last return of the previous page (returns are listed by id). */
  readonly after?: string;
  readonly limit: number;
}

export interface OverpaymentCheck {
  readonly merchantId: string;
  readonly reference: string;
  /** From the approving confirmation, when known; recorded on the checkout. */
  readonly paymentMethodType: string | null;
  readonly now: Date;
  readonly newId: () => string;
  /** The route for a return of `amount` from this checkout, known before the merchant approves it. */
  readonly route: (facts: {
    readonly currency: string;
    readonly paymentMethodType: string | null;
    readonly approvedAt: Date;
    readonly amount: bigint;
  }) => ReturnRoute;
  readonly audit: AuditEntry;
  readonly events: (ret: ReturnRecord) => readonly NewOutboxMessage[];
}

export interface ReturnsStore {
  /**
   * Once per approved checkout: for each item, what all approved payments of that item add up to beyond the
   * item's total due when this checkout was made (minus returns already made or promised) becomes a return
   * of this checkout in `pending` with reason `overpayment`. Serialised per item across instances; a second
   * call is a no-op. Returns the returns it created.
   */
  detectOverpayment(input: OverpaymentCheck): Promise<ReturnRecord[]>;
  /** Approved checkouts not yet checked for over-payment (a crash between confirmation and check). */
  uncheckedApprovals(limit: number): Promise<{ merchantId: string; reference: string }[]>;
  createReturn(input: NewReturn): Promise<CreateReturnResult>;
  getReturn(merchantId: string, id: string): Promise<ReturnRecord | null>;
  listReturns(merchantId: string, query: ListReturnsQuery): Promise<ReturnRecord[]>;
  /** The return whose PayU payment order this is (webhooks name only PayU's id). */
  findReturnByPaymentOrder(paymentOrderId: string): Promise<ReturnRecord | null>;
  transitionReturn(input: ReturnTransition): Promise<TransitionReturnResult>;
  /** Leases up to `limit` returns whose next action is due, for `leaseMs` (other instances skip them). */
  claimDueReturns(now: Date, limit: number, leaseMs: number): Promise<ReturnRecord[]>;
  returnEvents(merchantId: string, id: string): Promise<ReturnEventRecord[]>;
}
