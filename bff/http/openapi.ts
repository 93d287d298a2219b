import { z } from 'zod';
import {
  checkoutRequestSchema,
  checkoutResponseSchema,
  errorBodySchema,
  linkRequestSchema,
  linkResponseSchema,
  lookupRequestSchema,
  lookupResponseSchema,
  paymentResponseSchema,
} from '../../shared/api/schemas';

/**
 * The OpenAPI 3.1 document of the portal's API, generated from the same zod schemas the routes validate
 * with (zod 4's own JSON Schema output: no extra dependency), so the document cannot drift from the code.
 */
function schema(s: z.ZodType, io: 'input' | 'output' = 'output') {
  return z.toJSONSchema(s, { io, unrepresentable: 'any' });
}

function errors(...codes: [number, string][]) {
  return Object.fromEntries(
    codes.map(([status, description]) => [
      String(status),
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
}

const merchantParam = {
  name: 'merchantId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9-]{2,40}$' },
};

export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Saldo payment portal API',
      version: '1.0.0',
      description:
        'Lookup of pending Recauda ERP charges, PayU WebCheckout, statement links. Amounts are decimal strings with exactly the currency precision.',
    },
    servers: [{ url: publicUrl }],
    components: {
      schemas: { Error: schema(errorBodySchema) },
      securitySchemes: { merchantToken: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      '/api/v1/merchants/{merchantId}/lookup': {
        post: {
          summary: "A payer's pending items priced for today",
          parameters: [merchantParam],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(lookupRequestSchema, 'input') } },
          },
          responses: {
            '200': {
              description: 'Items',
              content: { 'application/json': { schema: schema(lookupResponseSchema) } },
            },
            ...errors(
              [400, 'invalid_id_number | invalid_token'],
              [404, 'unknown_merchant'],
              [410, 'expired_token'],
              [429, 'rate_limited (Retry-After)'],
              [502, 'erp_unavailable | erp_bad_response'],
              [504, 'erp_timeout'],
            ),
          },
        },
      },
      '/api/v1/merchants/{merchantId}/checkout': {
        post: {
          summary: 'Creates a signed PayU WebCheckout form for one or more items of one currency',
          parameters: [
            merchantParam,
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 8, maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(checkoutRequestSchema, 'input') } },
          },
          responses: {
            '201': {
              description: 'The form to POST top-level',
              content: { 'application/json': { schema: schema(checkoutResponseSchema) } },
            },
            ...errors(
              [400, 'invalid_request | idempotency_key_required | invalid_id_number | invalid_token'],
              [404, 'unknown_merchant'],
              [409, 'payment_pending'],
              [410, 'expired_token'],
              [422, 'amount_out_of_range | unknown_item | mixed_currencies | idempotency_key_reused'],
              [429, 'rate_limited'],
              [502, 'erp_unavailable | erp_bad_response'],
              [504, 'erp_timeout'],
            ),
          },
        },
      },
      '/api/v1/merchants/{merchantId}/payments/{reference}': {
        get: {
          summary: 'The status of one payment',
          parameters: [
            merchantParam,
            { name: 'reference', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'Payment',
              content: { 'application/json': { schema: schema(paymentResponseSchema) } },
            },
            ...errors([404, 'unknown_merchant | not_found']),
          },
        },
      },
      '/api/v1/merchants/{merchantId}/links': {
        post: {
          summary: 'A signed, expiring statement link (merchant-authenticated)',
          security: [{ merchantToken: [] }],
          parameters: [merchantParam],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(linkRequestSchema, 'input') } },
          },
          responses: {
            '201': {
              description: 'Link',
              content: { 'application/json': { schema: schema(linkResponseSchema) } },
            },
            ...errors(
              [400, 'invalid_request | invalid_id_number'],
              [401, 'unauthorized'],
              [404, 'unknown_merchant'],
            ),
          },
        },
      },
      '/payu/{merchantId}/confirmation': {
        post: {
          summary: "PayU's confirmationUrl (application/x-www-form-urlencoded)",
          parameters: [merchantParam],
          responses: {
            '200': { description: 'Recorded (or already recorded)' },
            ...errors(
              [400, 'not a confirmation'],
              [401, 'invalid_signature'],
              [404, 'unknown reference'],
              [422, 'payment_mismatch'],
            ),
          },
        },
      },
      '/payu/{merchantId}/response': {
        get: {
          summary: "PayU's responseUrl: verifies and redirects to the result page",
          parameters: [merchantParam],
          responses: { '303': { description: 'To /{merchantId}/pay/result/{reference}' } },
        },
      },
      '/healthz': { get: { summary: 'Process is serving', responses: { '200': { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'Database answers',
          responses: { '200': { description: 'ok' }, '503': { description: 'database_unavailable' } },
        },
      },
    },
  };
}
