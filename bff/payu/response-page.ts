import { z } from 'zod';
import { responsePageStatus } from '../../shared/payu-states';
import { optionalText, signatureHex, signedText } from './callback-fields';
import {
  callbackAlgorithm,
  safeEqualSignature,
  signResponsePage,
  type PayuAlgorithm,
  type VerifyCallbackOptions,
} from './signature';

/**
 * The response page (`responseUrl`): PayU redirects the payer here with a GET. It is for display only (the
 * payer may never come back, and nothing here is a reason to change a payment), but it is signed, so a
 * forged "approved" page can be told apart from a real one.
 */

/** `null` stands for a `transactionState` outside PayU's table. */
export type ResponsePageStatus = 'approved' | 'declined' | 'error' | 'expired' | 'pending';

export const responsePageQuerySchema = z.object({
  merchantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  referenceCode: signedText(255),
  TX_VALUE: z.string().regex(/^\d{1,15}(?:\.\d{1,8})?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
  transactionState: z.string().regex(/^\d{1,4}$/),
  signature: signatureHex,
  polTransactionState: optionalText(8),
  lapTransactionState: optionalText(64),
  polResponseCode: optionalText(16),
  lapResponseCode: optionalText(64),
  message: optionalText(255),
  reference_pol: optionalText(64),
  transactionId: optionalText(64),
  lng: optionalText(8),
  processingDate: optionalText(64),
  buyerEmail: optionalText(255),
  description: optionalText(255),
  polPaymentMethodType: optionalText(16),
  lapPaymentMethod: optionalText(64),
  extra1: optionalText(255),
  extra2: optionalText(255),
  extra3: optionalText(255),
});

export interface PayuResponsePage {
  readonly merchantId: string;
  /** Decoded: `+` and `%20` are both a space by now. */
  readonly referenceCode: string;
  readonly txValue: string;
  readonly currency: string;
  readonly transactionState: string;
  readonly signature: string;
  readonly status: ResponsePageStatus | null;
  readonly polTransactionState: string | null;
  readonly lapTransactionState: string | null;
  readonly polResponseCode: string | null;
  readonly lapResponseCode: string | null;
  readonly message: string | null;
  readonly referencePol: string | null;
  readonly transactionId: string | null;
  readonly lng: string | null;
  readonly processingDate: string | null;
  readonly buyerEmail: string | null;
  readonly description: string | null;
  readonly polPaymentMethodType: string | null;
  readonly lapPaymentMethod: string | null;
  readonly extra1: string | null;
  readonly extra2: string | null;
  readonly extra3: string | null;
}

export type ParseResponsePageResult =
  | { readonly ok: true; readonly value: PayuResponsePage }
  | { readonly ok: false; readonly issues: readonly string[] };

export { responsePageStatus };

export type ResponsePageQuery =
  string | URLSearchParams | Readonly<Record<string, string | string[] | undefined>>;

/**
 * PayU form-encodes the query, so `referenceCode` may carry `+` for a space, and the spec says to decode it
 * before hashing. URLSearchParams (and Hono's `c.req.query()`, built on the same rules) already turn `+` into
 * a space; a raw query string is decoded here the same way, and `c.req.queries()` arrays are unwrapped. Never run decodeURIComponent on it: that leaves
 * `+` as is and the signature would not match. A parameter given twice is refused.
 */
function toRecord(query: ResponsePageQuery): Record<string, string | string[] | undefined> {
  if (typeof query !== 'string' && !(query instanceof URLSearchParams)) {
    // Hono's c.req.queries() gives every value as an array: one element is a plain value.
    const out: Record<string, string | string[] | undefined> = {};
    for (const [key, value] of Object.entries(query)) {
      out[key] = Array.isArray(value) && value.length === 1 ? value[0] : value;
    }
    return out;
  }
  const params = typeof query === 'string' ? new URLSearchParams(query.replace(/^\?/, '')) : query;
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const seen = out[key];
    out[key] = seen === undefined ? value : ([] as string[]).concat(seen, value);
  }
  return out;
}

export function parseResponsePage(query: ResponsePageQuery): ParseResponsePageResult {
  const parsed = responsePageQuerySchema.safeParse(toRecord(query));
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`),
    };
  }
  const q = parsed.data;
  return {
    ok: true,
    value: {
      merchantId: q.merchantId,
      referenceCode: q.referenceCode,
      txValue: q.TX_VALUE,
      currency: q.currency,
      transactionState: q.transactionState,
      signature: q.signature,
      status: responsePageStatus(q.transactionState),
      polTransactionState: q.polTransactionState,
      lapTransactionState: q.lapTransactionState,
      polResponseCode: q.polResponseCode,
      lapResponseCode: q.lapResponseCode,
      message: q.message,
      referencePol: q.reference_pol,
      transactionId: q.transactionId,
      lng: q.lng,
      processingDate: q.processingDate,
      buyerEmail: q.buyerEmail,
      description: q.description,
      polPaymentMethodType: q.polPaymentMethodType,
      lapPaymentMethod: q.lapPaymentMethod,
      extra1: q.extra1,
      extra2: q.extra2,
      extra3: q.extra3,
    },
  };
}

/**
 * Checks `signature` = hash(`ApiKey~merchantId~referenceCode~new_value~currency~transactionState`) with
 * new_value = TX_VALUE rounded half-even to one decimal. Like the confirmation, the page carries no
 * algorithm field (see callbackAlgorithm).
 */
export function verifyResponsePage(
  parsed: PayuResponsePage,
  apiKey: string,
  algorithm?: PayuAlgorithm,
  options: VerifyCallbackOptions = {},
): boolean {
  const chosen = callbackAlgorithm(parsed.signature, algorithm, options.strictAlgorithm ?? false);
  if (chosen === null) return false;
  const expected = signResponsePage({
    apiKey,
    merchantId: parsed.merchantId,
    referenceCode: parsed.referenceCode,
    txValue: parsed.txValue,
    currency: parsed.currency,
    transactionState: parsed.transactionState,
    algorithm: chosen,
  });
  return safeEqualSignature(expected, parsed.signature);
}
