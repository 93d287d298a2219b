import { z } from 'zod';
import {
  notificationListSchema,
  statementRequestSchema,
  statementResponseSchema,
} from '../../../shared/api/notification-schemas';
import { DEMO_ID_NUMBER } from './examples';
import type { ApiOperation } from './operation';
import { merchantIdParameter } from './payer-operations';

/** Payer notifications (docs/spec/notifications.md "API"): statements by email or WhatsApp, and their status. */
const notificationExample = {
  id: '41',
  kind: 'statement' as const,
  channel: 'email' as const,
  status: 'held' as const,
  chargeId: null,
  recipient: 'pa***@example.co',
  holdReason: 'outside_hours',
  holdDetail:
    'outside the allowed hours (Mon–Fri 07:00–19:00, Sat 08:00–15:00); waits until 2026-11-28T13:00:00.000Z',
  attempts: 0,
  lastError: null,
  createdAt: '2026-11-28T02:00:00.000Z',
  nextAttemptAt: '2026-11-28T13:00:00.000Z',
  sentAt: null,
};

export const notificationOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/merchants/{merchantId}/statements',
    operationId: 'sendStatement',
    summary: "Send one payer's statement by email or WhatsApp",
    description:
      'Every pending item priced for today, each payable one with its own "Paga con PayU" statement link and ' +
      'the others with a disabled button and the reason. Queued at once and sent within the hours of Ley 2300 ' +
      'de 2023 (merchant time zone); while it waits, `holdReason` says why. An `Idempotency-Key` header makes ' +
      'retries send one statement.',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [
      merchantIdParameter,
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'The same key never queues a second statement (8–255 of A-Z a-z 0-9 _ . : -).',
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,255}$' },
        example: 'stmt-2026-11-27-0001',
      },
    ],
    request: {
      schema: statementRequestSchema,
      example: { idNumber: DEMO_ID_NUMBER, channel: 'email', email: 'pagador@example.co' },
    },
    responses: {
      200: {
        description: 'This Idempotency-Key queued the statement before: nothing new was queued',
        body: {
          schema: statementResponseSchema,
          example: { notification: notificationExample, created: false, items: 3, payable: 3 },
        },
      },
      202: {
        description: 'Queued',
        body: {
          schema: statementResponseSchema,
          example: { notification: notificationExample, created: true, items: 3, payable: 3 },
        },
      },
    },
    errors: {
      400: ['invalid_request', 'invalid_id_number', 'invalid_email', 'invalid_phone'],
      401: ['unauthorized'],
      404: ['unknown_merchant'],
      413: ['payload_too_large'],
      422: ['channel_not_configured', 'no_pending_items'],
      429: ['rate_limited'],
      500: ['internal_error'],
      502: ['erp_unavailable', 'erp_bad_response'],
      504: ['erp_timeout'],
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/notifications',
    operationId: 'listNotifications',
    summary: "The merchant's messages to payers, newest first",
    description:
      'Statements, charges, reminders and receipts with their status (queued, held, sent, delivered, read, ' +
      'failed), why a held one waits, and the last error of a failed one. Recipients are masked.',
    tag: 'Merchant',
    access: 'merchant',
    parameters: [
      {
        name: 'charge',
        in: 'query',
        required: false,
        description: 'Only the messages of this charge.',
        schema: z.toJSONSchema(z.string().min(1).max(128)) as Record<string, unknown>,
        example: 'C-77',
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        example: 50,
      },
    ],
    responses: {
      200: {
        description: 'The messages',
        body: { schema: notificationListSchema, example: { notifications: [notificationExample] } },
      },
    },
    errors: {
      400: ['invalid_request'],
      401: ['unauthorized'],
      429: ['rate_limited'],
      500: ['internal_error'],
    },
  },
];
