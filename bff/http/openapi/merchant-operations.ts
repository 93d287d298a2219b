import { linkRequestSchema, linkResponseSchema } from '../../../shared/api/schemas';
import { DEMO_ID_NUMBER, linkExample } from './examples';
import type { ApiOperation } from './operation';
import { merchantIdParameter } from './payer-operations';

/** What the merchant's own systems call, with its apiToken (Bearer or x-auth-token). */
export const merchantOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/links',
    operationId: 'createStatementLink',
    summary: 'A sealed, expiring statement link for one payer',
    description:
      "Opening the link lists the payer's items at once (the linked item highlighted). The token shows " +
      'nothing of what it carries; the link is a credential for that statement, so send it to the payer only.',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [merchantIdParameter],
    request: {
      schema: linkRequestSchema,
      example: { idNumber: DEMO_ID_NUMBER, ref: '7654321', expiresInDays: 30 },
    },
    responses: {
      201: { description: 'The link', body: { schema: linkResponseSchema, example: linkExample } },
    },
    errors: {
      400: ['invalid_request', 'invalid_id_number'],
      401: ['unauthorized'],
      404: ['unknown_merchant'],
      413: ['payload_too_large'],
      429: ['rate_limited'],
      500: ['internal_error'],
    },
  },
];
