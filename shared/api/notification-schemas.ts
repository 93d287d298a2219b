import { z } from 'zod';

/** The notification API (docs/spec/notifications.md "API"), shared by the BFF's validation and the OpenAPI document. */

export const NOTIFICATION_CHANNELS = ['email', 'whatsapp'] as const;
export const NOTIFICATION_KINDS = ['statement', 'charge', 'reminder', 'receipt', 'return'] as const;
export const NOTIFICATION_STATUSES = ['queued', 'held', 'sent', 'delivered', 'read', 'failed'] as const;

/** E.164 without the plus, as Meta's Cloud API and seed 002 write it (`573112223333`); a leading + is accepted. */
export const E164 = /^\+?[1-9]\d{7,14}$/;

export const statementRequestSchema = z
  .object({
    idNumber: z.string().max(64),
    channel: z.enum(NOTIFICATION_CHANNELS),
    email: z.string().max(255).optional(),
    phone: z.string().max(32).optional(),
  })
  .strict();
export type StatementRequestBody = z.infer<typeof statementRequestSchema>;

export const notificationViewSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  channel: z.enum(NOTIFICATION_CHANNELS),
  status: z.enum(NOTIFICATION_STATUSES),
  chargeId: z.string().nullable(),
  /** Masked: enough for the merchant to recognise it, not to read it. */
  recipient: z.string(),
  /** Why a held message waits (outside_hours, sunday, holiday, daily_limit, weekly_channel). */
  holdReason: z.string().nullable(),
  holdDetail: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;

export const statementResponseSchema = z.object({
  notification: notificationViewSchema,
  /** False when this Idempotency-Key queued the statement before: nothing new was queued. */
  created: z.boolean(),
  items: z.number().int(),
  payable: z.number().int(),
});

export const notificationListSchema = z.object({ notifications: z.array(notificationViewSchema) });
