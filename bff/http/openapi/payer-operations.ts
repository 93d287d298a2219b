import { z } from 'zod';
import {
  checkoutRequestSchema,
  checkoutResponseSchema,
  lookupRequestSchema,
  lookupResponseSchema,
  paymentResponseSchema,
} from '../../../shared/api/schemas';
import {
  DEMO_ID_NUMBER,
  DEMO_MERCHANT,
  DEMO_REFERENCE,
  DEMO_VIEW_TOKEN,
  buyerExample,
  checkoutExample,
  lookupExample,
  merchantPublicExample,
  paymentExample,
} from './examples';
import type { ApiOperation, ApiParameter } from './operation';

/** What the payer's browser calls (the SPA, or any page of the merchant): no credential. */

export const merchantIdParameter: ApiParameter = {
  name: 'merchantId',
  in: 'path',
  required: true,
  description: "The merchant's id in the portal's config.",
  schema: { type: 'string', pattern: '^[a-z0-9-]{2,40}$' },
  example: DEMO_MERCHANT,
};

/** GET …/public: the page chrome of a merchant (no payer data, cacheable). */
export const merchantPublicSchema = z.object({
  id: z.string(),
  name: z.string(),
  locale: z.string(),
  returnUrl: z.string().nullable(),
  branding: z.object({ logoUrl: z.string().optional(), color: z.string().optional() }),
  embed: z.boolean().describe('Whether the merchant allows embedding the portal in its site.'),
  support: z
    .object({ email: z.string().optional(), phone: z.string().optional(), url: z.string().optional() })
    .nullable()
    .describe('Where payers get help (shown in the footer and beside "contact the merchant").'),
  termsUrl: z.string().nullable(),
  privacyUrl: z.string().nullable(),
});

const heldCheckoutParameters = (): ApiParameter[] => [
  merchantIdParameter,
  {
    name: 'reference',
    in: 'path',
    required: true,
    description: "The reference of a checkout that holds one of this payer's items (`hold.reference`).",
    schema: { type: 'string' },
    example: DEMO_REFERENCE,
  },
];

const heldCheckoutErrors = {
  400: ['invalid_request', 'invalid_id_number', 'invalid_token'],
  404: ['unknown_merchant', 'not_found'],
  410: ['expired_token'],
  413: ['payload_too_large'],
  429: ['rate_limited'],
  500: ['internal_error'],
  502: ['erp_unavailable', 'erp_bad_response'],
  504: ['erp_timeout'],
} as const;

export const payerOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/lookup',
    operationId: 'lookupPayer',
    summary: "A payer's pending items, priced for today",
    description:
      "Reads the merchant's ERP for the id number (or the statement-link token), validates, de-duplicates " +
      "and prices every item for today in the merchant's time zone. Limited per client IP and per id number.",
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter],
    request: { schema: lookupRequestSchema, example: { idNumber: DEMO_ID_NUMBER } },
    responses: {
      200: {
        description: 'The items and why any of them cannot be paid',
        body: { schema: lookupResponseSchema, example: lookupExample },
      },
    },
    errors: {
      400: ['invalid_request', 'invalid_id_number', 'invalid_token'],
      404: ['unknown_merchant'],
      410: ['expired_token'],
      413: ['payload_too_large'],
      429: ['rate_limited'],
      500: ['internal_error'],
      502: ['erp_unavailable', 'erp_bad_response'],
      504: ['erp_timeout'],
    },
  },
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/checkout',
    operationId: 'createCheckout',
    summary: 'A signed PayU WebCheckout form for items of one currency',
    description:
      'Prices the chosen items again from the ERP, holds them, records the checkout and answers the form the ' +
      'browser POSTs top-level to PayU. The same Idempotency-Key with the same body answers the same form.',
    tag: 'Payer',
    access: 'public',
    parameters: [
      merchantIdParameter,
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description: 'Chosen by the client per payment attempt; a retry sends the same key.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,255}$' },
        example: 'demo-key-0001',
      },
    ],
    request: {
      schema: checkoutRequestSchema,
      example: {
        idNumber: DEMO_ID_NUMBER,
        items: [{ ref: '7654321', amount: '20000' }],
        buyer: buyerExample,
        lng: 'es',
      },
    },
    responses: {
      201: {
        description: 'The form to POST to PayU',
        body: { schema: checkoutResponseSchema, example: checkoutExample },
      },
    },
    errors: {
      400: ['invalid_request', 'idempotency_key_required', 'invalid_id_number', 'invalid_token'],
      404: ['unknown_merchant'],
      409: ['payment_pending', 'item_paid'],
      410: ['expired_token'],
      413: ['payload_too_large'],
      422: [
        'invalid_request',
        'amount_out_of_range',
        'amount_not_allocatable',
        'remainder_below_minimum',
        'unknown_item',
        'unknown_withholding',
        'mixed_currencies',
        'idempotency_key_reused',
      ],
      429: ['rate_limited'],
      500: ['internal_error'],
      502: ['erp_unavailable', 'erp_bad_response'],
      504: ['erp_timeout'],
    },
  },
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/checkouts/{reference}/resume',
    operationId: 'resumeCheckout',
    summary: "The payer's unfinished checkout again: the same reference and signed form",
    description:
      'For a payer who left PayU before paying (Back, a closed tab) while the hold is on. The credential ' +
      'must list an item this checkout holds; anything else is 404.',
    tag: 'Payer',
    access: 'public',
    parameters: heldCheckoutParameters(),
    request: { schema: lookupRequestSchema, example: { idNumber: DEMO_ID_NUMBER } },
    responses: {
      200: {
        description: 'The same form',
        body: { schema: checkoutResponseSchema, example: checkoutExample },
      },
    },
    errors: heldCheckoutErrors,
  },
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/checkouts/{reference}/cancel',
    operationId: 'cancelCheckout',
    summary: "Gives up the payer's unfinished checkout: its items can be paid again at once",
    description:
      'Ends the hold now. The checkout stays pending: reconciliation still asks PayU, and a confirmation ' +
      'that arrives later is still recorded.',
    tag: 'Payer',
    access: 'public',
    parameters: heldCheckoutParameters(),
    request: { schema: lookupRequestSchema, example: { idNumber: DEMO_ID_NUMBER } },
    responses: {
      200: {
        description: 'Cancelled',
        body: {
          schema: z.object({ reference: z.string(), cancelled: z.literal(true) }),
          example: { reference: DEMO_REFERENCE, cancelled: true },
        },
      },
    },
    errors: heldCheckoutErrors,
  },
  {
    method: 'get',
    path: '/api/v1/merchants/{merchantId}/payments/{reference}',
    operationId: 'getPayment',
    summary: 'The status of one payment',
    description:
      'What the result page polls after PayU sent the payer back. Only the confirmation changes it. ' +
      'Limited per client IP, so references cannot be tried at speed.',
    tag: 'Payer',
    access: 'public',
    parameters: [
      merchantIdParameter,
      {
        name: 'reference',
        in: 'path',
        required: true,
        description: 'The checkout reference (`referenceCode` at PayU).',
        schema: { type: 'string' },
        example: DEMO_REFERENCE,
      },
      {
        name: 'X-Payment-View-Token',
        in: 'header',
        required: false,
        description:
          "The checkout answer's `viewToken`: with it the items carry their descriptions (only the browser " +
          'that made the checkout sees what was paid for); without it, status and amounts only.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
        example: DEMO_VIEW_TOKEN,
      },
    ],
    responses: {
      200: { description: 'The payment', body: { schema: paymentResponseSchema, example: paymentExample } },
    },
    errors: { 404: ['unknown_merchant', 'not_found'], 429: ['rate_limited'], 500: ['internal_error'] },
  },
  {
    method: 'get',
    path: '/api/v1/merchants/{merchantId}/public',
    operationId: 'getMerchantPublic',
    summary: "A merchant's page chrome: name, locale, branding",
    description: 'No payer data; cacheable (`Cache-Control: public, max-age=300`).',
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter],
    responses: {
      200: {
        description: 'The merchant',
        body: { schema: merchantPublicSchema, example: merchantPublicExample },
      },
    },
    errors: { 404: ['unknown_merchant'] },
  },
];
