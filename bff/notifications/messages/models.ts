import type { Currency } from '../../../shared/money';

/**
 * What each message says, independent of the channel (docs/spec/notifications.md "Messages"). Built by the
 * services from priced items, rendered by email/ (React Email) and whatsapp/ (template parameters).
 * No model carries an id number or a full name: payers appear by their masked name only.
 */

export type MessageLocale = 'es-CO' | 'en-US';

export interface Brand {
  readonly merchantName: string;
  /** #rrggbb; the header band and the pay buttons. */
  readonly color: string;
  readonly logoUrl: string | null;
}

export type BlockedReason = import('../../../shared/pricing/price-item').BlockedReason;

export interface StatementItemView {
  readonly ref: string;
  readonly description: string;
  readonly references: readonly string[];
  readonly limitDate: string | null;
  readonly currency: Currency;
  /** Decimal text of what is due today for the item (its balance). */
  readonly due: string;
  /** Decimal text of the merchant minimum, shown when the item is below it. */
  readonly minimum: string;
  readonly blockedReason: BlockedReason | null;
  /** A sealed statement link for this item; null exactly when the item cannot be paid (no link at all). */
  readonly payUrl: string | null;
}

interface Common {
  readonly brand: Brand;
  readonly locale: MessageLocale;
  readonly maskedName: string | null;
}

export interface StatementMessage extends Common {
  readonly kind: 'statement';
  /** The local date the amounts were priced for. */
  readonly asOf: string;
  readonly items: readonly StatementItemView[];
  /** Sum of payable balances per currency. */
  readonly totals: readonly { readonly currency: Currency; readonly amount: string }[];
  /** A statement link without an item: the whole list. */
  readonly statementUrl: string;
}

export interface ChargeMessage extends Common {
  readonly kind: 'charge';
  readonly description: string;
  readonly currency: Currency;
  readonly amountDue: string;
  readonly dueDate: string | null;
  readonly incentiveUntil: string | null;
  readonly url: string;
}

export interface ReminderMessage extends Common {
  readonly kind: 'reminder';
  /** The charge's `reminder_template` name (seed 002), sent as the WhatsApp template and shown in the subject. */
  readonly template: string;
  /** Why the amount changes today: a late fee starts or an incentive ends. */
  readonly event: 'late_fee' | 'incentive_end';
  readonly description: string;
  readonly currency: Currency;
  readonly amountDue: string;
  readonly url: string;
}

export interface ReceiptMessage extends Common {
  readonly kind: 'receipt';
  readonly reference: string;
  readonly payuReference: string | null;
  /** Local date of the approval. */
  readonly paidOn: string;
  readonly currency: Currency;
  readonly total: string;
  readonly items: readonly { readonly ref: string; readonly description: string; readonly amount: string }[];
  /** The payment's result page. */
  readonly url: string;
  /**
   * The printable receipt page (`/{merchant}/receipts/{token}`, docs/spec/business-payments.md §3), the
   * message's main link; null for a payment without a receipt token (and absent in rows queued before it).
   */
  readonly receiptUrl?: string | null;
}

/**
 * Money going back to the payer (docs/spec/money-back.md "Payer notices"): bank details are needed, the money
 * was sent (to the bank or the card), or it arrived. Not a collection message: sent at once.
 */
export interface ReturnMessage extends Common {
  readonly kind: 'return';
  readonly event: 'details' | 'sent' | 'paid';
  /** refund: back to the card through PayU; payout: a transfer to the payer's bank account. */
  readonly route: 'refund' | 'payout';
  /** The portal payment the money came in with. */
  readonly reference: string;
  readonly currency: Currency;
  readonly amount: string;
  /** Masked (`****6789`), once given. */
  readonly bankAccount: string | null;
  /** ISO instant PayU's ACH table gives for the bank's answer, once the payout is at the bank. */
  readonly expectedArrival: string | null;
  /** The sealed return page: the bank-details form while needed, otherwise where the money is. */
  readonly url: string;
}

export type MessageModel =
  StatementMessage | ChargeMessage | ReminderMessage | ReceiptMessage | ReturnMessage;
