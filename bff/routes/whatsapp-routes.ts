import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { notificationFailedMessages } from '../notifications/failed-event';
import { hubSignatureValid } from '../notifications/whatsapp/webhook-signature';
import { requestLog } from '../observability/request-log';

/**
 * WhatsApp delivery statuses (docs/spec/notifications.md "WhatsApp"): `GET /whatsapp/{merchant}/webhook`
 * answers Meta's verification handshake; `POST` carries status changes, accepted only with a valid
 * `X-Hub-Signature-256` over the raw body. A status moves a message forward (sent → delivered → read); a
 * `failed` one fails it and writes the merchant's `notification.failed`. Unknown message ids are ignored
 * (answered 200, so Meta does not retry them for days).
 */
const statusSchema = z.object({
  id: z.string().min(1).max(256),
  status: z.string(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
});

const payloadSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          value: z.object({ statuses: z.array(statusSchema).optional() }).passthrough(),
        }),
      ),
    }),
  ),
});

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

const same = (a: string, b: string) => {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
};

export function whatsappRoutes(deps: AppDeps) {
  return new Hono()
    .get('/:merchantId/webhook', (c) => {
      const wa = deps.merchants.get(c.req.param('merchantId'))?.whatsapp;
      if (!wa) return apiError(c, 404, 'unknown_merchant');
      const mode = c.req.query('hub.mode');
      const token = c.req.query('hub.verify_token') ?? '';
      const challenge = c.req.query('hub.challenge') ?? '';
      if (mode !== 'subscribe' || !same(token, wa.verifyToken) || !/^[\w-]{1,256}$/.test(challenge)) {
        return c.text('Forbidden', 403);
      }
      return c.text(challenge, 200);
    })
    .post('/:merchantId/webhook', limitBody(BODY_LIMITS.merchantApi), async (c) => {
      const merchant = deps.merchants.get(c.req.param('merchantId'));
      const wa = merchant?.whatsapp;
      if (!merchant || !wa) return apiError(c, 404, 'unknown_merchant');
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!hubSignatureValid(wa.appSecret, raw, c.req.header('X-Hub-Signature-256'))) {
        requestLog(c, deps.logger).warn({ merchant: merchant.id }, 'whatsapp webhook refused: bad signature');
        return apiError(c, 401, 'invalid_signature');
      }
      let payload: z.infer<typeof payloadSchema>;
      try {
        payload = payloadSchema.parse(JSON.parse(new TextDecoder().decode(raw)));
      } catch {
        return apiError(c, 400, 'invalid_request', 'Not a WhatsApp webhook payload.');
      }
      const now = deps.clock.now();
      let failed = 0;
      for (const entry of payload.entry) {
        for (const change of entry.changes) {
          for (const s of change.value.statuses ?? []) {
            if (!STATUSES.has(s.status)) continue;
            const error = s.errors?.[0];
            const updated = await deps.store.applyNotificationStatus(
              merchant.id,
              s.id,
              s.status as 'sent' | 'delivered' | 'read' | 'failed',
              error ? `whatsapp_${error.code ?? 'error'}${error.title ? `: ${error.title}` : ''}` : null,
              now,
              (n) => notificationFailedMessages(merchant, n, now),
            );
            if (updated?.status === 'failed' && s.status === 'failed') failed++;
          }
        }
      }
      if (failed > 0) deps.onOutboxWritten();
      return c.text('OK', 200);
    });
}
