import type { PaymentStatus } from '../../shared/api/schemas';
import type { Currency } from '../../shared/money';
import type { NewNotification, NotificationStore } from './notification-records';
import type { ReturnsStore } from './returns-store';
import type { WithholdingLine } from '../../shared/business/withholding';
import type { ChargeRecord, ChargeStore } from './charge-store';

/**
 * The one storage port of the BFF. Two engines implement it (sqlite-store.ts, postgres-store.ts) and one
 * test suite runs against both. Correctness comes from the database — unique keys, guarded updates and
 * transactions — never from in-process locks, so several BFF instances can share one PostgreSQL.
 * Amounts are bigint minor units; instants are JS Dates (stored as UTC milliseconds / timestamptz).
 */

export interface CheckoutItemRecord {
  readonly ref: string;
  readonly description: string;
  readonly amount: bigint;
  /** The ERP item's `metadata`, passed through to webhooks. */
  readonly metadata: unknown;
  /** The ERP item's `result_urls.webhook`. */
  readonly webhookUrl: string | null;
  /** The item's total due (gross) when the checkout was made: what an approval may not exceed (over-payments). */
  readonly dueTotal?: bigint | null;
  /**
   * W: what the payer withholds on this item (docs/spec/business-payments.md §2); `amount` is then the cash
   * part and the item is settled for amount + withheld. Absent when nothing is withheld.
   */
  readonly withheld?: bigint;
  /** The withholding lines behind `withheld`; absent when nothing is withheld. */
  readonly withholdings?: readonly WithholdingLine[];
}

export interface NewCheckout {
  readonly reference: string;
  readonly merchantId: string;
  /** Idempotency-Key header (required by the API). */
  readonly idempotencyKey: string;
  /** Hash of the canonical request body: same key + other body → refused. */
  readonly requestHash: string;
  readonly currency: Currency;
  readonly amount: bigint;
  readonly items: readonly CheckoutItemRecord[];
  /** The signed PayU form returned to the browser (returned again on an idempotent replay). */
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly comment: string | null;
  readonly deliveryAddress: unknown;
  readonly now: Date;
  /** Until when the items are held (payment_pending) unless a final state arrives first. */
  readonly holdUntil: Date;
  /** Keyed fingerprint of the payer's id number (never the id itself): matches bank details to the payer. */
  readonly payerHash?: string | null;
  /** The unguessable token of the payment's receipt (≥ 128 bits, never the reference). */
  readonly receiptToken?: string;
}

export interface CheckoutRecord {
  readonly reference: string;
  readonly merchantId: string;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly status: PaymentStatus;
  readonly currency: Currency;
  readonly amount: bigint;
  readonly items: readonly CheckoutItemRecord[];
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly comment: string | null;
  readonly deliveryAddress: unknown;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly holdUntil: Date;
  /** PayU's `reference_pol` of the transaction that set the current status. */
  readonly payuReference: string | null;
  readonly transactionId: string | null;
  readonly payerHash: string | null;
  /** PayU `payment_method_type` of the approving transaction, when known (2 = card, 4 = PSE, 7 = cash…). */
  readonly paymentMethodType: string | null;
  /** The receipt token given at creation; absent for checkouts created without one. */
  readonly receiptToken?: string;
  /** PayU's payment method name from the confirmation that set the status; absent when unknown. */
  readonly paymentMethod?: string;
}

export type CreateCheckoutResult =
  | { readonly kind: 'created'; readonly checkout: CheckoutRecord }
  /** The idempotency key was used before: the stored checkout (the caller compares requestHash). */
  | { readonly kind: 'idempotent'; readonly checkout: CheckoutRecord }
  /** Another live checkout holds these refs (pending and not past its hold). */
  | { readonly kind: 'pending'; readonly refs: readonly string[] };

export interface ItemPaymentState {
  /** P: sum of approved amounts recorded for merchant + ref. */
  readonly paid: bigint;
  /** A pending checkout holds the item (hold not yet past). */
  readonly pending: boolean;
  /** Sum of approved withholdings for merchant + ref; absent when 0. */
  readonly withheld?: bigint;
  /** Which checkout holds it and until when (present exactly when `pending`): shown, resumed, cancelled. */
  readonly hold?: { readonly reference: string; readonly until: Date };
}

export interface ConfirmationInput {
  readonly merchantId: string;
  readonly reference: string;
  /** PayU `transaction_id`: the de-duplication key of confirmations. */
  readonly transactionId: string;
  readonly status: Exclude<PaymentStatus, 'pending'>;
  readonly payuReference: string | null;
  /** PayU's `payment_method_name`, shown on the receipt. */
  readonly paymentMethod?: string | null;
  readonly now: Date;
  /**
   * The checkout as the caller last read it (the confirmation route reads it to check the signed amount), so
   * an engine need not read it again. It may be stale: the decision is always made on the committed state.
   */
  readonly checkout?: CheckoutRecord;
  /**
   * The merchant event to enqueue in the same transaction when the state changes. It must have no side
   * effects: an engine may call it before it knows whether the state changes, and its messages are
   * written only if it does.
   */
  readonly event: (checkout: CheckoutRecord, status: PaymentStatus) => readonly NewOutboxMessage[];
  /** Payer messages (the receipt) to enqueue in the same transaction when the state changes. */
  readonly notifications?: (checkout: CheckoutRecord, status: PaymentStatus) => readonly NewNotification[];
}

export type ConfirmationResult =
  /** The state changed and the outbox rows were written, all in one commit. */
  | { readonly kind: 'applied'; readonly checkout: CheckoutRecord; readonly previous: PaymentStatus }
  /** This transaction_id was processed before: nothing changed (the checkout as last read, maybe by the caller). */
  | { readonly kind: 'duplicate'; readonly checkout: CheckoutRecord }
  /**
   * Nothing to change: the checkout is already approved (final), or already has this status (a payer's second
   * declined attempt); the transaction is recorded, the state is not touched and no event is written.
   */
  | { readonly kind: 'final'; readonly checkout: CheckoutRecord }
  | { readonly kind: 'not_found' };

export interface NewOutboxMessage {
  /** The Standard Webhooks `webhook-id`, the same on every retry. */
  readonly messageId: string;
  readonly merchantId: string;
  /** Where to POST: the item's result_urls.webhook or the merchant's webhook.url. */
  readonly url: string;
  /** The JSON body, serialised once so every retry sends the same bytes. */
  readonly body: string;
}

export interface OutboxMessage extends NewOutboxMessage {
  readonly id: string;
  readonly attempts: number;
  readonly createdAt: Date;
}

/** The returns and notification methods live in returns-store.ts and notification-records.ts. */
export interface Store extends ReturnsStore, NotificationStore, ChargeStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending migrations; idempotent; safe when several instances start together. */
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;

  /**
   * Atomically: returns the stored checkout for (merchant, idempotencyKey) if any; otherwise refuses when any
   * ref has a live hold by another pending checkout; otherwise inserts the checkout, its items and holds.
   */
  createCheckout(input: NewCheckout): Promise<CreateCheckoutResult>;
  getCheckout(merchantId: string, reference: string): Promise<CheckoutRecord | null>;
  /**
   * What a PayU confirmation needs first, in one round trip: the checkout it names and whether its
   * transaction_id is already recorded (committed). A recorded transaction_id is a duplicate whatever the
   * rest of the form says: applyConfirmation would change nothing, so the caller may answer without it.
   */
  getCheckoutForConfirmation(
    merchantId: string,
    reference: string,
    transactionId: string,
  ): Promise<{ readonly checkout: CheckoutRecord; readonly recorded: boolean } | null>;
  /** The checkout whose receipt token this is, of any merchant (the caller checks the merchant). */
  getCheckoutByReceiptToken(token: string): Promise<CheckoutRecord | null>;
  /** The checkout created earlier with this Idempotency-Key, if any. */
  findByIdempotencyKey(merchantId: string, idempotencyKey: string): Promise<CheckoutRecord | null>;
  /** Paid amounts and live holds for the refs of one merchant, as of `now`. Missing refs: paid 0, not pending. */
  itemStates(merchantId: string, refs: readonly string[], now: Date): Promise<Map<string, ItemPaymentState>>;
  /**
   * A lookup's reads together: the payer's charges (as `chargesForPayer`) and the item states (as
   * `itemStates`) of `refs` and of every one of those charges' item keys. One round trip on PostgreSQL, where
   * a lookup otherwise paid two queries (README "Performance").
   */
  payerItemStates(
    merchantId: string,
    payerIdNumber: string,
    refs: readonly string[],
    now: Date,
  ): Promise<{ charges: ChargeRecord[]; states: Map<string, ItemPaymentState> }>;
  /** Applies a verified PayU confirmation exactly once per transaction_id (approved is final). */
  applyConfirmation(input: ConfirmationInput): Promise<ConfirmationResult>;
  /** PayU said "pending" on the response page: keep the hold until `holdUntil` (never shortens it). */
  extendHold(merchantId: string, reference: string, holdUntil: Date): Promise<void>;
  /**
   * The payer gave up a checkout before paying: its hold ends at `now` (never later than it was), so the
   * items can be paid again. The status stays pending: reconciliation still asks PayU, and a confirmation
   * that arrives later is still recorded. False when the checkout is not pending (or not this merchant's).
   */
  releaseHold(merchantId: string, reference: string, now: Date): Promise<boolean>;
  /** Checkouts still pending whose hold ended before `now` (for reconciliation). */
  listStalePending(now: Date, limit: number): Promise<CheckoutRecord[]>;

  /** Claims up to `limit` due outbox messages for `leaseMs` (other instances skip them meanwhile). */
  claimOutbox(now: Date, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  markDelivered(id: string, now: Date): Promise<void>;
  markFailed(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  /** Messages not yet delivered (for /metrics). */
  outboxBacklog(): Promise<number>;
}
