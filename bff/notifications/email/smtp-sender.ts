import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { MerchantConfig, SmtpConfig } from '../../config/config-schema';
import type { ChannelSender, SendOutcome } from '../channel';
import { renderEmail } from './render-email';

/**
 * Email through SMTP with nodemailer (docs/decisions/0031). One pooled transport for the portal; each
 * message is rendered from its stored model when it is sent. The Message-ID is derived from the outbox key,
 * so if a crash between the SMTP answer and the commit makes the job send a message again, the copy carries
 * the same Message-ID and mail clients show it once.
 */
export function createSmtpSender(
  smtp: SmtpConfig,
  options: { timeoutMs?: number } = {},
): ChannelSender & {
  close(): void;
} {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure ?? smtp.port === 465,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Never log message contents or addresses (nodemailer's own logger stays off).
    logger: false,
  });
  const fromDomain = smtp.from.split('@')[1] ?? 'saldo.local';

  return {
    available: () => true,
    async send(notification, message, merchant: MerchantConfig): Promise<SendOutcome> {
      const rendered = await renderEmail(message);
      const keyHash = createHash('sha256')
        .update(`${notification.merchantId}\0${notification.dedupeKey}`)
        .digest('hex')
        .slice(0, 32);
      try {
        const info = await transport.sendMail({
          from: { name: merchant.name, address: merchant.email.from ?? smtp.from },
          ...(merchant.email.replyTo ? { replyTo: merchant.email.replyTo } : {}),
          to: notification.recipient,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          messageId: `<${keyHash}@${fromDomain}>`,
          headers: { 'X-Saldo-Kind': notification.kind },
        });
        return { ok: true, providerId: info.messageId ?? null };
      } catch (error) {
        return classify(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** 5xx SMTP answers are permanent (no such mailbox, refused); 4xx and connection problems are retried. */
export function classify(error: unknown): SendOutcome & { ok: false } {
  const e = error as { responseCode?: number; code?: string; name?: string };
  if (typeof e.responseCode === 'number') {
    return { ok: false, permanent: e.responseCode >= 500, error: `smtp_${e.responseCode}` };
  }
  // An address nodemailer cannot even put on the envelope is as final as a 550.
  if (e.code === 'EENVELOPE') return { ok: false, permanent: true, error: 'smtp_invalid_envelope' };
  return { ok: false, permanent: false, error: `smtp_${(e.code ?? e.name ?? 'error').toLowerCase()}` };
}
