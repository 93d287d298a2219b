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
  const app = createApp(deps);
  const create = async (body: Record<string, unknown>) => {
    const res = await app.request('/v1/merchant/transaction', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN },
      body: JSON.stringify({ ...base, ...body }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { external_reference: string }).external_reference;
  };
  let now = new Date('2025-03-01T15:00:00Z');
  const job = (s: Store = store) =>
    createChargeSchedule({
      store: s,
      merchants: deps.merchants,
      publicUrl: config.publicUrl,
      logger: createSilentLogger(),
      onOutboxWritten: () => undefined,
      now: () => now,
      batchSize: 3,
    });
  return {
    deps,
    create,
    job,
    setNow(d: Date) {
      now = d;
      deps.setNow(d);
    },
  };
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
      expect(await job.runOnce()).toEqual({ activated: 0, expired: 0 });
      h.setNow(new Date('2025-03-10T05:00:00Z')); // 00:00 on the 10th
      expect(await job.runOnce()).toEqual({ activated: 1, expired: 0 });
      expect(await job.runOnce()).toEqual({ activated: 0, expired: 0 });
      expect((await store.getCharge('acme', ref))?.status).toBe('pending');
      expect(await eventTypes(store)).toEqual(['charge.activated', 'charge.created', 'charge.created']);
      const notes = await store.claimChargeNotifications(new Date('2025-03-10T06:00:00Z'), 10, 60_000);
      expect(notes).toMatchObject([
        { externalReference: ref, kind: 'charge_activated', channel: 'whatsapp' },
      ]);
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
      await eventTypes(store);
      h.setNow(new Date('2025-03-20T15:00:00Z'));
      const [a, b] = await Promise.all([h.job().runOnce(), h.job(other).runOnce()]);
      expect(a.activated + b.activated).toBe(8);
      expect(a.expired + b.expired).toBe(4);
      // Activated charges are pending without expiration: nothing expires twice, nothing activates twice.
      const types = await eventTypes(store);
      expect(types.filter((t) => t === 'charge.activated')).toHaveLength(8);
      expect(types.filter((t) => t === 'charge.expired')).toHaveLength(4);
      expect(await store.listCharges('acme', { limit: 100, status: 'expired' })).toHaveLength(4);
      expect(await store.listCharges('acme', { limit: 100, status: 'unlimit' })).toHaveLength(1);
    },
  );
});
