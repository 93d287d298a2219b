import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Webhook } from 'standardwebhooks';
import type { IsoDate } from '../../shared/dates';
import { demoPayload } from './demo-payers';

export { DEMO_PAYERS, type DemoPayer } from './demo-payers';

/**
 * A stand-in for a merchant's Recauda ERP (seed 003), for `npm start` and the end-to-end tests: the same
 * `GET /get-recaudas?id_number=…` contract, plus a small webhook receiver so the demo's `result_urls.webhook`
 * lands somewhere visible. Mountable anywhere (`app.route('/demo/erp', createDemoErp(…))`) or served alone.
 */

export interface DemoErpOptions {
  /** The merchant's calendar date; every seeded date is relative to it. */
  readonly today: () => IsoDate;
  readonly now?: () => Date;
  /**
   * Absolute URL put in `result_urls.webhook`. By default, this app's own `/webhooks`, derived from the
   * request URL so it works wherever the app is mounted.
   */
  readonly webhookUrl?: string;
  /** The merchant's `whsec_…` secret: when given, received events are marked as signature valid or not. */
  readonly webhookSecret?: string;
  /** How many received webhook events are kept. Default 50. */
  readonly keepEvents?: number;
}

export interface ReceivedWebhook {
  readonly receivedAt: string;
  readonly webhookId: string | null;
  readonly webhookTimestamp: string | null;
  readonly signature: 'valid' | 'invalid' | 'unchecked';
  /** Parsed JSON when the body was JSON, else the text. */
  readonly body: unknown;
}

const MAX_WEBHOOK_BYTES = 256 * 1024;

export function createDemoErp(options: DemoErpOptions) {
  const now = options.now ?? (() => new Date());
  const keep = options.keepEvents ?? 50;
  const verifier = options.webhookSecret ? new Webhook(options.webhookSecret) : null;
  const events: ReceivedWebhook[] = [];

  return new Hono()
    .get('/get-recaudas', (c) => {
      const idNumber = c.req.query('id_number')?.trim();
      if (!idNumber) {
        return c.json({ error: { code: 'missing_id_number', message: 'id_number is required' } }, 400);
      }
      const webhookUrl = options.webhookUrl ?? ownWebhookUrl(c.req.url);
      c.header('Cache-Control', 'no-store');
      return c.json(demoPayload(idNumber, { today: options.today(), webhookUrl }) as object, 200);
    })
    .post(
      '/webhooks',
      bodyLimit({
        maxSize: MAX_WEBHOOK_BYTES,
        onError: (c) => c.json({ error: { code: 'payload_too_large', message: 'body too large' } }, 413),
      }),
      async (c) => {
        const text = await c.req.text();
        const webhookId = c.req.header('webhook-id') ?? null;
        const webhookTimestamp = c.req.header('webhook-timestamp') ?? null;
        let signature: ReceivedWebhook['signature'] = 'unchecked';
        if (verifier) {
          try {
            verifier.verify(
              text,
              {
                'webhook-id': webhookId ?? '',
                'webhook-timestamp': webhookTimestamp ?? '',
                'webhook-signature': c.req.header('webhook-signature') ?? '',
              },
              // Checked as bytes: a body that is not JSON is still a body whose signature we can judge.
              { jsonParse: false },
            );
            signature = 'valid';
          } catch {
            signature = 'invalid';
          }
        }
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Kept as text: the receiver shows what arrived, whatever it was.
        }
        events.unshift({ receivedAt: now().toISOString(), webhookId, webhookTimestamp, signature, body });
        events.length = Math.min(events.length, keep);
        // A real receiver would refuse a bad signature; the demo records it so the mismatch is visible.
        return c.json({ received: true }, 200);
      },
    )
    .get('/webhooks/recent', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ events }, 200);
    });
}

export type DemoErpApp = ReturnType<typeof createDemoErp>;

function ownWebhookUrl(requestUrl: string): string {
  const url = new URL(requestUrl);
  return `${url.origin}${url.pathname.replace(/\/get-recaudas\/?$/, '')}/webhooks`;
}
