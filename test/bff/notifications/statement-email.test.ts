import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { demoPayload } from '../../../bff/demo/demo-payers';
import { startCaptureServer, type CaptureServer } from '../../../bff/notifications/email/capture-server';
import { createNotifications, type Notifications } from '../../../bff/notifications/create-notifications';
import { paymentNotifications } from '../../../bff/notifications/receipt';
import { fakeDeps, fakeErp, testConfig, type FakeDeps } from '../../support/fake-deps';

const TOKEN = 'acme-api-token-0123456789';
const ID = '1098765432';
const FULL_NAME = 'Sebastián Torres Vargas';
/** Friday 27 November 2026, 10:00 in Bogotá. */
const FRIDAY_10 = new Date('2026-11-27T15:00:00Z');

let mailbox: CaptureServer;
let deps: FakeDeps;
let notifications: Notifications;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  mailbox = await startCaptureServer();
  const config = testConfig({
    root: { smtp: { host: '127.0.0.1', port: mailbox.port, secure: false, from: 'pagos@saldo.test' } },
    merchant: { branding: { color: '#aa3300' }, email: { replyTo: 'cartera@acme.test' } },
  });
  const erp = fakeErp({
    [ID]: demoPayload(ID, { today: '2026-11-27', webhookUrl: 'http://127.0.0.1:9/hook' }),
  });
  deps = await fakeDeps({ config, erp: erp.port, now: FRIDAY_10 });
  notifications = createNotifications({
    config,
    store: deps.store,
    merchants: deps.merchants,
    logger: deps.logger,
    onOutboxWritten: deps.onOutboxWritten,
    job: { now: () => deps.clock.now() },
  });
  app = createApp({ ...deps, notifications: notifications.port });
});

afterEach(async () => {
  await notifications.close();
  await mailbox.close();
  await deps.store.close();
});

function sendStatement(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.request('/api/v1/merchants/acme/statements', {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const RECEIPT_TOKEN = 'rT0k3n_receipt-page-token-of-43-chars-xxxxx';
const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => m[1]!);

describe('statement by email, through real SMTP', () => {
  test('the statement arrives with one working "Paga con PayU" link per payable item and none for the item under the minimum', async () => {
    const res = await sendStatement({
      idNumber: '1.098.765.432',
      channel: 'email',
      email: 'sebas@example.co',
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      notification: { id: string; status: string };
      items: number;
      payable: number;
    };
    expect(body).toMatchObject({ items: 2, payable: 1, notification: { status: 'queued' } });

    await notifications.job.drain();
    const [mail] = await mailbox.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['sebas@example.co']);
    expect(mail!.subject).toBe('Tu estado de cuenta con ACME S.A.S.');
    expect(mail!.from).toContain('pagos@saldo.test');
    expect(
      String(mail!.headers.get('reply-to') && (mail!.headers.get('reply-to') as { text: string }).text),
    ).toBe('cartera@acme.test');
    expect(mail!.html).toContain('background-color:#aa3300');

    // The grey button: the label is there twice (one per item) but only one of them is a link.
    const labels = mail!.html.match(/Paga con PayU/g) ?? [];
    expect(labels).toHaveLength(2);
    const payLinks = hrefs(mail!.html).filter((h) => h.includes('/acme/s/'));
    // One per payable item, plus "Ver todos mis pagos".
    expect(payLinks).toHaveLength(2);
    expect(mail!.text).toContain('Paga con PayU — El saldo es menor que el pago mínimo de');

    // Every link opens the payer's statement in the real app; the item link highlights its item.
    const lookups = await Promise.all(
      payLinks.map(async (href) => {
        const token = new URL(href).pathname.split('/').pop()!;
        const r = await app.request('/api/v1/merchants/acme/lookup', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        expect(r.status).toBe(200);
        return (await r.json()) as {
          items: { ref: string; payable: boolean }[];
          highlightRef?: string | null;
        };
      }),
    );
    for (const l of lookups) expect(l.items.map((i) => i.ref).sort()).toEqual(['ACU-55102', 'ACU-55103']);

    // No id number (in any spelling) and no full name anywhere in what was sent.
    const everything = [mail!.subject, mail!.html, mail!.text, JSON.stringify([...mail!.headers])].join('\n');
    for (const secret of [ID, '1.098.765.432', FULL_NAME, 'Torres Vargas', 'Sebastián']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('Se******* To**** Va****');

    const list = await app.request('/v1/merchant/notifications', { headers: { 'x-auth-token': TOKEN } });
    const listed = (await list.json()) as {
      notifications: { id: string; status: string; recipient: string }[];
    };
    expect(listed.notifications).toEqual([
      expect.objectContaining({ id: body.notification.id, status: 'sent', recipient: 'se***@example.co' }),
    ]);
  });

  test('an Idempotency-Key sends one statement however often the merchant retries', async () => {
    const first = await sendStatement(
      { idNumber: ID, channel: 'email', email: 'sebas@example.co' },
      { 'Idempotency-Key': 'stmt-0001-abc' },
    );
    const again = await sendStatement(
      { idNumber: ID, channel: 'email', email: 'sebas@example.co' },
      { 'Idempotency-Key': 'stmt-0001-abc' },
    );
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: boolean }).created).toBe(false);
    await notifications.job.drain();
    await notifications.job.drain();
    await mailbox.waitFor(1);
    expect(mailbox.messages).toHaveLength(1);
  });

  test('a statement asked for at 21:00 waits for 07:00, and says why while it waits', async () => {
    deps.setNow(new Date('2026-11-28T02:00:00Z')); // Friday 21:00 in Bogotá
    const res = await sendStatement({ idNumber: ID, channel: 'email', email: 'sebas@example.co' });
    const { notification } = (await res.json()) as { notification: { id: string } };
    await notifications.job.drain();
    const held = await app.request('/v1/merchant/notifications', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const [row] = ((await held.json()) as { notifications: Record<string, unknown>[] }).notifications;
    expect(row).toMatchObject({
      id: notification.id,
      status: 'held',
      holdReason: 'outside_hours',
      nextAttemptAt: '2026-11-28T13:00:00.000Z', // Saturday 08:00 in Bogotá
    });
    expect(String(row!.holdDetail)).toContain('outside the allowed hours');
    expect(mailbox.messages).toHaveLength(0);

    deps.setNow(new Date('2026-11-28T13:00:00Z'));
    await notifications.job.drain();
    await mailbox.waitFor(1);
    expect((await deps.store.getNotification('acme', notification.id))?.status).toBe('sent');
  });

  test('a mailbox the server refuses (550) fails at once and tells the merchant with notification.failed', async () => {
    const res = await sendStatement({ idNumber: ID, channel: 'email', email: 'nobody@bounce.invalid' });
    const { notification } = (await res.json()) as { notification: { id: string } };
    await notifications.job.drain();
    const failed = await deps.store.getNotification('acme', notification.id);
    expect(failed).toMatchObject({ status: 'failed', lastError: 'smtp_550' });
    const events = await deps.store.claimOutbox(new Date('2026-11-27T16:00:00Z'), 10, 60_000);
    expect(events).toHaveLength(1);
    const event = JSON.parse(events[0]!.body) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: 'notification.failed',
      data: { notificationId: notification.id, kind: 'statement', channel: 'email', error: 'smtp_550' },
    });
    expect(events[0]!.body).not.toContain('bounce.invalid');
    expect(deps.outboxKicks.count).toBeGreaterThan(0);
  });

  test('an approved payment sends the receipt to the buyer email given at checkout, once', async () => {
    const created = await deps.store.createCheckout({
      reference: 'SLD-receipt-1',
      merchantId: 'acme',
      idempotencyKey: 'key-receipt-1',
      requestHash: 'h',
      currency: 'COP',
      amount: 64_500n,
      items: [
        {
          ref: 'ACU-55103',
          description: 'Consumo de acueducto marzo',
          amount: 64_500n,
          metadata: null,
          webhookUrl: null,
        },
      ],
      action: 'https://payu.test',
      fields: { buyerEmail: 'buyer@example.co', referenceCode: 'SLD-receipt-1' },
      receiptToken: RECEIPT_TOKEN,
      comment: null,
      deliveryAddress: null,
      now: FRIDAY_10,
      holdUntil: new Date(FRIDAY_10.getTime() + 30 * 60_000),
    });
    expect(created.kind).toBe('created');
    const merchant = deps.merchants.get('acme')!;
    const confirm = (transactionId: string) =>
      deps.store.applyConfirmation({
        merchantId: 'acme',
        reference: 'SLD-receipt-1',
        transactionId,
        status: 'approved',
        payuReference: '845612378',
        now: FRIDAY_10,
        event: () => [],
        notifications: (c, s) =>
          paymentNotifications(
            { config: deps.config, notifications: notifications.port },
            merchant,
            c,
            s,
            FRIDAY_10,
          ),
      });
    expect((await confirm('tx-1')).kind).toBe('applied');
    expect((await confirm('tx-2')).kind).toBe('final');
    await notifications.job.drain();
    const [mail] = await mailbox.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['buyer@example.co']);
    expect(mail!.subject).toBe('Comprobante de pago SLD-receipt-1 — ACME S.A.S.');
    // The button opens the printable receipt (by its token); the result page is the link under it.
    expect(hrefs(mail!.html)).toEqual([
      `http://127.0.0.1:8787/acme/receipts/${RECEIPT_TOKEN}`,
      'http://127.0.0.1:8787/acme/pay/result/SLD-receipt-1',
    ]);
    expect(mail!.text).toContain('Referencia PayU: 845612378');
    await notifications.job.drain();
    expect(mailbox.messages).toHaveLength(1);
  });
});

describe('POST /api/v1/merchants/:id/statements refuses bad input and changes nothing', () => {
  test.each([
    ['no token', {}, { idNumber: ID, channel: 'email', email: 'a@b.co' }, 401, 'unauthorized'],
    [
      'a bad id number',
      null,
      { idNumber: '12', channel: 'email', email: 'a@b.co' },
      400,
      'invalid_id_number',
    ],
    ['email channel without an address', null, { idNumber: ID, channel: 'email' }, 400, 'invalid_email'],
    [
      'a phone that is not E.164',
      null,
      { idNumber: ID, channel: 'whatsapp', phone: '311 222 3333' },
      400,
      'invalid_phone',
    ],
    [
      'WhatsApp not configured',
      null,
      { idNumber: ID, channel: 'whatsapp', phone: '573112223333' },
      422,
      'channel_not_configured',
    ],
    [
      'an unknown field',
      null,
      { idNumber: ID, channel: 'email', email: 'a@b.co', name: 'x' },
      400,
      'invalid_request',
    ],
    [
      'a payer with nothing pending',
      null,
      { idNumber: '55555555', channel: 'email', email: 'a@b.co' },
      422,
      'no_pending_items',
    ],
  ])('%s', async (_label, headers, body, status, code) => {
    const res = await app.request('/api/v1/merchants/acme/statements', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers ?? { authorization: `Bearer ${TOKEN}` }) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await deps.store.listNotifications('acme', { limit: 10 })).toEqual([]);
  });

  test('the notification list needs the merchant token', async () => {
    expect((await app.request('/v1/merchant/notifications')).status).toBe(401);
    expect(
      (
        await app.request('/v1/merchant/notifications', {
          headers: { 'x-auth-token': 'wrong-token-123456789' },
        })
      ).status,
    ).toBe(401);
  });
});
