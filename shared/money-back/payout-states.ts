/**
 * PayU Payouts has two state machines (docs/spec/money-back.md "Payout states"): the payout request
 * (`state`: AWAITING SANCTION SCREENING … PROCESSING COMPLETED / REJECTED) and the payment order (`status`:
 * REQUEST_BY_THE_MERCHANT … CONFIRMED_BY_THE_BANK / REJECTED). PayU documents the first with spaces and the
 * second with underscores and never says which the wire uses, so both are normalised to underscores.
 * Both are stored as sent; this maps them to the one state of our return.
 */
export const PAYOUT_REQUEST_STATES = [
  'AWAITING_SANCTION_SCREENING',
  'AWAITING_FOR_SENT',
  'SENT_TO_CREATE',
  'CREATED',
  'REJECTED',
  'PROCESSING_COMPLETED',
  'AWAITING_TO_CANCEL',
  'SENT_FOR_CANCELLATION',
  'CANCELLATION_FAILED',
] as const;
export type PayoutRequestState = (typeof PAYOUT_REQUEST_STATES)[number];

export const PAYMENT_ORDER_STATES = [
  'REQUEST_BY_THE_MERCHANT',
  'IN_VALIDATION',
  'IN_PAYU_PROCESS',
  'AWAITING_BANK_SENT',
  'IN_BANKING_PROCESS',
  'CONFIRMED_BY_THE_BANK',
  'REJECTED',
] as const;
export type PaymentOrderState = (typeof PAYMENT_ORDER_STATES)[number];

export function normalizePayuState(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '_');
  return v === '' ? null : v;
}

export function asPayoutRequestState(value: unknown): PayoutRequestState | null {
  const v = normalizePayuState(value);
  // PayU renamed AWAITING TO SEND to AWAITING FOR SENT in 2021; both mean the same.
  const renamed = v === 'AWAITING_TO_SEND' ? 'AWAITING_FOR_SENT' : v;
  return (PAYOUT_REQUEST_STATES as readonly string[]).includes(renamed ?? '')
    ? (renamed as PayoutRequestState)
    : null;
}

export function asPaymentOrderState(value: unknown): PaymentOrderState | null {
  const v = normalizePayuState(value);
  return (PAYMENT_ORDER_STATES as readonly string[]).includes(v ?? '') ? (v as PaymentOrderState) : null;
}

/** Where the money is, as far as these two states tell. */
export type PayoutProgress = 'sending' | 'in_bank' | 'paid' | 'failed';

/**
 * The order's status decides when present (it is the money); the request's state fills in before the order
 * exists. A REJECTED request after a cancellation is `failed` here; the caller knows whether it asked to cancel.
 */
export function payoutProgress(
  state: PayoutRequestState | null,
  status: PaymentOrderState | null,
): PayoutProgress | null {
  if (status === 'CONFIRMED_BY_THE_BANK') return 'paid';
  if (status === 'REJECTED' || state === 'REJECTED') return 'failed';
  if (status === 'IN_BANKING_PROCESS') return 'in_bank';
  if (status !== null || state !== null) return 'sending';
  return null;
}

/** PayU accepts a cancellation while the order is IN_PAYU_PROCESS or earlier (the API page's stricter rule). */
export function payoutCancellable(status: PaymentOrderState | null): boolean {
  return (
    status === null ||
    status === 'REQUEST_BY_THE_MERCHANT' ||
    status === 'IN_VALIDATION' ||
    status === 'IN_PAYU_PROCESS'
  );
}
