import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDecimal, rescale } from '../../shared/money';

/**
 * PayU WebCheckout signatures (docs/spec/payu-webcheckout.md, "Signatures"): a plain hash, lowercase hex, of
 * `ApiKey~field~field~…`. The three formulas differ only in the fields and in how the amount is written, so
 * each has its own function and the amount rules live here, next to the official vectors they must match.
 */

export const PAYU_ALGORITHMS = ['MD5', 'SHA', 'SHA256'] as const;
/** `algorithmSignature`; PayU assumes MD5 when the field is absent. */
export type PayuAlgorithm = (typeof PAYU_ALGORITHMS)[number];

const NODE_HASH: Readonly<Record<PayuAlgorithm, string>> = { MD5: 'md5', SHA: 'sha1', SHA256: 'sha256' };
const HEX_LENGTH: Readonly<Record<PayuAlgorithm, number>> = { MD5: 32, SHA: 40, SHA256: 64 };

export function isPayuAlgorithm(value: unknown): value is PayuAlgorithm {
  return typeof value === 'string' && (PAYU_ALGORITHMS as readonly string[]).includes(value);
}

export function payuHash(algorithm: PayuAlgorithm, text: string): string {
  return createHash(NODE_HASH[algorithm]).update(text, 'utf8').digest('hex');
}

/**
 * The algorithm that produced a hex signature of this length (32 MD5, 40 SHA-1, 64 SHA-256), or null.
 * PayU's callbacks carry no algorithm field, so the length is the only hint there is.
 */
export function algorithmForSignature(signature: string): PayuAlgorithm | null {
  if (!/^[0-9a-fA-F]+$/.test(signature)) return null;
  return PAYU_ALGORITHMS.find((a) => HEX_LENGTH[a] === signature.length) ?? null;
}

export interface RequestSignatureInput {
  readonly apiKey: string;
  readonly merchantId: string;
  readonly referenceCode: string;
  /** The exact string placed in the form's `amount`: PayU hashes `20000` and `20000.00` differently. */
  readonly amount: string;
  readonly currency: string;
  readonly algorithm: PayuAlgorithm;
  readonly paymentMethods?: string;
  readonly iin?: string;
  readonly pseBanks?: string;
}

/**
 * `ApiKey~merchantId~referenceCode~amount~currency[~paymentMethods][~iin][~pseBanks]`. The optional parts are
 * appended, in that order, only when the form sends them; the form never sends them empty, so an empty
 * string counts as absent.
 */
export function signRequest(input: RequestSignatureInput): string {
  const parts = [input.apiKey, input.merchantId, input.referenceCode, input.amount, input.currency];
  for (const optional of [input.paymentMethods, input.iin, input.pseBanks]) {
    if (optional !== undefined && optional !== '') parts.push(optional);
  }
  return payuHash(input.algorithm, parts.join('~'));
}

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * Response page `new_value`: `TX_VALUE` rounded to one decimal, half to even, computed on the decimal text
 * (150.25 → 150.2, 150.35 → 150.4). PayU's own sample uses banker's rounding here, and binary floats
 * (`toFixed`) get these ties wrong, so the rounding is done in integers.
 */
export function responseNewValue(txValue: string): string {
  const text = txValue.trim();
  const d = PLAIN_DECIMAL.test(text) ? parseDecimal(text) : null;
  if (!d) throw new RangeError(`not a PayU amount: ${JSON.stringify(txValue)}`);
  const tenths = rescale(d, 1, 'halfEven');
  return `${tenths / 10n}.${tenths % 10n}`;
}

const CONFIRMATION_VALUE = /^(\d+)(?:\.(\d{0,2}))?$/;

/**
 * Confirmation `new_value`: `value` with its second decimal dropped when that decimal is 0 (PayU's rule:
 * `150.00` → `150.0`, `150.20` → `150.2`, `150.26` → `150.26`); a value without decimals gets `.0`. PayU
 * sends at most two decimals, so anything longer is refused rather than guessed at.
 */
export function confirmationNewValue(value: string): string {
  const m = CONFIRMATION_VALUE.exec(value.trim());
  if (!m) throw new RangeError(`not a PayU confirmation value: ${JSON.stringify(value)}`);
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length === 0) return `${whole}.0`;
  if (frac.length === 2 && frac[1] === '0') return `${whole}.${frac[0]}`;
  return `${whole}.${frac}`;
}

export interface ResponsePageSignatureInput {
  readonly apiKey: string;
  readonly merchantId: string;
  /** Already form-decoded (`+` → space). */
  readonly referenceCode: string;
  readonly txValue: string;
  readonly currency: string;
  /** `transactionState`, never `polTransactionState` (the two differ for pending payments). */
  readonly transactionState: string;
  readonly algorithm: PayuAlgorithm;
}

/** `ApiKey~merchantId~referenceCode~new_value~currency~transactionState`. */
export function signResponsePage(input: ResponsePageSignatureInput): string {
  const text = [
    input.apiKey,
    input.merchantId,
    input.referenceCode,
    responseNewValue(input.txValue),
    input.currency,
    input.transactionState,
  ].join('~');
  return payuHash(input.algorithm, text);
}

export interface ConfirmationSignatureInput {
  readonly apiKey: string;
  readonly merchantId: string;
  readonly referenceSale: string;
  readonly value: string;
  readonly currency: string;
  readonly statePol: string;
  readonly algorithm: PayuAlgorithm;
}

/** `ApiKey~merchant_id~reference_sale~new_value~currency~state_pol`. */
export function signConfirmation(input: ConfirmationSignatureInput): string {
  const text = [
    input.apiKey,
    input.merchantId,
    input.referenceSale,
    confirmationNewValue(input.value),
    input.currency,
    input.statePol,
  ].join('~');
  return payuHash(input.algorithm, text);
}

/**
 * Constant-time, case-insensitive comparison of two hex signatures. Unequal lengths return false at once:
 * the length only reveals which algorithm is in use, which is no secret.
 */
export function safeEqualSignature(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export interface VerifyCallbackOptions {
  /** Accept only the configured algorithm (default false: any of MD5/SHA/SHA256, chosen by length). */
  readonly strictAlgorithm?: boolean;
}

/**
 * The algorithm to check a callback signature with. PayU's response page and confirmation carry no
 * algorithm field, and PayU signs them with the account's algorithm, which is not necessarily the form's
 * `algorithmSignature` (older integrations and accounts answer in MD5). The three hashes have distinct
 * lengths, so the length picks exactly one: lenient mode accepts whichever it is, strict mode only the
 * configured one. Lenient is safe because every variant is keyed with the secret API key and the signed
 * fields are validated (digits only where PayU sends digits), which rules out forging by length extension.
 */
export function callbackAlgorithm(
  signature: string,
  configured: PayuAlgorithm | undefined,
  strict: boolean,
): PayuAlgorithm | null {
  const byLength = algorithmForSignature(signature);
  if (byLength === null) return null;
  if (strict && configured !== undefined && configured !== byLength) return null;
  return byLength;
}
