import type { z } from 'zod';
import {
  chargeCreateRequestSchema,
  chargeCreatedSchema,
  chargeListSchema,
  chargeUpdateRequestSchema,
  chargeViewSchema,
} from '../../../shared/api/charge-schemas';
import { lookupResponseSchema } from '../../../shared/api/schemas';
import { DEMO_MERCHANT } from './examples';
import type { ApiOperation, ApiParameter } from './operation';
import { merchantIdParameter } from './payer-operations';

/**
 * The merchant charge API (docs/spec/merchant-charges.md) at the paths of the "Generar cobro" / "Actualizar
 * cobro" documents, and the public side of a charge link.
 */

const EXTERNAL_REFERENCE = 'k3v9q2m7x1pa';
const LINK_ID = 'Qm9vZ2llV29vZ2llQm9vZ2ll';
const LINK = `http://127.0.0.1:8787/${DEMO_MERCHANT}/c/${LINK_ID}`;

const externalReferenceParameter: ApiParameter = {
  name: 'external_reference',
  in: 'path',
  required: true,
  description: 'The reference the portal gave the charge when it was created.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
  example: EXTERNAL_REFERENCE,
};

const linkIdParameter: ApiParameter = {
  name: 'linkId',
  in: 'path',
  required: true,
  description: 'The last segment of the charge link (144 random bits): the credential for that one charge.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
  example: LINK_ID,
};

const createExample = {
  status: 'pending',
  amount: 100000,
  currency: 'COP',
  description: 'Mensualidad de diciembre',
  reference_one: 'Contrato C-204',
  channel: 'link',
  merchant_id_number: '900373923',
  merchant_phone: '573001234567',
  limit_date: '2026/12/15',
  payer: { user_id_type: 'CC', user_id_number: '1122334455', first_name: 'Valentina' },
  advance_payment: {
    condition_type: 'fixed',
    fixed: [
      { date: '2026/12/05', value: 5000 },
      { date: '2026/12/10', value: 2000 },
    ],
  },
  invoice: { provider: 'siigo', type: 'link', id: 'FV-12-12345678' },
};

const createdExample: z.input<typeof chargeCreatedSchema> = {
  external_reference: EXTERNAL_REFERENCE,
  channel: 'LINK',
  link: LINK,
  process_id: '6f1c2a9e-8d4b-4c1e-9a57-2f3b8c7d1e0a',
  created_at: '2026-11-21T15:04:05.000Z',
};

const viewExample: z.input<typeof chargeViewSchema> = {
  external_reference: EXTERNAL_REFERENCE,
  process_id: createdExample.process_id,
  link: LINK,
  qr_url: null,
  status: 'pending',
  state: 'PENDING',
  process_type: 'digital',
  channel: 'LINK',
  currency: 'COP',
  amount: '100000',
  description: 'Mensualidad de diciembre',
  reference_one: 'Contrato C-204',
  reference_two: null,
  reference_three: null,
  reference_four: null,
  reference_five: null,
  reference_six: null,
  reference_seven: null,
  reference_eight: null,
  user_notification: false,
  expected_amount: null,
  expected_date: null,
  reminder_date: null,
  limit_date: '2026-12-15',
  merchant_id_number: '900373923',
  merchant_phone: '573001234567',
  merchant_email: null,
  return_url: null,
  expiration: false,
  attachment: null,
  comments: null,
  payer: {
    phone: null,
    email: null,
    user_id_type: 'CC',
    user_id_number: '1122334455',
    first_name: 'Valentina',
  },
  affiliate: null,
  invoice: { provider: 'siigo', type: 'link', id: 'FV-12-12345678', retentions: null },
  late_fees: null,
  advance_payment: {
    condition_type: 'fixed',
    fixed: [
      {
        id: '3f9a1c2b7e4d',
        date: '2026-12-05',
        value: '5000',
        reminder: false,
        reminder_template: null,
        reminder_channel: null,
      },
      {
        id: '8b2e6d0a1c5f',
        date: '2026-12-10',
        value: '2000',
        reminder: false,
        reminder_template: null,
        reminder_channel: null,
      },
    ],
  },
  return: null,
  express: null,
  external: null,
  split: null,
  created_at: '2026-11-21T15:04:05.000Z',
  updated_at: '2026-11-21T15:04:05.000Z',
  payments: [],
  priced: {
    ref: EXTERNAL_REFERENCE,
    source: 'charge',
    description: 'Mensualidad de diciembre',
    currency: 'COP',
    amount: '100000',
    discount: '5000',
    lateFee: '0',
    delivery: '0',
    paid: '0',
    total: '95000',
    balance: '95000',
    minimum: '95000',
    maxPartial: null,
    payable: true,
    blockedReason: null,
    hold: null,
    limitDate: '2026-12-15',
    discountUntil: '2026-12-05',
    daysOverdue: 0,
    references: ['Contrato C-204'],
    picture: null,
    comments: { enabled: false, label: null },
    deliveryAddressRequired: false,
    attachment: null,
  },
};

const priced = viewExample.priced;
// A list entry is the stored charge without its payments and prices (those are read one charge at a time).
const listed: z.input<typeof chargeViewSchema> = Object.fromEntries(
  Object.entries(viewExample).filter(([k]) => k !== 'payments' && k !== 'priced'),
) as z.input<typeof chargeViewSchema>;

const merchantErrors = {
  401: ['unauthorized'],
  413: ['payload_too_large'],
  429: ['rate_limited'],
  500: ['internal_error'],
} as const;

export const chargeOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/merchant/transaction',
    operationId: 'createCharge',
    summary: 'Create a charge ("Generar cobro")',
    description:
      'Every bad field is reported at once (422 with `error.fields`). Dates are `YYYY/MM/DD` or `YYYY-MM-DD`. ' +
      "With the payer id trio the charge joins that payer's lookup; the `link` opens it without an id number. " +
      'An `Idempotency-Key` header makes a retry answer the first answer again.',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Same key and same body: the same answer, one charge. Same key, other body: 422.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,255}$' },
        example: 'order-2026-0042',
      },
    ],
    request: { schema: chargeCreateRequestSchema, example: createExample },
    responses: {
      201: { description: 'Created', body: { schema: chargeCreatedSchema, example: createdExample } },
    },
    errors: {
      400: ['invalid_request'],
      ...merchantErrors,
      422: ['invalid_request', 'idempotency_key_reused'],
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/transaction',
    operationId: 'listCharges',
    summary: "The merchant's charges, newest first",
    description: '50 per page; pass `next_cursor` back as `cursor` for the next page.',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [
      {
        name: 'status',
        in: 'query',
        required: false,
        schema: {
          type: 'string',
          enum: ['created', 'pending', 'scheduled', 'unlimit', 'cancelled', 'expired'],
        },
        example: 'pending',
      },
      {
        name: 'payer',
        in: 'query',
        required: false,
        description: "The payer's id number.",
        schema: { type: 'string' },
        example: '1122334455',
      },
      {
        name: 'from',
        in: 'query',
        required: false,
        description: 'Created on or after this day (merchant time zone), YYYY/MM/DD.',
        schema: { type: 'string' },
        example: '2026/11/01',
      },
      {
        name: 'to',
        in: 'query',
        required: false,
        description: 'Created on or before this day (merchant time zone), YYYY/MM/DD.',
        schema: { type: 'string' },
        example: '2026/11/30',
      },
      {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'The `next_cursor` of the previous page.',
        schema: { type: 'string' },
        example: 'WzE3OTYwMDAwMDAwMDAsImszdjlxMm03eDFwYSJd',
      },
    ],
    responses: {
      200: {
        description: 'One page',
        body: { schema: chargeListSchema, example: { items: [listed], next_cursor: null } },
      },
    },
    errors: {
      401: ['unauthorized'],
      422: ['invalid_request'],
      429: ['rate_limited'],
      500: ['internal_error'],
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/transaction/{external_reference}',
    operationId: 'getCharge',
    summary: "One charge: its fields, entry ids, payments and today's prices",
    tag: 'Merchant',
    access: 'merchant',
    parameters: [externalReferenceParameter],
    responses: {
      200: { description: 'The charge', body: { schema: chargeViewSchema, example: viewExample } },
    },
    errors: { 401: ['unauthorized'], 404: ['not_found'], 429: ['rate_limited'], 500: ['internal_error'] },
  },
  {
    method: 'patch',
    path: '/v1/merchant/transaction/{external_reference}',
    operationId: 'updateCharge',
    summary: 'Update or activate a charge ("Actualizar cobro")',
    description:
      'Given fields replace stored ones; `late_fees` / `advance_payment` are lists of add / edit / delete actions ' +
      'on fixed entries. Amount and currency are locked (409) once a payment was approved or is in progress.',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [externalReferenceParameter],
    request: {
      schema: chargeUpdateRequestSchema,
      example: {
        process_type: 'express',
        express: { method: 'qr' },
        advance_payment: [{ action: 'delete', id: '8b2e6d0a1c5f' }],
      },
    },
    responses: {
      200: {
        description: 'The charge after the update',
        body: { schema: chargeViewSchema, example: viewExample },
      },
    },
    errors: {
      400: ['invalid_request'],
      ...merchantErrors,
      404: ['not_found'],
      409: ['charge_has_payments', 'conflict'],
      422: ['invalid_request', 'unsupported_method'],
    },
  },
  {
    method: 'get',
    path: '/api/v1/merchants/{merchantId}/charges/{linkId}',
    operationId: 'openChargeLink',
    summary: 'The one charge of a charge link, priced for today',
    description:
      'What the page `/{merchantId}/c/{linkId}` shows. Drafts and scheduled charges before their day are 404.',
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter, linkIdParameter],
    responses: {
      200: {
        description: 'The charge as a one-item lookup',
        body: {
          schema: lookupResponseSchema,
          example: {
            merchant: { id: DEMO_MERCHANT, name: 'Tienda Demo S.A.S.' },
            asOf: '2026-11-21',
            payer: { maskedName: 'Va*******' },
            items: [priced],
            skipped: 0,
            duplicates: 0,
            linkedRef: EXTERNAL_REFERENCE,
          },
        },
      },
    },
    errors: { 404: ['unknown_merchant', 'not_found'], 500: ['internal_error'] },
  },
  {
    method: 'get',
    path: '/api/v1/merchants/{merchantId}/charges/{linkId}/qr.svg',
    operationId: 'chargeQrCode',
    summary: "The QR code (SVG) of an express `qr` charge's link",
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter, linkIdParameter],
    responses: {
      200: {
        description: 'An SVG image',
        body: {
          schema: { type: 'string' },
          example: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 33 33">…</svg>',
          contentType: 'image/svg+xml',
        },
      },
    },
    errors: { 404: ['unknown_merchant', 'not_found'], 500: ['internal_error'] },
  },
];
