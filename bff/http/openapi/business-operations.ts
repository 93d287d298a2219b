import { allocateRequestSchema, allocateResponseSchema } from '../../../shared/api/schemas';
import { DEMO_ID_NUMBER } from './examples';
import type { ApiOperation } from './operation';
import { merchantIdParameter } from './payer-operations';

/** Business payments (docs/spec/business-payments.md): one amount spread over several items. */
export const businessOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/allocate',
    operationId: 'previewAllocation',
    summary: 'How one amount would be spread over the chosen items (a preview; nothing is held)',
    description:
      'Priced from a fresh ERP answer like a lookup, and limited like one. The oldest items are paid first; ' +
      'an amount that cannot be spread is 422 `amount_not_allocatable` with the nearest amounts that can ' +
      '(`error.lower`, `error.upper`). A checkout with the same refs and amount spreads it the same way.',
    tag: 'Payer',
    access: 'public',
    parameters: [merchantIdParameter],
    request: {
      schema: allocateRequestSchema,
      example: { idNumber: DEMO_ID_NUMBER, refs: ['1234567', '7654322'], amount: '45000' },
    },
    responses: {
      200: {
        description: 'The amount of each item',
        body: {
          schema: allocateResponseSchema,
          example: {
            currency: 'COP',
            total: '45000',
            allocations: [
              { ref: '1234567', amount: '25000' },
              { ref: '7654322', amount: '20000' },
            ],
          },
        },
      },
    },
    errors: {
      400: ['invalid_request', 'invalid_id_number', 'invalid_token'],
      404: ['unknown_merchant'],
      409: ['payment_pending'],
      410: ['expired_token'],
      413: ['payload_too_large'],
      422: ['invalid_request', 'amount_not_allocatable', 'unknown_item', 'mixed_currencies'],
      429: ['rate_limited'],
      500: ['internal_error'],
      502: ['erp_unavailable', 'erp_bad_response'],
      504: ['erp_timeout'],
    },
  },
];
