import { Hono } from 'hono';
import { html } from 'hono/html';
import type { CaptureServer } from '../notifications/email/capture-server';
import { whatsappDemoPage, type WhatsappSimulator } from '../notifications/whatsapp/simulator';

/**
 * The embedded demo's view of what the portal sent: `/demo/mail` (the local SMTP capture server's mailbox,
 * each message rendered as it arrived) and `/demo/whatsapp` (the Cloud API simulator's log). Demo only:
 * these pages show addresses, which the product never logs.
 */
const EMAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'";

export function notificationDemo(options: {
  mail: CaptureServer | null;
  whatsapp: WhatsappSimulator | null;
}) {
  const app = new Hono();
  const mail = options.mail;
  if (mail) {
    app.get('/demo/mail', (c) => {
      const rows = [...mail.messages].reverse();
      return c.html(
        html`<!doctype html>
          <html lang="es">
            <head>
              <meta charset="utf-8" />
              <title>Correo capturado — Saldo demo</title>
            </head>
            <body>
              <h1>Correo capturado (servidor SMTP local, puerto ${mail.port})</h1>
              <p>${rows.length} mensajes. Las direcciones en @bounce.invalid se rechazan con 550.</p>
              <table border="1" cellpadding="6">
                <thead>
                  <tr>
                    <th>Recibido</th>
                    <th>Para</th>
                    <th>Asunto</th>
                    <th>Ver</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (m) =>
                      html`<tr>
                        <td>${m.receivedAt.toISOString()}</td>
                        <td>${m.to}</td>
                        <td>${m.subject}</td>
                        <td>
                          <a href="/demo/mail/${m.id}">HTML</a> · <a href="/demo/mail/${m.id}/text">texto</a>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </body>
          </html>`,
      );
    });
    app.get('/demo/mail/messages.json', (c) =>
      c.json(
        {
          messages: mail.messages.map((m) => ({
            id: m.id,
            receivedAt: m.receivedAt.toISOString(),
            to: m.to,
            subject: m.subject,
            messageId: m.messageId,
          })),
        },
        200,
      ),
    );
    app.get('/demo/mail/:id{[0-9]+}', (c) => {
      const m = mail.messages.find((x) => x.id === Number(c.req.param('id')));
      if (!m) return c.text('Not found', 404);
      // The message exactly as it arrived; its own CSP lets its inline styles apply and nothing else.
      return c.body(m.html, 200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': EMAIL_CSP,
      });
    });
    app.get('/demo/mail/:id{[0-9]+}/text', (c) => {
      const m = mail.messages.find((x) => x.id === Number(c.req.param('id')));
      if (!m) return c.text('Not found', 404);
      return c.text(m.text, 200);
    });
  }
  const wa = options.whatsapp;
  if (wa) {
    app.get('/demo/whatsapp', (c) => c.html(whatsappDemoPage(wa.messages)));
    app.get('/demo/whatsapp/messages.json', (c) => c.json({ messages: wa.messages }, 200));
  }
  return app;
}
