import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { hubSignature } from './webhook-signature';

/**
 * A local stand-in for Meta's WhatsApp Cloud API, for the embedded demo (`/demo/whatsapp` shows what was
 * "sent") and the tests: the same `POST /{version}/{phone-number-id}/messages` path, Bearer token, template
 * body and answers (`{ messages: [{ id: "wamid…" }] }`, or Meta's error object), then status webhooks back
 * to the portal signed with the app secret (`X-Hub-Signature-256`): sent, delivered, read — or failed with
 * 131026 "Message undeliverable" for numbers ending in 0000, as Meta reports an unreachable number after
 * accepting the request. An unknown template is refused at once with 132001, like Meta.
 */
export interface SimulatedNumber {
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  /** Where status webhooks go: the portal's `/whatsapp/{merchant}/webhook`. */
  readonly webhookUrl: string;
  /** Approved template names. */
  readonly templates: readonly string[];
}

export interface SimulatedMessage {
  readonly id: string;
  readonly phoneNumberId: string;
  readonly to: string;
  readonly template: string;
  readonly language: string;
  readonly parameters: readonly string[];
  readonly buttonSuffix: string | null;
  readonly receivedAt: Date;
  readonly statuses: string[];
}

export interface WhatsappSimulatorOptions {
  readonly basePath: string;
  readonly numbers: (phoneNumberId: string) => SimulatedNumber | undefined;
  /** Delivers a status webhook (in process in the demo and tests). */
  readonly deliver: (req: Request) => Promise<Response>;
  readonly keep?: number;
}

interface TemplateBody {
  messaging_product?: unknown;
  to?: unknown;
  type?: unknown;
  template?: {
    name?: unknown;
    language?: { code?: unknown };
    components?: { type?: string; parameters?: { text?: unknown }[] }[];
  };
}

const metaError = (code: number, message: string) => ({
  error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(8).toString('hex') },
});

export function createWhatsappSimulator(options: WhatsappSimulatorOptions) {
  const keep = options.keep ?? 200;
  const messages: SimulatedMessage[] = [];
  const pending = new Set<Promise<void>>();

  async function sendStatus(n: SimulatedNumber, m: SimulatedMessage, status: string): Promise<void> {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'SIMULATED_WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000000', phone_number_id: n.phoneNumberId },
                statuses: [
                  {
                    id: m.id,
                    status,
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    recipient_id: m.to,
                    ...(status === 'failed'
                      ? { errors: [{ code: 131026, title: 'Message undeliverable' }] }
                      : {}),
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const res = await options.deliver(
      new Request(n.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': hubSignature(n.appSecret, body),
        },
        body,
      }),
    );
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) m.statuses.push(status);
  }

  function track(work: Promise<void>): void {
    const p = work.catch(() => undefined).finally(() => pending.delete(p));
    pending.add(p);
  }

  const app = new Hono()
    .post(`${options.basePath}/:version/:phoneNumberId/messages`, async (c) => {
      const n = options.numbers(c.req.param('phoneNumberId'));
      if (!n) return c.json(metaError(100, 'Unsupported post request. Object does not exist'), 400);
      if (c.req.header('authorization') !== `Bearer ${n.accessToken}`) {
        return c.json(metaError(190, 'Invalid OAuth access token.'), 401);
      }
      const body = (await c.req.json().catch(() => null)) as TemplateBody | null;
      const to = typeof body?.to === 'string' ? body.to : '';
      if (body?.messaging_product !== 'whatsapp' || body.type !== 'template' || !/^[1-9]\d{7,14}$/.test(to)) {
        return c.json(metaError(100, 'Invalid parameter'), 400);
      }
      const name = typeof body.template?.name === 'string' ? body.template.name : '';
      if (!n.templates.includes(name)) {
        return c.json(metaError(132001, 'Template name does not exist in the translation'), 404);
      }
      const components = body.template?.components ?? [];
      const texts = (type: string) =>
        components
          .filter((x) => x.type === type)
          .flatMap((x) => x.parameters ?? [])
          .map((p) => String(p.text ?? ''));
      const message: SimulatedMessage = {
        id: `wamid.${randomBytes(18).toString('base64url')}`,
        phoneNumberId: n.phoneNumberId,
        to,
        template: name,
        language: String(body.template?.language?.code ?? ''),
        parameters: texts('body'),
        buttonSuffix: texts('button')[0] ?? null,
        receivedAt: new Date(),
        statuses: [],
      };
      messages.push(message);
      if (messages.length > keep) messages.shift();
      // After the answer, like Meta: the statuses arrive on the webhook, in order.
      track(
        (async () => {
          await new Promise((resolve) => setImmediate(resolve));
          await sendStatus(n, message, 'sent');
          if (to.endsWith('0000')) {
            await sendStatus(n, message, 'failed');
            return;
          }
          await sendStatus(n, message, 'delivered');
          await sendStatus(n, message, 'read');
        })(),
      );
      return c.json(
        {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: message.id }],
        },
        200,
      );
    })
    .get(`${options.basePath}/messages.json`, (c) => c.json({ messages }, 200));

  return {
    app,
    messages: messages as readonly SimulatedMessage[],
    /** Resolves when every status webhook started so far has been delivered. */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export type WhatsappSimulator = ReturnType<typeof createWhatsappSimulator>;

/** The demo's page of what the simulator "sent", newest first. */
export function whatsappDemoPage(messages: readonly SimulatedMessage[]) {
  const rows = [...messages].reverse();
  return html`<!doctype html>
    <html lang="es">
      <head>
        <meta charset="utf-8" />
        <title>WhatsApp (simulador) — Saldo demo</title>
      </head>
      <body>
        <h1>WhatsApp Cloud API (simulador local)</h1>
        <p>${rows.length} mensajes. Los números que terminan en 0000 reciben el estado «failed» (131026).</p>
        <table border="1" cellpadding="6">
          <thead>
            <tr>
              <th>Recibido</th>
              <th>Para</th>
              <th>Plantilla</th>
              <th>Parámetros</th>
              <th>Botón</th>
              <th>Estados</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (m) =>
                html`<tr>
                  <td>${m.receivedAt.toISOString()}</td>
                  <td>${m.to}</td>
                  <td>${m.template} (${m.language})</td>
                  <td>${m.parameters.join(' | ')}</td>
                  <td>${m.buttonSuffix ?? ''}</td>
                  <td>${m.statuses.join(' → ')}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </body>
    </html>`;
}
