import { z } from 'zod';
import type { ChannelSender, SendOutcome } from '../channel';
import { templateFor, templateSend } from './template-message';

/**
 * WhatsApp through Meta's Cloud API: `POST {apiUrl}/{version}/{phoneNumberId}/messages` with a template
 * message and the merchant's access token. A 200 carries the message id (`wamid…`) that the status webhooks
 * name later. Errors: 429, 5xx and Meta's throttling / temporary codes are retried; any other 4xx (invalid
 * number, unknown or rejected template, bad parameters, expired token) is permanent and fails the message.
 */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

const okSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const errorSchema = z.object({ error: z.object({ code: z.number().int(), message: z.string().optional() }) });

export function createWhatsappSender(
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): ChannelSender {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    available: (merchant, kind) =>
      merchant.whatsapp !== undefined && templateFor(merchant.whatsapp, kind) !== null,
    async send(notification, message, merchant): Promise<SendOutcome> {
      const wa = merchant.whatsapp;
      if (!wa) return { ok: false, permanent: true, error: 'whatsapp_not_configured' };
      const body = templateSend(wa, notification.recipient, message);
      if (!body) return { ok: false, permanent: true, error: 'whatsapp_template_missing' };
      const url = `${wa.apiUrl.replace(/\/+$/, '')}/${wa.apiVersion}/${wa.phoneNumberId}/messages`;
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: { authorization: `Bearer ${wa.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch (err) {
        return {
          ok: false,
          permanent: false,
          error: (err as Error).name === 'TimeoutError' ? 'whatsapp_timeout' : 'whatsapp_connection_error',
        };
      }
      const json: unknown = await res.json().catch(() => null);
      if (res.ok) {
        const parsed = okSchema.safeParse(json);
        if (!parsed.success) return { ok: false, permanent: false, error: 'whatsapp_bad_response' };
        return { ok: true, providerId: parsed.data.messages[0]!.id };
      }
      const code = errorSchema.safeParse(json).data?.error.code;
      const transient =
        res.status === 429 || res.status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code));
      return {
        ok: false,
        permanent: !transient,
        error: `whatsapp_${res.status}${code === undefined ? '' : `_${code}`}`,
      };
    },
  };
}
