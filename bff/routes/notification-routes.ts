import { Hono } from 'hono';
import { z } from 'zod';
import { E164, statementRequestSchema, type NotificationView } from '../../shared/api/notification-schemas';
import { normalizeIdNumber } from '../../shared/id-number';
import type { AppDeps } from '../app-deps';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { merchantFromPath, type MerchantEnv } from '../http/merchant';
import { merchantAuth } from '../http/merchant-auth';
import { validJson } from '../http/valid-json';
import { queueStatement } from '../notifications/statement-service';
import type { NotificationRecord } from '../store/notification-records';
import { requestLog, withRequestLog } from '../observability/request-log';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,255}$/;
const email = z.string().trim().max(255).pipe(z.email());

/** Enough of an address for the merchant to recognise it, not to read it: "pa***@example.co", "5731*****333". */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient.slice(0, Math.min(2, at))}***${recipient.slice(at)}`;
  return recipient.length > 7
    ? `${recipient.slice(0, 4)}${'*'.repeat(recipient.length - 7)}${recipient.slice(-3)}`
    : '***';
}

export function notificationView(n: NotificationRecord): NotificationView {
  const open = n.status === 'queued' || n.status === 'held';
  return {
    id: n.id,
    kind: n.kind,
    channel: n.channel,
    status: n.status,
    chargeId: n.chargeId,
    recipient: maskRecipient(n.recipient),
    holdReason: open ? n.holdReason : null,
    holdDetail: open ? n.holdDetail : null,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: n.createdAt.toISOString(),
    nextAttemptAt: open ? n.nextAttemptAt.toISOString() : null,
    sentAt: n.sentAt?.toISOString() ?? null,
  };
}

/**
 * docs/spec/notifications.md "API": `POST /api/v1/merchants/{id}/statements` (Bearer apiToken) queues a
 * statement for one payer; `GET /v1/merchant/notifications?charge=` lists the merchant's messages and why
 * held ones wait.
 */
export function statementRoutes(deps: AppDeps) {
  return new Hono<MerchantEnv>().post(
    '/merchants/:merchantId/statements',
    limitBody(BODY_LIMITS.small),
    merchantFromPath(deps.merchants),
    merchantAuth(deps),
    validJson(statementRequestSchema),
    async (c) => {
      const merchant = c.var.merchant;
      const body = c.req.valid('json');
      const key = c.req.header('Idempotency-Key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        return apiError(
          c,
          400,
          'invalid_request',
          'The Idempotency-Key must be 8–255 of A-Z a-z 0-9 _ . : -',
        );
      }
      const id = normalizeIdNumber(body.idNumber);
      if (!id.ok) return apiError(c, 400, 'invalid_id_number');
      let recipient: string;
      if (body.channel === 'email') {
        const parsed = email.safeParse(body.email ?? '');
        if (!parsed.success) return apiError(c, 400, 'invalid_email');
        recipient = parsed.data;
      } else {
        if (!body.phone || !E164.test(body.phone)) return apiError(c, 400, 'invalid_phone');
        recipient = body.phone.replace(/^\+/, '');
      }
      const notifications = deps.notifications;
      if (!notifications?.available(merchant, body.channel, 'statement')) {
        return apiError(c, 422, 'channel_not_configured');
      }
      const outcome = await queueStatement(
        { ...withRequestLog(c, deps), publicUrl: deps.config.publicUrl, payerKeys: notifications.payerKeys },
        merchant,
        { idNumber: id.idNumber, channel: body.channel, recipient, ...(key ? { idempotencyKey: key } : {}) },
        deps.clock.now(),
      );
      if (!outcome.ok) return apiError(c, outcome.status, outcome.code);
      notifications.kick();
      const stored = await deps.store.getNotification(merchant.id, outcome.notification.id);
      requestLog(c, deps.logger).info(
        {
          merchant: merchant.id,
          notification: outcome.notification.id,
          channel: body.channel,
          items: outcome.items,
        },
        'statement queued',
      );
      return c.json(
        {
          notification: notificationView(stored!),
          created: outcome.notification.created,
          items: outcome.items,
          payable: outcome.payable,
        },
        outcome.notification.created ? 202 : 200,
      );
    },
  );
}

const listQuery = z.object({
  charge: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function merchantNotificationRoutes(deps: AppDeps) {
  return new Hono<MerchantEnv>().get('/v1/merchant/notifications', merchantAuth(deps), async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return apiError(c, 400, 'invalid_request', 'Query: charge (text), limit (1–200).');
    const list = await deps.store.listNotifications(c.var.merchant.id, {
      ...(query.data.charge === undefined ? {} : { chargeId: query.data.charge }),
      limit: query.data.limit,
    });
    return c.json({ notifications: list.map(notificationView) }, 200);
  });
}
