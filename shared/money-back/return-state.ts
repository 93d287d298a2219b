/**
 * The life of a return (docs/spec/money-back.md "Return states"), one table for every engine and route:
 *
 *   pending ──approve──▶ approved ──▶ awaiting_details (payout: the payer gives bank details)
 *      │                    │                 │
 *      └─reject─▶ rejected  └──────▶ sending ◀┘ ──▶ in_bank ──▶ paid
 *                                     │  │  └──▶ needs_review (a payout request timed out: a person checks PayU)
 *                                     │  └──▶ cancelled (payout cancelled in time) ──▶ approved (retry)
 *                                     └──▶ failed (bank/PayU rejected, refund declined) ──▶ approved (retry)
 *   recorded: `type: success`, the merchant returned the money outside the portal (final).
 *
 * `paid` and `recorded` are completed returns: an item's paid amount is what was approved minus them.
 */
export const RETURN_STATES = [
  'pending',
  'rejected',
  'recorded',
  'approved',
  'awaiting_details',
  'sending',
  'needs_review',
  'in_bank',
  'paid',
  'failed',
  'cancelled',
] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

export const RETURN_REASONS = ['overpayment', 'merchant'] as const;

const NEXT: Readonly<Record<ReturnState, readonly ReturnState[]>> = {
  pending: ['approved', 'rejected'],
  rejected: [],
  recorded: [],
  approved: ['awaiting_details', 'sending', 'failed'],
  awaiting_details: ['sending', 'cancelled'],
  sending: ['in_bank', 'paid', 'failed', 'needs_review', 'cancelled'],
  needs_review: ['sending', 'in_bank', 'paid', 'failed'],
  in_bank: ['paid', 'failed'],
  paid: [],
  failed: ['approved'],
  cancelled: ['approved'],
};

export function canTransition(from: ReturnState, to: ReturnState): boolean {
  return NEXT[from].includes(to);
}

export function isFinalReturn(state: ReturnState): boolean {
  return NEXT[state].length === 0;
}

/** Money that has left (or is counted as having left) the merchant. */
export function isCompletedReturn(state: ReturnState): boolean {
  return state === 'paid' || state === 'recorded';
}

/** Money promised back: counts against what may still be returned of a payment. */
export function isOpenOrCompletedReturn(state: ReturnState): boolean {
  return state !== 'rejected' && state !== 'failed' && state !== 'cancelled';
}

export type ReturnRoute = 'refund' | 'payout' | 'none';

/**
 * How the money goes back (docs/spec/money-back.md "Routes"): PayU's Refunds API only for card payments in
 * COP of at least 100 COP, within two years; a partial refund is not possible for an international card,
 * which PayU's confirmation does not tell apart, so partial card refunds are tried and a declined refund
 * falls back to a payout. Everything else (PSE, cash, other currencies) goes by payout.
 */
export function chooseRoute(input: {
  readonly paymentMethodType: string | null;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly approvedAt: Date;
  readonly now: Date;
  readonly refundDeclinedBefore: boolean;
}): Exclude<ReturnRoute, 'none'> {
  const card = input.paymentMethodType === '2' || input.paymentMethodType?.toUpperCase() === 'CREDIT_CARD';
  const twoYears = 730 * 24 * 3600 * 1000;
  if (
    card &&
    !input.refundDeclinedBefore &&
    input.currency === 'COP' &&
    input.amountMinor >= 100n &&
    input.now.getTime() - input.approvedAt.getTime() < twoYears
  )
    return 'refund';
  return 'payout';
}
