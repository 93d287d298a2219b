import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorDetails, FieldError } from '../../shared/api/schemas';

export type { FieldError };

/** Default, payer-safe messages: the SPA maps codes to its own texts, these serve API users. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request body is not valid.',
  invalid_id_number:
    'The id number must have 5 to 15 digits (dots, spaces and commas are ignored); a NIT may end in -D, its check digit.',
  invalid_token: 'This payment link is not valid.',
  expired_token: 'This payment link has expired.',
  unknown_merchant: 'There is no merchant with this id.',
  unauthorized: 'A valid merchant token is required (Authorization: Bearer or x-auth-token).',
  payload_too_large: 'The request body is too large.',
  amount_not_allocatable:
    'This amount cannot be spread over the chosen items; lower and upper are the nearest amounts that can.',
  unknown_withholding: 'A withholding is not offered for this item.',
  below_minimum: 'The amount to pay after withholdings is below the minimum payment.',
  not_found: 'Not found.',
  rate_limited: 'Too many requests. Please wait and try again.',
  erp_unavailable: "The merchant's billing system is not answering. Please try again later.",
  erp_bad_response: "The merchant's billing system sent an answer we cannot read.",
  erp_timeout: "The merchant's billing system took too long to answer.",
  amount_out_of_range: 'An amount is outside the allowed range for its item.',
  item_paid: 'An item has been paid in full since the list was shown.',
  remainder_below_minimum:
    'A partial amount would leave a balance under the minimum payment; pay the whole balance or at most maxAmount.',
  unknown_item: 'An item is not pending for this payer.',
  payment_pending: 'A payment for one of these items is already in process.',
  mixed_currencies: 'All items of one payment must have the same currency.',
  idempotency_key_reused: 'This Idempotency-Key was used with a different request.',
  idempotency_key_required: 'The Idempotency-Key header is required.',
  invalid_signature: 'The signature does not match.',
  payment_mismatch: 'The notification does not match the recorded payment.',
  invalid_email: 'The email address is not valid.',
  invalid_phone: 'The phone must be an E.164 number such as 573112223333.',
  channel_not_configured: 'This channel is not configured for this merchant and message.',
  no_pending_items: 'The payer has no pending items to send.',
  internal_error: 'Something went wrong on our side.',
  payment_not_found: 'No portal payment has this reference.',
  payment_not_approved: 'Only an approved payment can be returned.',
  return_exceeds_payment: 'Returns may not add up to more than the approved amount.',
  invalid_amount: "The amount must be a positive decimal string in the currency's precision.",
  invalid_state: 'The return is not in a state that allows this.',
  payout_not_cancellable: 'The payout can no longer be cancelled.',
  invalid_bank_details: 'Some bank details are not valid.',
  charge_has_payments:
    'The amount and currency of this charge can no longer change: a payment was approved or is in progress.',
  unsupported_method: 'This express method is offered on the payment page, not through the API.',
  ambiguous_item: 'This ref exists both in the ERP and among the charges: send its source.',
  conflict: 'The charge changed meanwhile. Please try again.',
};

export function apiError<S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  code: ErrorCode,
  message?: string,
  headers?: Record<string, string>,
  fields?: readonly FieldError[],
  /** Machine-readable details of this error (e.g. remainder_below_minimum's ref and maxAmount). */
  details?: ErrorDetails,
) {
  const error = {
    code,
    message: message ?? ERROR_MESSAGES[code],
    ...(fields?.length ? { fields } : {}),
    ...details,
  };
  return c.json({ error }, status, headers);
}
