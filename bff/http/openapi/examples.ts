import type { LookupResponse, PaymentResponse } from '../../../shared/api/schemas';
import { demoConfig } from '../../config/demo-config';
import { createPaymentViewTokens } from '../../links/payment-view-token';
import { signConfirmation, signResponsePage } from '../../payu/signature';

/**
 * Example values of the OpenAPI document: what the built-in demo (`npm start`) answers, frozen on
 * 2026-11-21 so the document does not change with the date. Typed by the shared API types, so an example
 * cannot silently lose a field the API has.
 */
export const DEMO_URL = 'http://127.0.0.1:8787';
const demoRoot = demoConfig({ publicUrl: DEMO_URL });
const demo = demoRoot.merchants[0]!;
export const DEMO_MERCHANT = demo.id;
export const DEMO_API_TOKEN = demo.apiToken;
export const DEMO_ID_NUMBER = '12345678';
export const DEMO_REFERENCE = 'SLD-oxrxu9Xe6lSl9H-yfmajUm-v';
export const DEMO_TOKEN =
  'yzc0XVspJLNZLAeWP9rJ_ZWxluBQ3LHdSOmANvtcRH7k4O0c0AZ7378W-LlAQp0P9jj6DtVNsjWPHBUvSd2s_NLGX5QHHvyFyzOzdg';

const item = {
  currency: 'COP',
  discount: '0',
  lateFee: '0',
  paid: '0',
  payable: true,
  blockedReason: null,
  discountUntil: null,
  comments: { enabled: false, label: null },
  deliveryAddressRequired: false,
} as const;

export const lookupExample: LookupResponse = {
  merchant: { id: DEMO_MERCHANT, name: demo.name },
  asOf: '2026-11-21',
  payer: { maskedName: 'Ef****' },
  items: [
    {
      ...item,
      ref: '1234567',
      description: 'prueba fill out all',
      amount: '20000',
      delivery: '5000',
      total: '25000',
      balance: '25000',
      minimum: '10000',
      maxPartial: '15000',
      hold: null,
      limitDate: '2025-03-15',
      daysOverdue: 616,
      references: ['123456', '323432', '6546456'],
      picture: 'https://efipay.co/images/logo.svg',
    },
    {
      ...item,
      ref: '7654321',
      description: 'prueba fill out recauda only',
      amount: '20000',
      delivery: '0',
      total: '20000',
      balance: '20000',
      minimum: '10000',
      maxPartial: '10000',
      hold: null,
      limitDate: null,
      daysOverdue: 0,
      references: [],
      picture: null,
    },
  ],
  skipped: 0,
  duplicates: 0,
  linkedRef: null,
};

export const buyerExample = {
  email: 'pagos@example.com',
  fullName: 'Efipay Demo',
  phone: '+57 300 000 0000',
};

const payu = demo.payu;
/** What the checkout answers beside the form; sent back as X-Payment-View-Token it shows descriptions. */
export const DEMO_VIEW_TOKEN = createPaymentViewTokens(demoRoot.linkSecret).issue(
  DEMO_MERCHANT,
  DEMO_REFERENCE,
);
export const checkoutExample = {
  reference: DEMO_REFERENCE,
  action: `${DEMO_URL}/payu-sim/checkout`,
  method: 'POST' as const,
  fields: {
    merchantId: payu.merchantId,
    accountId: payu.accountId,
    description: `${demo.name}: prueba fill out recauda only`,
    referenceCode: DEMO_REFERENCE,
    amount: '20000',
    tax: '0',
    taxReturnBase: '0',
    currency: 'COP',
    signature: 'c83a78c1342b51829316032c41672286d30098179d1a3e382681a7f5ed05790f',
    algorithmSignature: 'SHA256',
    test: '1',
    lng: 'es',
    buyerEmail: buyerExample.email,
    buyerFullName: buyerExample.fullName,
    telephone: buyerExample.phone,
    responseUrl: `${DEMO_URL}/payu/${DEMO_MERCHANT}/response`,
    confirmationUrl: `${DEMO_URL}/payu/${DEMO_MERCHANT}/confirmation`,
    extra1: DEMO_MERCHANT,
  },
  viewToken: DEMO_VIEW_TOKEN,
};

export const paymentExample: PaymentResponse = {
  reference: DEMO_REFERENCE,
  status: 'approved',
  amount: '20000',
  currency: 'COP',
  items: [{ ref: '7654321', description: 'prueba fill out recauda only', amount: '20000' }],
  updatedAt: '2026-11-21T15:04:05.000Z',
  createdAt: '2026-11-21T15:02:41.000Z',
  payuReference: '845612378',
  merchant: { id: DEMO_MERCHANT, name: demo.name, returnUrl: `${DEMO_URL}/demo` },
};

export const merchantPublicExample = {
  id: DEMO_MERCHANT,
  name: demo.name,
  locale: 'es-CO',
  returnUrl: `${DEMO_URL}/demo`,
  branding: { color: '#0b5cad' },
  embed: true,
  support: { email: 'pagos@demo.example', phone: '+57 601 555 0100' },
  termsUrl: null,
  privacyUrl: null,
};

export const linkExample = {
  url: `${DEMO_URL}/${DEMO_MERCHANT}/s/${DEMO_TOKEN}`,
  expiresAt: '2026-12-21T15:04:05.000Z',
};

/** An approved confirmation of the checkout above, signed with the demo's (PayU's public sandbox) key. */
export const confirmationExample = {
  merchant_id: payu.merchantId,
  reference_sale: DEMO_REFERENCE,
  value: '20000.00',
  currency: 'COP',
  state_pol: '4',
  sign: signConfirmation({
    apiKey: payu.apiKey,
    merchantId: payu.merchantId,
    referenceSale: DEMO_REFERENCE,
    value: '20000.00',
    currency: 'COP',
    statePol: '4',
    algorithm: 'SHA256',
  }),
  transaction_id: 'f5e2b1c4-3d6a-4e8b-9c0d-1a2b3c4d5e6f',
  reference_pol: '845612378',
  response_code_pol: '1',
  response_message_pol: 'APPROVED',
  payment_method_type: '2',
  transaction_date: '2026-11-21 10:04:05',
  extra1: DEMO_MERCHANT,
};

/** PayU's redirect of the payer's browser after the same payment. */
export const responsePageExample = {
  merchantId: payu.merchantId,
  referenceCode: DEMO_REFERENCE,
  TX_VALUE: '20000.00',
  currency: 'COP',
  transactionState: '4',
  signature: signResponsePage({
    apiKey: payu.apiKey,
    merchantId: payu.merchantId,
    referenceCode: DEMO_REFERENCE,
    txValue: '20000.00',
    currency: 'COP',
    transactionState: '4',
    algorithm: 'SHA256',
  }),
  polTransactionState: '4',
  lapTransactionState: 'APPROVED',
  reference_pol: '845612378',
  transactionId: 'f5e2b1c4-3d6a-4e8b-9c0d-1a2b3c4d5e6f',
  lng: 'es',
};
