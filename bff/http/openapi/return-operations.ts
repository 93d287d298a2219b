import {
  bankDetailsRequestSchema,
  payerReturnResponseSchema,
  returnDetailSchema,
  returnListSchema,
  returnRequestSchema,
  returnResponseSchema,
  type ReturnView,
} from '../../../shared/api/return-schemas';
import { DEMO_REFERENCE } from './examples';
import type { ApiOperation, ApiParameter } from './operation';
import { merchantIdParameter } from './payer-operations';

/** Money back (docs/spec/money-back.md): returns for the merchant, bank details for the payer, PayU's notices. */
const returnExample: ReturnView = {
  id: 'RET-4m1Vq0bXkz1c',
  reference: DEMO_REFERENCE,
  state: 'pending',
  reason: 'merchant',
  note: 'Producto devuelto',
  amount: '20000',
  currency: 'COP',
  route: 'payout',
  items: [{ ref_payment: '7654321', amount: '20000' }],
  bankAccount: null,
  payout: null,
  failure: null,
  createdAt: '2026-11-27T15:04:05.000Z',
  updatedAt: '2026-11-27T15:04:05.000Z',
};

const idParameter: ApiParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The return id (`RET-…`).',
  schema: { type: 'string', maxLength: 64 },
  example: returnExample.id,
};

const tokenParameter: ApiParameter = {
  name: 'token',
  in: 'path',
  required: true,
  description:
    "The sealed token of the payer's bank-details link (`/{merchantId}/r/{token}`, valid 14 days).",
  schema: { type: 'string', maxLength: 8192 },
  example: 'q2V3h8…',
};

const decision = (
  action: 'approve' | 'reject' | 'retry' | 'cancel',
  operationId: string,
  summary: string,
  description: string,
  to: ReturnView['state'],
): ApiOperation => ({
  method: 'post',
  path: `/v1/merchant/returns/{id}/${action}`,
  operationId,
  summary,
  description,
  tag: 'Merchant',
  access: 'merchant',
  parameters: [idParameter],
  responses: {
    200: {
      description: 'The return after the change',
      body: { schema: returnResponseSchema, example: { return: { ...returnExample, state: to } } },
    },
  },
  errors: {
    401: ['unauthorized'],
    404: ['not_found'],
    409: action === 'cancel' ? ['payout_not_cancellable'] : ['invalid_state'],
    413: ['payload_too_large'],
    429: ['rate_limited'],
    500: ['internal_error'],
  },
});

export const returnOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/merchant/returns',
    operationId: 'createReturn',
    summary: 'Return money of an approved payment',
    description:
      '`type: pending` waits for `approve`, then goes back by card refund or payout; `type: success` records a ' +
      'return made outside the portal and sends nothing. Returns of one payment never add up to more than was ' +
      'approved. An optional `Idempotency-Key` makes a retry return the same return (200).',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: '1–255 visible ASCII characters; the same key returns the same return.',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
        example: 'ret-2026-11-27-0001',
      },
    ],
    request: {
      schema: returnRequestSchema,
      example: { reference: DEMO_REFERENCE, amount: '20000', reason: 'Producto devuelto', type: 'pending' },
    },
    responses: {
      201: {
        description: 'Created',
        body: { schema: returnResponseSchema, example: { return: returnExample } },
      },
      200: {
        description: 'The return created earlier with this Idempotency-Key',
        body: { schema: returnResponseSchema, example: { return: returnExample } },
      },
    },
    errors: {
      400: ['invalid_request'],
      401: ['unauthorized'],
      404: ['payment_not_found'],
      409: ['payment_not_approved', 'return_exceeds_payment'],
      413: ['payload_too_large'],
      422: ['invalid_request', 'invalid_amount'],
      429: ['rate_limited'],
      500: ['internal_error'],
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/returns',
    operationId: 'listReturns',
    summary: 'Returns, oldest id first, by state or payment, a page at a time',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [
      { name: 'state', in: 'query', required: false, schema: { type: 'string' }, example: 'pending' },
      {
        name: 'reference',
        in: 'query',
        required: false,
        schema: { type: 'string' },
        example: DEMO_REFERENCE,
      },
      {
        name: 'cursor',
        in: 'query',
        required: false,
        description: '`nextCursor` of the previous page.',
        schema: { type: 'string' },
        example: returnExample.id,
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100 },
        example: 50,
      },
    ],
    responses: {
      200: {
        description: 'One page',
        body: { schema: returnListSchema, example: { data: [returnExample], nextCursor: null } },
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
    path: '/v1/merchant/returns/{id}',
    operationId: 'getReturn',
    summary: 'One return with its audit trail (who, when, from where, what)',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [idParameter],
    responses: {
      200: {
        description: 'The return',
        body: {
          schema: returnDetailSchema,
          example: {
            return: returnExample,
            audit: [
              {
                at: returnExample.createdAt,
                actor: 'merchant',
                ip: '203.0.113.9',
                action: 'create',
                from: null,
                to: 'pending',
              },
            ],
          },
        },
      },
    },
    errors: { 401: ['unauthorized'], 404: ['not_found'], 429: ['rate_limited'], 500: ['internal_error'] },
  },
  decision(
    'approve',
    'approveReturn',
    'Approve a pending return',
    'The portal then sends it back by its route.',
    'approved',
  ),
  decision(
    'reject',
    'rejectReturn',
    'Reject a pending return',
    'Nothing is sent; it no longer counts.',
    'rejected',
  ),
  decision(
    'retry',
    'retryReturn',
    'Send a failed, cancelled or reviewed return again',
    "For `needs_review`, only after checking in PayU's module that the earlier payout was not created.",
    'approved',
  ),
  decision(
    'cancel',
    'cancelReturn',
    'Cancel a payout while PayU still allows it',
    'Allowed while the payout is at PayU (IN_PAYU_PROCESS or earlier) or still waiting for bank details.',
    'cancelled',
  ),
  {
    method: 'get',
    path: '/api/v1/merchants/{merchantId}/returns/{token}',
    operationId: 'getPayerReturn',
    summary: "What the payer's bank-details link shows: the return, masked account, expected arrival",
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter, tokenParameter],
    responses: {
      200: {
        description: 'The return as the payer sees it, and the banks PayU pays into',
        body: {
          schema: payerReturnResponseSchema,
          example: {
            return: {
              id: returnExample.id,
              state: 'awaiting_details',
              amount: '20000',
              currency: 'COP',
              route: 'payout',
              bankAccount: null,
              needsBankDetails: true,
              expectedArrival: null,
              linkExpiresAt: '2026-12-11T15:04:05.000Z',
            },
            merchant: { name: 'Comercio Demo' },
            banks: [{ code: '007', name: 'BANCOLOMBIA' }],
          },
        },
      },
    },
    errors: {
      400: ['invalid_token'],
      404: ['unknown_merchant'],
      410: ['expired_token'],
      500: ['internal_error'],
    },
  },
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/returns/{token}',
    operationId: 'giveBankDetails',
    summary: 'The payer gives the bank account the money goes back to',
    description:
      "Validated here (bank code, account type, NIT check digit, the payer's own document); stored encrypted, " +
      'shown back masked.',
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter, tokenParameter],
    request: {
      schema: bankDetailsRequestSchema,
      example: {
        fullName: 'Luz Cárdenas',
        documentType: 'CC',
        documentNumber: '52123456',
        bankCode: '007',
        accountType: 'CA',
        accountNumber: '2198922910000',
      },
    },
    responses: {
      200: {
        description: 'Stored; the payout follows',
        body: {
          schema: payerReturnResponseSchema,
          example: {
            return: {
              id: returnExample.id,
              state: 'awaiting_details',
              amount: '20000',
              currency: 'COP',
              route: 'payout',
              bankAccount: '****0000',
              needsBankDetails: false,
              expectedArrival: null,
              linkExpiresAt: '2026-12-11T15:04:05.000Z',
            },
          },
        },
      },
    },
    errors: {
      400: ['invalid_token', 'invalid_request'],
      404: ['unknown_merchant'],
      409: ['invalid_state'],
      410: ['expired_token'],
      413: ['payload_too_large'],
      422: ['invalid_bank_details', 'invalid_request'],
      500: ['internal_error'],
    },
  },
  {
    method: 'post',
    path: '/payu/{merchantId}/payouts/{secret}',
    operationId: 'receivePayuPayoutNotice',
    summary: "PayU Payouts' webhook: a payout changed state",
    description:
      'PayU does not sign these notices: the secret path segment (config `payouts.webhookSecret`) is the only ' +
      'proof, so each notice is a hint — deduplicated, never moving a return backwards. JSON or form bodies.',
    tag: 'PayU callbacks',
    access: 'payu',
    parameters: [
      merchantIdParameter,
      {
        name: 'secret',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        example: 'payout-hook-secret-0123456789abcdef',
      },
    ],
    request: {
      schema: { type: 'object', additionalProperties: true },
      example: {
        pushPaymentId: '7202a9a7-ef51-4202-bd23-e604f9cbb25b',
        state: 'CREATED',
        status: 'IN_BANKING_PROCESS',
        value: 20000,
        currency: 'COP',
      },
    },
    responses: {
      200: {
        description: 'Received',
        body: {
          schema: {
            type: 'object',
            properties: { received: { type: 'boolean' }, outcome: { type: 'string' } },
          },
          example: { received: true, outcome: 'applied' },
        },
      },
    },
    errors: {
      400: ['invalid_request'],
      404: ['unknown_merchant', 'not_found'],
      413: ['payload_too_large'],
      500: ['internal_error'],
    },
  },
];
