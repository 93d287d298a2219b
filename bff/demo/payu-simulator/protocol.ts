import { randomUUID } from 'node:crypto';
import { parseDecimal, rescale } from '../../../shared/money';
import { signConfirmation, signResponsePage } from '../../payu/signature';
import type { Checkout, CheckoutForm } from './checkout-form';

/**
 * What PayU says about a transaction: the response-page query the payer is redirected with and the
 * confirmation POSTed to the portal, with PayU's codes per state (docs/spec/payu-webcheckout.md).
 */

export type TxState = 'APPROVED' | 'DECLINED' | 'PENDING' | 'EXPIRED' | 'ERROR';

export interface SimTransaction {
  readonly id: string;
  state: TxState;
  operationDate: number;
}

/** PayU's order: one per merchant and reference, with every transaction (a retry after a decline adds one). */
export interface SimOrder {
  readonly id: string;
  readonly merchantId: string;
  readonly form: CheckoutForm;
  readonly transactions: SimTransaction[];
}

/** PayU's codes per outcome: response page (transactionState, polTransactionState, …) and confirmation. */
interface OutcomeCodes {
  readonly transactionState: string;
  readonly polTransactionState: string;
  readonly lapTransactionState: string;
  readonly polResponseCode: string;
  readonly lapResponseCode: string;
}

export const CODES: Readonly<Record<TxState, OutcomeCodes>> = {
  APPROVED: {
    transactionState: '4',
    polTransactionState: '4',
    lapTransactionState: 'APPROVED',
    polResponseCode: '1',
    lapResponseCode: 'APPROVED',
  },
  DECLINED: {
    transactionState: '6',
    polTransactionState: '6',
    lapTransactionState: 'DECLINED',
    polResponseCode: '5',
    lapResponseCode: 'ENTITY_DECLINED',
  },
  EXPIRED: {
    transactionState: '5',
    polTransactionState: '5',
    lapTransactionState: 'EXPIRED',
    polResponseCode: '20',
    lapResponseCode: 'EXPIRED_TRANSACTION',
  },
  // The spec's state table: an error is transactionState 104 on the page and state_pol 6 in the
  // confirmation, told apart from a decline by response_message_pol ERROR.
  ERROR: {
    transactionState: '104',
    polTransactionState: '6',
    lapTransactionState: 'ERROR',
    polResponseCode: '9999',
    lapResponseCode: 'ERROR',
  },
  // Pending is reported with a pol state other than transactionState, which is why the response-page
  // signature uses transactionState.
  PENDING: {
    transactionState: '7',
    polTransactionState: '14',
    lapTransactionState: 'PENDING',
    polResponseCode: '25',
    lapResponseCode: 'PENDING_TRANSACTION_CONFIRMATION',
  },
};

export function newTransaction(state: TxState, now: number): SimTransaction {
  return { id: randomUUID(), state, operationDate: now };
}

export function orderKey(merchantId: string, reference: string): string {
  return `${merchantId}\u0000${reference}`;
}

/** Where the payer is sent back: responseUrl with PayU's signed response-page query. */
export function responsePageUrl(
  checkout: Checkout,
  order: SimOrder,
  tx: SimTransaction,
  apiKey: string,
): string {
  const { form } = checkout;
  const codes = CODES[tx.state];
  const txValue = twoDecimals(form.amount);
  const url = new URL(form.responseUrl);
  const params: Record<string, string | undefined> = {
    merchantId: form.merchantId,
    merchant_name: 'Simulador PayU',
    transactionState: codes.transactionState,
    lapTransactionState: codes.lapTransactionState,
    polTransactionState: codes.polTransactionState,
    polResponseCode: codes.polResponseCode,
    lapResponseCode: codes.lapResponseCode,
    message: codes.lapTransactionState,
    referenceCode: form.referenceCode,
    reference_pol: order.id,
    transactionId: tx.id,
    description: form.description,
    TX_VALUE: txValue,
    TX_TAX: '0.00',
    currency: form.currency,
    lng: checkout.lng,
    processingDate: bogotaDateTime(new Date(tx.operationDate)).slice(0, 10),
    buyerEmail: form.buyerEmail,
    polPaymentMethodType: '2',
    lapPaymentMethod: 'VISA',
    authorizationCode: tx.state === 'APPROVED' ? authorizationCode(tx.id) : undefined,
    extra1: form.extra1,
    extra2: form.extra2,
    extra3: form.extra3,
    signature: signResponsePage({
      apiKey,
      merchantId: form.merchantId,
      referenceCode: form.referenceCode,
      txValue,
      currency: form.currency,
      transactionState: codes.transactionState,
      algorithm: checkout.algorithm,
    }),
  };
  // URLSearchParams form-encodes (space as `+`), exactly as PayU builds this query.
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** The signed confirmation PayU POSTs to confirmationUrl. */
export function confirmationParams(
  checkout: Checkout,
  order: SimOrder,
  tx: SimTransaction,
  apiKey: string,
): Record<string, string> {
  const { form } = checkout;
  const codes = CODES[tx.state];
  // PayU writes `value` with two decimals ("20000.00"); the signature then drops a trailing 0 decimal.
  const value = twoDecimals(form.amount);
  const statePol = tx.state === 'ERROR' ? '6' : codes.transactionState;
  const params: Record<string, string | undefined> = {
    merchant_id: form.merchantId,
    reference_sale: form.referenceCode,
    value,
    currency: form.currency,
    state_pol: statePol,
    sign: signConfirmation({
      apiKey,
      merchantId: form.merchantId,
      referenceSale: form.referenceCode,
      value,
      currency: form.currency,
      statePol,
      algorithm: checkout.algorithm,
    }),
    transaction_id: tx.id,
    reference_pol: order.id,
    response_code_pol: codes.polResponseCode,
    response_message_pol: codes.lapResponseCode,
    payment_method_type: '2',
    payment_method_id: '2',
    payment_method_name: 'VISA',
    transaction_date: bogotaDateTime(new Date(tx.operationDate)),
    email_buyer: form.buyerEmail,
    description: form.description,
    tax: '0.00',
    additional_value: '0.00',
    authorization_code: tx.state === 'APPROVED' ? authorizationCode(tx.id) : undefined,
    extra1: form.extra1,
    extra2: form.extra2,
    extra3: form.extra3,
    test: form.test ?? '0',
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
  return out;
}

/** "20000" → "20000.00": PayU reports values with two decimals whatever the form sent. */
export function twoDecimals(amount: string): string {
  const d = parseDecimal(amount);
  if (!d) throw new RangeError('payu simulator: invalid amount');
  const cents = rescale(d, 2, 'halfEven').toString().padStart(3, '0');
  return `${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

/** PayU reports dates in Colombia's time (UTC-5, no daylight saving): `YYYY-MM-DD HH:mm:ss`. */
export function bogotaDateTime(date: Date): string {
  return new Date(date.getTime() - 5 * 60 * 60 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function authorizationCode(transactionId: string): string {
  return transactionId.replace(/-/g, '').slice(0, 6).toUpperCase();
}
