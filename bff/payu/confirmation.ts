import { z } from 'zod';
import { optionalText, signatureHex, signedText } from './callback-fields';
import { parseDecimal, PRECISION, type Currency } from '../../shared/money';
import {
  callbackAlgorithm,
  safeEqualSignature,
  signConfirmation,
  type PayuAlgorithm,
  type VerifyCallbackOptions,
} from './signature';

/**
 * The confirmation page (`confirmationUrl`): PayU's server-to-server POST for final states, the source of
 * truth for a payment. PayU sends some sixty fields; only those the portal uses are kept.
 */

/** A final state; `null` stands for a `state_pol` the portal does not act on (the caller answers 4xx). */
export type ConfirmationStatus = 'approved' | 'declined' | 'error' | 'expired';

export const confirmationFormSchema = z.object({
  merchant_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  reference_sale: signedText(255),
  // PayU writes the value with two decimals ("20000.00"); digits only, so the signed text is unambiguous.
  value: z.string().regex(/^\d{1,15}(?:\.\d{1,2})?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
  state_pol: z.string().regex(/^\d{1,4}$/),
  sign: signatureHex,
  transaction_id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  reference_pol: optionalText(64),
  response_code_pol: optionalText(16),
  response_message_pol: optionalText(255),
  payment_method_type: optionalText(16),
  payment_method_id: optionalText(16),
  payment_method_name: optionalText(255),
  transaction_date: optionalText(64),
  email_buyer: optionalText(255),
  description: optionalText(255),
  authorization_code: optionalText(64),
  cus: optionalText(64),
  test: optionalText(8),
  extra1: optionalText(255),
  extra2: optionalText(255),
  extra3: optionalText(255),
});

export interface PayuConfirmation {
  readonly merchantId: string;
  readonly referenceSale: string;
  /** The signed value text, exactly as PayU sent it. */
  readonly value: string;
  readonly currency: string;
  readonly statePol: string;
  readonly sign: string;
  /** Unsigned; de-duplicate on it, never decide money on it. */
  readonly transactionId: string;
  readonly status: ConfirmationStatus | null;
  readonly referencePol: string | null;
  readonly responseCodePol: string | null;
  readonly responseMessagePol: string | null;
  readonly paymentMethodType: string | null;
  readonly paymentMethodId: string | null;
  readonly paymentMethodName: string | null;
  readonly transactionDate: string | null;
  readonly emailBuyer: string | null;
  readonly description: string | null;
  readonly authorizationCode: string | null;
  readonly cus: string | null;
  /** Unsigned `test` flag as sent. */
  readonly test: string | null;
  readonly extra1: string | null;
  readonly extra2: string | null;
  readonly extra3: string | null;
}

export type ParseConfirmationResult =
  | { readonly ok: true; readonly value: PayuConfirmation }
  | { readonly ok: false; readonly issues: readonly string[] };

/**
 * `state_pol` → the portal's status. 4 approved, 5 expired, 6 declined. PayU's state table pairs
 * confirmation 6 with response page 104 for errors; the confirmation tells them apart only by
 * `response_message_pol` = `ERROR`, which is unsigned. Using it is acceptable because declined and error are
 * both "not paid" (neither moves money, and a later approval may follow either). A bare `state_pol` 104 is
 * mapped to error too. Anything else (e.g. 7, pending, which PayU does not confirm) is null.
 */
export function confirmationStatus(
  statePol: string,
  responseMessagePol?: string | null,
): ConfirmationStatus | null {
  switch (statePol) {
    case '4':
      return 'approved';
    case '5':
      return 'expired';
    case '6':
      return responseMessagePol === 'ERROR' ? 'error' : 'declined';
    case '104':
      return 'error';
    default:
      return null;
  }
}

/** Validates PayU's form body (duplicate fields arrive as arrays and are refused). */
export function parseConfirmation(form: Readonly<Record<string, unknown>>): ParseConfirmationResult {
  const parsed = confirmationFormSchema.safeParse(form);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(form)'}: ${i.message}`),
    };
  }
  const f = parsed.data;
  const value: PayuConfirmation = {
    merchantId: f.merchant_id,
    referenceSale: f.reference_sale,
    value: f.value,
    currency: f.currency,
    statePol: f.state_pol,
    sign: f.sign,
    transactionId: f.transaction_id,
    status: confirmationStatus(f.state_pol, f.response_message_pol),
    referencePol: f.reference_pol,
    responseCodePol: f.response_code_pol,
    responseMessagePol: f.response_message_pol,
    paymentMethodType: f.payment_method_type,
    paymentMethodId: f.payment_method_id,
    paymentMethodName: f.payment_method_name,
    transactionDate: f.transaction_date,
    emailBuyer: f.email_buyer,
    description: f.description,
    authorizationCode: f.authorization_code,
    cus: f.cus,
    test: f.test,
    extra1: f.extra1,
    extra2: f.extra2,
    extra3: f.extra3,
  };
  return { ok: true, value };
}

/**
 * Checks `sign` = hash(`ApiKey~merchant_id~reference_sale~new_value~currency~state_pol`). The confirmation
 * carries no algorithm field; see callbackAlgorithm for why the signature's length picks it. The caller must
 * still check that merchant_id is its own and that value and currency match the recorded checkout.
 */
export function verifyConfirmation(
  parsed: PayuConfirmation,
  apiKey: string,
  algorithm?: PayuAlgorithm,
  options: VerifyCallbackOptions = {},
): boolean {
  const chosen = callbackAlgorithm(parsed.sign, algorithm, options.strictAlgorithm ?? false);
  if (chosen === null) return false;
  const expected = signConfirmation({
    apiKey,
    merchantId: parsed.merchantId,
    referenceSale: parsed.referenceSale,
    value: parsed.value,
    currency: parsed.currency,
    statePol: parsed.statePol,
    algorithm: chosen,
  });
  return safeEqualSignature(expected, parsed.sign);
}

/**
 * Whether PayU's decimal `value` text is exactly the recorded amount: "20000.00" equals COP 20000,
 * "20000.50" does not (no rounding, so a tampered or partial amount never passes). Compared as integers.
 */
export function valueMatches(value: string, recordedMinor: bigint, currency: Currency): boolean {
  const text = value.trim();
  if (!/^\d+(?:\.\d+)?$/.test(text)) return false;
  const d = parseDecimal(text);
  if (!d) return false;
  const p = PRECISION[currency];
  // value.int / 10^scale === recorded / 10^p  ⇔  value.int · 10^p === recorded · 10^scale
  return d.int * 10n ** BigInt(p) === recordedMinor * 10n ** BigInt(d.scale);
}

/** Signed value and currency both equal what the portal recorded for the reference (replay defence). */
export function matchesRecorded(
  parsed: Pick<PayuConfirmation, 'value' | 'currency'>,
  recorded: { readonly amount: bigint; readonly currency: Currency },
): boolean {
  return (
    parsed.currency === recorded.currency && valueMatches(parsed.value, recorded.amount, recorded.currency)
  );
}
