import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { NotificationsPort } from '../../../bff/app-deps';
import { createApp } from '../../../bff/app';
import { returnNoticeEvent, whatsappNumber } from '../../../bff/money-back/return-notices';
import { createReturnsService } from '../../../bff/money-back/returns-service';
import { renderEmail } from '../../../bff/notifications/email/render-email';
import type { ReturnMessage } from '../../../bff/notifications/messages/models';
import { createNotificationJob } from '../../../bff/notifications/notification-job';
import { createPayerKeys } from '../../../bff/notifications/payer-key';
import { templateSend } from '../../../bff/notifications/whatsapp/template-message';
import { createPayoutsClient } from '../../../bff/payu/payouts-client';
import { MIGRATIONS } from '../../../bff/store/migrations';
import type { NotificationRecord } from '../../../bff/store/notification-records';
import { createSilentLogger } from '../../../bff/observability/logger';
import { isColombianHoliday } from '../../../shared/calendar/colombian-holidays';
import { engines } from '../../support/engines';
import { fakeDeps, fakeErp, testConfig } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { SIM_CREDS, startMoneyBackSim } from './sim-server';

/**
 * The payer's notices of a return (docs/spec/money-back.md "Payer notices"): which moves send one, what the
 * email and the WhatsApp template say in es and en, and the whole payout on both engines — the bank-details
 * link when details are needed, the expected arrival when the money reaches the bank, the arrival itself —
 * each committed with its move, once, and sent at once (not a collection message).
 */

const MODEL: ReturnMessage = {
  kind: 'return',
  brand: { merchantName: 'ACME S.A.S.', color: '#0b5cad', logoUrl: null },
  locale: 'es-CO',
  maskedName: 'Lu* Cá******',
  event: 'details',
  route: 'payout',
  reference: 'ACME-123',
  currency: 'COP',
  amount: '20000',
  bankAccount: null,
  expectedArrival: null,
  url: 'https://pagos.example.co/acme/r/SEALED',
};
const flat = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

describe('which moves notify the payer', () => {
  test('details when a payout waits for the account, sent at the bank or card, paid on arrival; nothing else', () => {
    expect(returnNoticeEvent('payout', 'approved', 'awaiting_details')).toBe('details');
    expect(returnNoticeEvent('payout', 'sending', 'in_bank')).toBe('sent');
    expect(returnNoticeEvent('refund', 'approved', 'sending')).toBe('sent');
    expect(returnNoticeEvent('payout', 'in_bank', 'paid')).toBe('paid');
    expect(returnNoticeEvent('refund', 'sending', 'paid')).toBe('paid');
    // Not news for the payer: a merchant's decision, a retry inside sending, a failure a person handles.
    expect(returnNoticeEvent('payout', 'pending', 'approved')).toBeNull();
    expect(returnNoticeEvent('payout', 'awaiting_details', 'sending')).toBeNull();
    expect(returnNoticeEvent('refund', 'sending', 'sending')).toBeNull();
    expect(returnNoticeEvent('payout', 'sending', 'needs_review')).toBeNull();
    expect(returnNoticeEvent('payout', 'in_bank', 'failed')).toBeNull();
    expect(returnNoticeEvent('none', 'pending', 'paid')).toBeNull();
  });

  test('the checkout phone becomes E.164 for WhatsApp: a Colombian mobile gets 57; anything unclear is not used', () => {
    expect(whatsappNumber('+57 300 123 4567')).toBe('573001234567');
    expect(whatsappNumber('300 123 4567')).toBe('573001234567');
    expect(whatsappNumber('(1) 555-123-4567')).toBe('15551234567');
    expect(whatsappNumber('601 234 5678')).toBeNull();
    expect(whatsappNumber('1234567')).toBeNull();
    expect(whatsappNumber(undefined)).toBeNull();
  });
});

describe('what the notices say', () => {
  test('details (es): the amount, the payment, and the button to the sealed bank-details page, in both parts', async () => {
    const r = await renderEmail(MODEL);
    expect(r.subject).toBe('ACME S.A.S. te devolverá dinero: indícanos tu cuenta');
    const html = flat(r.html);
    expect(html).toContain('te devolverá $ 20.000 del pago ACME-123');
    expect(html).toMatch(
      /href="https:\/\/pagos\.example\.co\/acme\/r\/SEALED"[^>]*>[\s\S]*?Indicar mi cuenta bancaria/,
    );
    expect(flat(r.text)).toContain('Indicar mi cuenta bancaria: https://pagos.example.co/acme/r/SEALED');
    expect(r.text).not.toContain('Llegada esperada');
  });

  test('sent (en): the masked account and the expected arrival in Bogotá time; paid says it arrived', async () => {
    const sent = await renderEmail({
      ...MODEL,
      locale: 'en-US',
      event: 'sent',
      bankAccount: '****0000',
      expectedArrival: '2026-12-02T15:40:00.000Z',
    });
    expect(sent.subject).toBe('ACME S.A.S. sent your refund');
    const text = flat(sent.text);
    expect(text).toContain('ACME S.A.S. sent COP 20,000 to your bank account.');
    expect(text).toContain('Account: ****0000');
    expect(text).toContain('Expected arrival: Wednesday, December 2 at 10:40 AM');
    expect(text).toContain('See my refund: https://pagos.example.co/acme/r/SEALED');
    const paid = await renderEmail({ ...MODEL, event: 'paid', bankAccount: '****0000' });
    expect(paid.subject).toBe('Tu devolución de ACME S.A.S. llegó');
    expect(flat(paid.text)).toContain('Tu banco confirmó la transferencia de $ 20.000.');
    const card = await renderEmail({ ...MODEL, event: 'sent', route: 'refund' });
    expect(flat(card.text)).toContain('a la tarjeta con la que pagaste');
  });

  test("WhatsApp: the merchant's return template with merchant, amount and what happened, and the link's path", () => {
    const wa = {
      apiUrl: 'http://127.0.0.1:9',
      apiVersion: 'v21.0',
      phoneNumberId: '100000000000001',
      accessToken: 't',
      appSecret: 'x'.repeat(16),
      verifyToken: 'verify-token',
      templates: { return: { name: 'saldo_return', language: 'es_CO' } },
    };
    const send = templateSend(wa, '573001234567', {
      ...MODEL,
      event: 'sent',
      expectedArrival: '2026-12-02T15:40:00.000Z',
    });
    expect(send?.template.name).toBe('saldo_return');
    const [body, button] = send!.template.components as {
      parameters: { text: string }[];
    }[];
    expect(body!.parameters.map((p) => flat(p.text))).toEqual([
      'ACME S.A.S.',
      '$ 20.000',
      expect.stringMatching(/^se envió a tu banco; llega hacia el miércoles, 2 de diciembre, 10:40/),
    ]);
    expect(button!.parameters[0]!.text).toBe('acme/r/SEALED');
    expect(templateSend({ ...wa, templates: {} }, '573001234567', MODEL)).toBeNull();
  });
});

test('migration 42 lets the outbox hold return notices and keeps the collection-contact ledger', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const m of MIGRATIONS.filter((m) => m.version < 42)) db.exec(m.sqlite);
  const insert = (kind: string) =>
    db
      .prepare(
        `INSERT INTO notifications (merchant_id, dedupe_key, kind, channel, recipient, payer_key, content, status,
           next_attempt_at, created_at, updated_at) VALUES ('acme', ?, ?, 'email', 'a@b.co', 'p', '{}', 'sent', 1, 1, 1)`,
      )
      .run(randomUUID(), kind);
  insert('charge');
  expect(() => insert('return')).toThrow(/CHECK/);
  db.exec(`INSERT INTO collection_contacts VALUES ('acme', 'p', '2026-11-27', '2026-11-23', 'email', 1, 1)`);
  db.transaction(() => db.exec(MIGRATIONS.find((m) => m.version === 42)!.sqlite))();
  expect(db.prepare('SELECT notification_id FROM collection_contacts').all()).toEqual([
    { notification_id: 1 },
  ]);
  insert('return');
  expect(() => insert('other')).toThrow(/CHECK/);
  // The ledger still follows its notification (ON DELETE CASCADE survived the rebuild).
  db.prepare('DELETE FROM notifications WHERE id = 1').run();
  expect(db.prepare('SELECT count(*) AS n FROM collection_contacts').get()).toEqual({ n: 0 });
  db.close();
});

const ID = '52123456';
const SECRET = 'payout-hook-secret-0123456789abcdef';
const TOKEN = 'acme-api-token-0123456789';
const payload = {
  payments: [
    {
      recauda_information: {
        description: 'Factura FE-2001',
        amount: 20000,
        currency_type: 'COP',
        id_number: ID,
        payer_name: 'Luz Cárdenas',
        ref_payment: 'FE-2001',
      },
      advanced_options: null,
    },
  ],
};

const all = await engines();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
afterAll(async () => {
  for (const e of all) await e.dropAll();
});

describe.each(all)('a payout told to the payer, on $name', (engine) => {
  test.skipIf(engine.skipReason !== null)(
    'details link → sent with the arrival → paid: one row per channel and event, in the move, sent at once',
    async () => {
      // Sunday 29 November 2026, 21:00 in Bogotá: outside every collection window, on purpose.
      const sim = await startMoneyBackSim(new Date('2026-11-29T21:00:00-05:00'));
      closers.push(() => sim.close());
      const store = await engine.create();
      const config = testConfig({
        merchant: {
          country: 'CO',
          payouts: { publicKey: SIM_CREDS.publicKey, webhookSecret: SECRET },
        },
      });
      const deps = await fakeDeps({ config, erp: fakeErp({ [ID]: payload }).port, now: sim.now(), store });
      const clock = { now: () => sim.now() };
      let kicks = 0;
      const notifications: NotificationsPort = {
        payerKeys: createPayerKeys(config.linkSecret),
        available: (_m, _channel, kind) => kind === 'return',
        kick: () => void kicks++,
      };
      const service = createReturnsService({
        ...deps,
        clock,
        notifications,
        ports: {
          payouts: (m) =>
            createPayoutsClient(
              {
                baseUrl: sim.baseUrl,
                merchantId: m.payu.merchantId,
                accountId: m.payu.accountId,
                ...SIM_CREDS,
              },
              { fetch, now: clock.now },
            ),
          refunds: () => null,
          isHoliday: isColombianHoliday,
        },
      });
      const app = createApp({ ...deps, clock, returns: service, notifications });
      const checkout = async (lng: 'es' | 'en') => {
        const res = await app.request('/api/v1/merchants/acme/checkout', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            idNumber: ID,
            lng,
            items: [{ ref: 'FE-2001', amount: '20000' }],
            buyer: { email: 'luz@example.co', fullName: 'Luz Cárdenas', phone: '300 123 4567' },
          }),
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { reference: string }).reference;
      };
      const confirm = (reference: string, statePol: string) =>
        app.request('/payu/acme/confirmation', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: confirmationForm(
            { reference, value: '20000.00', currency: 'COP', statePol },
            { payment_method_type: '4' },
          ),
        });
      const notices = async () =>
        (await store.listNotifications('acme', { limit: 50 }))
          .filter((n) => n.kind === 'return')
          .map((n) => ({ key: n.dedupeKey, to: n.recipient, m: JSON.parse(n.content) as ReturnMessage }))
          .sort((x, y) => x.key.localeCompare(y.key));

      // Paid twice: A declined, B approved, then PayU approves a retry of A → an over-payment of A, in English.
      const a = await checkout('en');
      await confirm(a, '6');
      const b = await checkout('es');
      await confirm(b, '4');
      await confirm(a, '4');
      const [ret] = await store.listReturns('acme', { limit: 5 });
      expect(ret?.reason).toBe('overpayment');
      const id = ret!.id;
      // Created and approved: the merchant's business, not yet the payer's.
      const approve = await app.request(`/v1/merchant/returns/${id}/approve`, {
        method: 'POST',
        headers: { 'x-auth-token': TOKEN },
      });
      expect(approve.status).toBe(200);
      expect(await notices()).toEqual([]);

      const kicksBefore = kicks;
      await service.runDue();
      expect((await store.getReturn('acme', id))?.state).toBe('awaiting_details');
      const details = await notices();
      expect(details.map((n) => [n.key, n.to])).toEqual([
        [`return:${id}:details:email`, 'luz@example.co'],
        [`return:${id}:details:whatsapp`, '573001234567'],
      ]);
      expect(details[0]!.m).toMatchObject({
        event: 'details',
        locale: 'en-US',
        amount: '20000',
        route: 'payout',
      });
      expect(kicks).toBe(kicksBefore + 1);
      // The link in the notice opens the payer's bank-details form.
      const link = new URL(details[0]!.m.url);
      expect(link.pathname).toMatch(/^\/acme\/r\/[A-Za-z0-9_-]+$/);
      const token = link.pathname.split('/').pop()!;
      const form = await app.request(`/api/v1/merchants/acme/returns/${token}`);
      expect(await form.json()).toMatchObject({ return: { id, needsBankDetails: true } });
      const given = await app.request(`/api/v1/merchants/acme/returns/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          fullName: 'Luz Cárdenas',
          documentType: 'CC',
          documentNumber: ID,
          bankCode: '007',
          accountType: 'CA',
          accountNumber: '2198922910000',
        }),
      });
      expect(given.status).toBe(200);
      await service.runDue();
      expect((await store.getReturn('acme', id))?.state).toBe('sending');

      // PayU walks the payout (a minute a step) and each notice arrives twice; reaching the bank on a Sunday
      // night, the bank answers at 19:55 on Monday (the ACH table).
      sim.sim.knobs.duplicate = true;
      const deliver = async () => {
        const before = sim.delivered.length;
        await sim.sim.tick();
        for (const d of sim.delivered.slice(before)) {
          const res = await app.request(new URL(d.url).pathname, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(d.body),
          });
          expect(res.status).toBe(200);
        }
      };
      await createPayoutsClient(
        { baseUrl: sim.baseUrl, merchantId: '508029', accountId: '512321', ...SIM_CREDS },
        { fetch, now: clock.now },
      ).registerWebhook(`http://127.0.0.1:8787/payu/acme/payouts/${SECRET}`);
      sim.advance(5 * 60_000);
      await deliver();
      const inBank = await store.getReturn('acme', id);
      expect(inBank?.state).toBe('in_bank');
      const sent = (await notices()).filter((n) => n.m.event === 'sent');
      expect(sent.map((n) => n.key)).toEqual([`return:${id}:sent:email`, `return:${id}:sent:whatsapp`]);
      expect(sent[0]!.m).toMatchObject({
        bankAccount: '****0000',
        expectedArrival: inBank!.payout.expectedArrivalAt!.toISOString(),
      });

      sim.setNow(new Date(inBank!.payout.expectedArrivalAt!.getTime() + 60_000));
      await deliver();
      expect((await store.getReturn('acme', id))?.state).toBe('paid');
      expect((await notices()).map((n) => n.key.split(':').slice(2).join(':'))).toEqual([
        'details:email',
        'details:whatsapp',
        'paid:email',
        'paid:whatsapp',
        'sent:email',
        'sent:whatsapp',
      ]);

      // The job sends them at once, whatever the hour (here Monday 19:56, after the 19:00 collection window
      // closed): a return notice is not a collection message.
      const sentRows: NotificationRecord[] = [];
      const sender = {
        available: () => true,
        send: async (n: NotificationRecord) => {
          sentRows.push(n);
          return { ok: true as const, providerId: `p-${n.id}` };
        },
      };
      const job = createNotificationJob({
        store,
        merchants: deps.merchants,
        senders: { email: sender, whatsapp: sender },
        logger: createSilentLogger(),
        now: clock.now,
      });
      expect(await job.runOnce()).toBe(6);
      expect(sentRows).toHaveLength(6);
      expect(
        (await store.listNotifications('acme', { limit: 50 })).filter(
          (n) => n.kind === 'return' && n.status !== 'sent',
        ),
      ).toEqual([]);
    },
  );
});
