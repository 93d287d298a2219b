import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { createPostgresStore } from '../../../bff/store/postgres-store';
import { createSqliteStore } from '../../../bff/store/sqlite-store';
import { createApp } from '../../../bff/app';
import { createChargeSchedule } from '../../../bff/jobs/charge-schedule';
import type { ChargeCondition } from '../../../shared/charges/charge-input';
import type { NotificationsPort } from '../../../bff/app-deps';
import { chargeMessageWithdrawReason } from '../../../bff/charges/charge-notifications';
import { chargeItemKey } from '../../../bff/store/charge-store';
import type { ReminderMessage } from '../../../bff/notifications/messages/models';
import { createNotificationJob } from '../../../bff/notifications/notification-job';
import { createPayerKeys } from '../../../bff/notifications/payer-key';
import { createSilentLogger } from '../../../bff/observability/logger';
import type { Store } from '../../../bff/store/store';
import { PG_URL, engines } from '../../support/engines';
import { fakeDeps, testConfig } from '../../support/fake-deps';

const all = await engines();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const e of all) await e.dropAll();
  for (const c of cleanups) await c();
});

/** Two stores on one database, as two BFF instances would open it. */
async function twoInstances(engine: 'sqlite' | 'postgres'): Promise<[Store, Store]> {
  if (engine === 'postgres') {
    const schema = `saldo_cj_${process.pid}_${randomBytes(4).toString('hex')}`;
    const a = createPostgresStore(PG_URL, { schema });
    await a.migrate();
    const b = createPostgresStore(PG_URL, { schema });
    cleanups.push(async () => {
      await Promise.all([a.close(), b.close()]);
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    return [a, b];
  }
  const dir = mkdtempSync(join(tmpdir(), 'saldo-charge-job-'));
  const a = createSqliteStore(join(dir, 'saldo.db'));
  await a.migrate();
  const b = createSqliteStore(join(dir, 'saldo.db'));
  cleanups.push(async () => {
    await Promise.all([a.close(), b.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  return [a, b];
}

const TOKEN = 'acme-api-token-0123456789';
const base = {
  amount: 50000,
  currency: 'COP',
  description: 'Mensualidad marzo',
  merchant_id_number: '900123456',
  merchant_phone: '573112229999',
  channel: 'whatsapp',
  user_notification: true,
  payer: { phone: '573001112233', user_id_type: 'CC', user_id_number: '1020304050', first_name: 'Camila' },
};

async function harness(store: Store) {
  const config = testConfig();
  const deps = await fakeDeps({ config, store, now: new Date('2025-03-01T15:00:00Z') });
  const kicks = { count: 0 };
  const notifications: NotificationsPort = {
    payerKeys: createPayerKeys(config.linkSecret),
    available: () => true,
    kick: () => {
      kicks.count++;
    },
  };
  const app = createApp({ ...deps, notifications });
  const create = async (body: Record<string, unknown>) => {
    const res = await app.request('/v1/merchant/transaction', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN },
      body: JSON.stringify({ ...base, ...body }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { external_reference: string }).external_reference;
  };
  const patch = async (ref: string, body: Record<string, unknown>) => {
    const res = await app.request(`/v1/merchant/transaction/${ref}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  let now = new Date('2025-03-01T15:00:00Z');
  const job = (s: Store = store) =>
    createChargeSchedule({
      store: s,
      merchants: deps.merchants,
      publicUrl: config.publicUrl,
      logger: createSilentLogger(),
      onOutboxWritten: () => undefined,
      notifications,
      now: () => now,
      batchSize: 3,
    });
  return {
    deps,
    kicks,
    create,
    patch,
    job,
    setNow(d: Date) {
      now = d;
      deps.setNow(d);
    },
  };
}

function fixedIds(policy: ChargeCondition | null): string[] {
  return policy?.condition_type === 'fixed' ? policy.fixed.map((e) => e.id) : [];
}

async function eventTypes(store: Store): Promise<string[]> {
  const claimed = await store.claimOutbox(new Date('2100-01-01T00:00:00Z'), 1000, 60_000);
  return claimed.map((m) => (JSON.parse(m.body) as { type: string }).type).sort();
}

describe.each(all)('charge job on $name', (engine) => {
  test.skipIf(engine.skipReason !== null)(
    'activates on reminder_date at midnight in Bogotá, once, with its event and its notification',
    async () => {
      const store = await engine.create();
      const h = await harness(store);
      const ref = await h.create({ status: 'scheduled', reminder_date: '2025/03/10' });
      await h.create({ status: 'scheduled', reminder_date: '2025/03/11' });
      const job = h.job();
      h.setNow(new Date('2025-03-10T04:59:59Z')); // 23:59:59 on the 9th in Bogotá
      expect(await job.runOnce()).toEqual({ activated: 0, expired: 0, reminded: 0 });
      h.setNow(new Date('2025-03-10T05:00:00Z')); // 00:00 on the 10th
      expect(await job.runOnce()).toEqual({ activated: 1, expired: 0, reminded: 0 });
      expect(await job.runOnce()).toEqual({ activated: 0, expired: 0, reminded: 0 });
      expect((await store.getCharge('acme', ref))?.status).toBe('pending');
      expect(await eventTypes(store)).toEqual(['charge.activated', 'charge.created', 'charge.created']);
      const notes = await store.listNotifications('acme', { limit: 10 });
      expect(notes).toMatchObject([
        {
          chargeId: ref,
          dedupeKey: `notice:${ref}`,
          kind: 'charge',
          channel: 'whatsapp',
          recipient: '573001112233',
          status: 'queued',
        },
      ]);
      expect(JSON.parse(notes[0]!.content)).toMatchObject({ kind: 'charge', amountDue: '50000' });
    },
  );

  test.skipIf(engine.skipReason !== null)(
    'two instances catching up after downtime change each charge once',
    async () => {
      const [store, other] = await twoInstances(engine.name);
      const h = await harness(store);
      const refs: string[] = [];
      for (let i = 0; i < 8; i++)
        refs.push(await h.create({ status: 'scheduled', reminder_date: `2025/03/0${2 + (i % 5)}` }));
      for (let i = 0; i < 4; i++) refs.push(await h.create({ limit_date: '2025/03/05', expiration: true }));
      await h.create({ status: 'unlimit', limit_date: '2025/03/05', expiration: true });
      const reminded: string[] = [];
      for (let i = 0; i < 5; i++)
        reminded.push(
          await h.create({
            limit_date: '2025/03/04',
            late_fees: {
              condition_type: 'fixed',
              fixed: ['2025/03/05', '2025/03/15'].map((date) => ({
                date,
                value: 1000,
                reminder: true,
                reminder_template: 'mora',
                reminder_channel: 'whatsapp',
              })),
            },
          }),
        );
      await eventTypes(store);
      h.setNow(new Date('2025-03-20T15:00:00Z'));
      const [a, b] = await Promise.all([h.job().runOnce(), h.job(other).runOnce()]);
      expect(a.activated + b.activated).toBe(8);
      expect(a.expired + b.expired).toBe(4);
      expect(a.reminded + b.reminded).toBe(5);
      const rows = await store.listNotifications('acme', { limit: 100 });
      const reminders = rows.filter((n) => n.kind === 'reminder');
      expect(reminders.map((n) => n.chargeId).sort()).toEqual([...reminded].sort());
      // Notices: one per charge that became payable (8 activated, 5 created payable; the expired and
      // unlimit ones were payable at creation too).
      expect(new Set(rows.filter((n) => n.kind === 'charge').map((n) => n.dedupeKey)).size).toBe(
        rows.filter((n) => n.kind === 'charge').length,
      );
      // Activated charges are pending without expiration: nothing expires twice, nothing activates twice.
      const types = await eventTypes(store);
      expect(types.filter((t) => t === 'charge.activated')).toHaveLength(8);
      expect(types.filter((t) => t === 'charge.expired')).toHaveLength(4);
      expect(await store.listCharges('acme', { limit: 100, status: 'expired' })).toHaveLength(4);
      expect(await store.listCharges('acme', { limit: 100, status: 'unlimit' })).toHaveLength(1);
    },
  );

  test.skipIf(engine.skipReason !== null)(
    'the notice is queued with the charge once; reminders on their dates in Bogotá, once each',
    async () => {
      const store = await engine.create();
      const h = await harness(store);
      const ref = await h.create({
        limit_date: '2025/03/10',
        advance_payment: {
          condition_type: 'fixed',
          fixed: [
            {
              date: '2025/03/08',
              value: 3000,
              reminder: true,
              reminder_template: 'pronto',
              reminder_channel: 'whatsapp',
            },
          ],
        },
        late_fees: {
          condition_type: 'fixed',
          fixed: [
            {
              date: '2025/03/12',
              value: 5000,
              reminder: true,
              reminder_template: 'mora',
              reminder_channel: 'email',
            },
            { date: '2025/03/14', value: 1000 },
          ],
        },
      });
      const quiet = await h.create({
        user_notification: false,
        limit_date: '2025/03/10',
        late_fees: {
          condition_type: 'fixed',
          fixed: [
            {
              date: '2025/03/12',
              value: 5000,
              reminder: true,
              reminder_template: 'mora',
              reminder_channel: 'whatsapp',
            },
          ],
        },
      });
      const rows = async () =>
        (await store.listNotifications('acme', { limit: 50 })).map((n) => n.dedupeKey).sort();
      expect(await rows()).toEqual([`notice:${ref}`]);
      const [notice] = await store.listNotifications('acme', { limit: 1 });
      expect(JSON.parse(notice!.content)).toMatchObject({
        kind: 'charge',
        amountDue: '47000',
        dueDate: '2025-03-10',
        incentiveUntil: '2025-03-08',
      });
      // Updating the charge does not notify again.
      await h.patch(ref, { description: 'Mensualidad marzo (ajustada)' });
      expect(await rows()).toEqual([`notice:${ref}`]);

      const job = h.job();
      const stored = (await store.getCharge('acme', ref))!.details;
      const [feeId] = fixedIds(stored.late_fees);
      const [incentiveId] = fixedIds(stored.advance_payment);

      h.setNow(new Date('2025-03-08T04:59:00Z')); // 23:59 on the 7th in Bogotá
      expect((await job.runOnce()).reminded).toBe(0);
      h.setNow(new Date('2025-03-08T05:00:00Z')); // 00:00 on the 8th: the incentive's last day
      expect((await job.runOnce()).reminded).toBe(1);
      expect((await job.runOnce()).reminded).toBe(0);
      expect(h.kicks.count).toBeGreaterThan(0);
      h.setNow(new Date('2025-03-11T20:00:00Z'));
      expect((await job.runOnce()).reminded).toBe(0);
      h.setNow(new Date('2025-03-12T05:00:00Z')); // the late fee starts
      expect((await job.runOnce()).reminded).toBe(1);
      h.setNow(new Date('2025-03-20T15:00:00Z'));
      expect((await job.runOnce()).reminded).toBe(0);
      expect(await rows()).toEqual(
        [`notice:${ref}`, `reminder:${ref}:${incentiveId}`, `reminder:${ref}:${feeId}`].sort(),
      );
      const all = await store.listNotifications('acme', { limit: 50 });
      const content = (key: string) =>
        JSON.parse(all.find((n) => n.dedupeKey === key)!.content) as ReminderMessage;
      // The new amount: 50000 once the discount ends; 50000 + 5000 once the fee starts.
      expect(content(`reminder:${ref}:${incentiveId}`)).toMatchObject({
        kind: 'reminder',
        event: 'incentive_end',
        template: 'pronto',
        amountDue: '50000',
      });
      expect(content(`reminder:${ref}:${feeId}`)).toMatchObject({
        event: 'late_fee',
        template: 'mora',
        amountDue: '55000',
      });
      // The payer authorised WhatsApp: the reminder that named email goes by WhatsApp too.
      expect(all.every((n) => n.channel === 'whatsapp' && n.chargeId === ref)).toBe(true);
      expect(await store.getCharge('acme', quiet)).toMatchObject({ reminderDueOn: null });
    },
  );

  test.skipIf(engine.skipReason !== null)(
    'after downtime: only the fee that applies now is reminded, a passed incentive is not; a cancelled charge gets none',
    async () => {
      const store = await engine.create();
      const h = await harness(store);
      const fees = (dates: string[]) => ({
        condition_type: 'fixed',
        fixed: dates.map((date) => ({
          date,
          value: 1000,
          reminder: true,
          reminder_template: 'mora',
          reminder_channel: 'whatsapp',
        })),
      });
      const body = {
        limit_date: '2025/03/10',
        late_fees: fees(['2025/03/11', '2025/03/13', '2025/03/15', '2025/03/25']),
        advance_payment: fees(['2025/03/05']),
      };
      const ref = await h.create(body);
      const cancelled = await h.create(body);
      await h.patch(cancelled, { status: 'cancelled' });
      const cancelledRows = await store.listNotifications('acme', { chargeId: cancelled, limit: 5 });
      expect(cancelledRows).toMatchObject([{ status: 'failed', lastError: 'withdrawn: charge cancelled' }]);
      const job = h.job();
      h.setNow(new Date('2025-03-16T15:00:00Z')); // down from the 1st to the 16th
      expect((await job.runOnce()).reminded).toBe(1);
      expect((await job.runOnce()).reminded).toBe(0);
      const charge = (await store.getCharge('acme', ref))!;
      const ids = fixedIds(charge.details.late_fees);
      const reminders = (await store.listNotifications('acme', { chargeId: ref, limit: 10 })).filter(
        (n) => n.kind === 'reminder',
      );
      expect(reminders.map((n) => n.dedupeKey)).toEqual([`reminder:${ref}:${ids[2]}`]);
      expect(JSON.parse(reminders[0]!.content)).toMatchObject({ amountDue: '53000' });
      expect(charge.reminderDueOn).toBe('2025-03-25');
    },
  );

  test.skipIf(engine.skipReason !== null)(
    'a reminder queued at midnight waits for 07:00 (collection law) and is sent once',
    async () => {
      const store = await engine.create();
      const h = await harness(store);
      const ref = await h.create({
        limit_date: '2025/03/10',
        late_fees: {
          condition_type: 'fixed',
          fixed: [
            {
              date: '2025/03/12',
              value: 5000,
              reminder: true,
              reminder_template: 'mora',
              reminder_channel: 'whatsapp',
            },
          ],
        },
      });
      let clock = new Date('2025-03-01T15:00:00Z'); // Saturday 10:00 in Bogotá, when it was created
      const sent: string[] = [];
      const notifier = createNotificationJob({
        store,
        merchants: h.deps.merchants,
        senders: {
          whatsapp: {
            available: () => true,
            send: async (n) => {
              sent.push(n.dedupeKey);
              return { ok: true, providerId: `wamid.${sent.length}` };
            },
          },
        },
        logger: createSilentLogger(),
        now: () => clock,
      });
      await notifier.runOnce();
      expect(sent).toEqual([`notice:${ref}`]);
      clock = new Date('2025-03-12T05:00:00Z'); // Wednesday 00:00
      h.setNow(clock);
      expect((await h.job().runOnce()).reminded).toBe(1);
      await notifier.runOnce();
      expect(sent).toEqual([`notice:${ref}`]);
      const held = (await store.listNotifications('acme', { chargeId: ref, limit: 5 })).find(
        (n) => n.kind === 'reminder',
      )!;
      expect(held).toMatchObject({ status: 'held', holdReason: 'outside_hours' });
      expect(held.nextAttemptAt).toEqual(new Date('2025-03-12T12:00:00Z'));
      clock = new Date('2025-03-12T12:00:00Z');
      await notifier.runOnce();
      await notifier.runOnce();
      expect(sent).toEqual([`notice:${ref}`, held.dedupeKey]);
    },
  );

  test.skipIf(engine.skipReason !== null)(
    'a reminder held overnight is withdrawn when the payer pays before it goes',
    async () => {
      const store = await engine.create();
      const h = await harness(store);
      const ref = await h.create({
        user_notification: false,
        limit_date: '2025/03/10',
        late_fees: {
          condition_type: 'fixed',
          fixed: [
            {
              date: '2025/03/12',
              value: 5000,
              reminder: true,
              reminder_template: 'mora',
              reminder_channel: 'whatsapp',
            },
          ],
        },
      });
      await h.patch(ref, { user_notification: true });
      let clock = new Date('2025-03-12T05:00:00Z'); // Wednesday 00:00 in Bogotá
      h.setNow(clock);
      expect((await h.job().runOnce()).reminded).toBe(1);
      const sent: string[] = [];
      const notifier = createNotificationJob({
        store,
        merchants: h.deps.merchants,
        senders: {
          whatsapp: {
            available: () => true,
            send: async (n) => {
              sent.push(n.dedupeKey);
              return { ok: true, providerId: `wamid.${sent.length}` };
            },
          },
        },
        logger: createSilentLogger(),
        now: () => clock,
        stillWanted: (n, merchant, at) => chargeMessageWithdrawReason({ store }, merchant, n.chargeId!, at),
      });
      await notifier.runOnce(); // both held until 07:00
      // 03:00: the payer pays the whole charge (55,000 with the fee).
      const paidAt = new Date('2025-03-12T08:00:00Z');
      await store.createCheckout({
        reference: 'SLD-paid-at-night',
        merchantId: 'acme',
        idempotencyKey: 'key-paid-at-night',
        requestHash: 'h',
        currency: 'COP',
        amount: 55_000n,
        items: [
          {
            ref: chargeItemKey(ref),
            description: 'Mensualidad marzo',
            amount: 55_000n,
            metadata: null,
            webhookUrl: null,
          },
        ],
        action: 'https://payu.test',
        fields: {},
        comment: null,
        deliveryAddress: null,
        now: paidAt,
        holdUntil: new Date(paidAt.getTime() + 30 * 60_000),
      });
      const applied = await store.applyConfirmation({
        merchantId: 'acme',
        reference: 'SLD-paid-at-night',
        transactionId: 'tx-night',
        status: 'approved',
        payuReference: '1',
        now: paidAt,
        event: () => [],
      });
      expect(applied.kind).toBe('applied');
      clock = new Date('2025-03-12T12:00:00Z'); // 07:00
      await notifier.runOnce();
      expect(sent).toEqual([]);
      const rows = await store.listNotifications('acme', { chargeId: ref, limit: 5 });
      expect(rows.map((n) => [n.kind, n.status, n.lastError])).toEqual([
        ['reminder', 'failed', 'withdrawn: not payable: paid'],
        ['charge', 'failed', 'withdrawn: not payable: paid'],
      ]);
      // No notification.failed webhook: the payer paid, nothing went wrong.
      expect((await eventTypes(store)).filter((t) => t === 'notification.failed')).toEqual([]);
    },
  );
});
