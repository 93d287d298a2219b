import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../../bff/config/load-config';
import type { Config } from '../../../bff/config/config-schema';
import { startCaptureServer, type CaptureServer } from '../../../bff/notifications/email/capture-server';
import { createSmtpSender } from '../../../bff/notifications/email/smtp-sender';
import type { ReminderMessage } from '../../../bff/notifications/messages/models';
import { createNotificationJob, type NotificationJob } from '../../../bff/notifications/notification-job';
import { createSilentLogger } from '../../../bff/observability/logger';
import type { NewNotification } from '../../../bff/store/notification-records';
import { createPostgresStore } from '../../../bff/store/postgres-store';
import { createSqliteStore } from '../../../bff/store/sqlite-store';
import type { Store } from '../../../bff/store/store';
import { PG_URL, postgresUnreachable } from '../../support/engines';
import { TEST_PAYU } from '../../support/fake-deps';

/**
 * The time-driven job on both engines, with two instances sharing one database and real SMTP to one
 * capture server: every reminder arrives once, the law's limits hold across instances, a crash in the middle
 * loses nothing and downtime is caught up without duplicates. Time is injected; nothing waits on the clock.
 */
const bogota = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00-05:00`);
const FRIDAY_10 = bogota('2026-11-27', '10:00');

const pgReason = await postgresUnreachable();
if (pgReason && process.env.CI === 'true') throw new Error(`PostgreSQL must be reachable in CI: ${pgReason}`);

interface Engine {
  readonly name: string;
  readonly skip: string | null;
  /** Opens `count` stores on one fresh database, as `count` BFF instances would. */
  open(count: number): Promise<Store[]>;
  cleanup(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'saldo-notify-'));
const schemas: string[] = [];
const ENGINES: Engine[] = [
  {
    name: 'SQLite (one file, two connections)',
    skip: null,
    async open(count) {
      const path = join(dir, `${randomUUID()}.db`);
      const stores = Array.from({ length: count }, () => createSqliteStore(path));
      for (const s of stores) await s.migrate();
      return stores;
    },
    async cleanup() {},
  },
  {
    name: 'PostgreSQL (one schema, two pools)',
    skip: pgReason ? `PostgreSQL not reachable: ${pgReason}` : null,
    async open(count) {
      const schema = `saldo_nj_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      const stores = Array.from({ length: count }, () => createPostgresStore(PG_URL, { schema, max: 4 }));
      await Promise.all(stores.map((s) => s.migrate()));
      return stores;
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      for (const s of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await admin.end();
    },
  },
];

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function config(port: number): Config {
  return parseConfig({
    publicUrl: 'https://pagos.acme.test',
    linkSecret: 'test-link-secret-0123456789abcdef0123456789',
    smtp: { host: '127.0.0.1', port, secure: false, from: 'pagos@saldo.test' },
    merchants: [
      {
        id: 'acme',
        name: 'ACME S.A.S.',
        apiToken: 'acme-api-token-0123456789',
        erp: { url: 'http://127.0.0.1:9/get-recaudas' },
        payu: TEST_PAYU,
      },
    ],
  });
}

function reminder(payer: string, entry: string, notBefore: Date): NewNotification {
  const message: ReminderMessage = {
    kind: 'reminder',
    brand: { merchantName: 'ACME S.A.S.', color: '#0b5cad', logoUrl: null },
    locale: 'es-CO',
    maskedName: null,
    template: 'recargo_mora',
    event: 'late_fee',
    description: `Cobro ${payer}`,
    currency: 'COP',
    amountDue: '105000',
    url: 'https://pagos.acme.test/acme/s/TOKEN',
  };
  return {
    merchantId: 'acme',
    dedupeKey: `reminder:${payer}:${entry}`,
    kind: 'reminder',
    channel: 'email',
    recipient: `${payer}@example.co`,
    payerKey: `payer:${payer}`,
    chargeId: payer,
    content: JSON.stringify(message),
    notBefore,
    now: new Date(notBefore.getTime() - 86_400_000),
  };
}

describe.each(ENGINES)('$name', (engine) => {
  let mailbox: CaptureServer;
  let stores: Store[] = [];
  let jobs: NotificationJob[] = [];
  let senders: ReturnType<typeof createSmtpSender>[] = [];
  let now = FRIDAY_10;

  beforeEach(async (ctx) => {
    if (engine.skip) ctx.skip(engine.skip);
    mailbox = await startCaptureServer({ keep: 1000 });
    stores = await engine.open(2);
    const cfg = config(mailbox.port);
    const merchants = new Map(cfg.merchants.map((m) => [m.id, m]));
    senders = stores.map(() => createSmtpSender(cfg.smtp!));
    jobs = stores.map((store, i) =>
      createNotificationJob({
        store,
        merchants,
        senders: { email: senders[i]! },
        logger: createSilentLogger(),
        now: () => now,
        batchSize: 5,
        leaseMs: 120_000,
      }),
    );
  });

  afterEach(async () => {
    await Promise.all(jobs.map((j) => j.stop()));
    for (const s of senders) s.close();
    await Promise.all(stores.map((s) => s.close()));
    await mailbox?.close();
    jobs = [];
    stores = [];
  });

  const sentKeys = () => mailbox.messages.map((m) => m.messageId);

  test('two instances send each of 30 reminders once, and the second reminder of one payer waits for the next allowed day', async () => {
    now = FRIDAY_10;
    const due = bogota('2026-11-27', '09:00');
    await stores[0]!.enqueueNotifications([
      ...Array.from({ length: 30 }, (_, i) => reminder(`p${i}`, 'late-1', due)),
      reminder('p0', 'late-2', due),
    ]);
    const handled = await Promise.all(jobs.map((j) => j.drain()));
    expect(handled[0]! + handled[1]!).toBe(31);
    await mailbox.waitFor(30);
    expect(mailbox.messages).toHaveLength(30);
    expect(new Set(sentKeys()).size).toBe(30);
    expect(new Set(mailbox.messages.map((m) => m.envelopeTo[0])).size).toBe(30);

    const list = await stores[1]!.listNotifications('acme', { chargeId: 'p0', limit: 10 });
    const waiting = list.filter((n) => n.status === 'held');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ holdReason: 'daily_limit' });
    expect(waiting[0]!.nextAttemptAt).toEqual(bogota('2026-11-28', '08:00'));

    // Running again the same day sends nothing more.
    await Promise.all(jobs.map((j) => j.drain()));
    expect(mailbox.messages).toHaveLength(30);

    now = bogota('2026-11-28', '08:00');
    await Promise.all(jobs.map((j) => j.drain()));
    await mailbox.waitFor(31);
    expect(mailbox.messages).toHaveLength(31);
    expect(new Set(sentKeys()).size).toBe(31);
  });

  test('an instance that dies holding a claim loses nothing: after its lease another instance sends every row once', async () => {
    now = FRIDAY_10;
    await stores[0]!.enqueueNotifications(
      Array.from({ length: 8 }, (_, i) => reminder(`q${i}`, 'late-1', now)),
    );
    // Instance 0 claims a batch and dies before sending (its rows stay leased, unsent).
    const claimed = await stores[0]!.claimNotifications(now, 5, 120_000);
    expect(claimed).toHaveLength(5);
    await jobs[0]!.stop();
    await stores[0]!.close();
    stores = stores.slice(1);
    jobs = jobs.slice(1);

    await jobs[0]!.drain();
    await mailbox.waitFor(3);
    expect(mailbox.messages).toHaveLength(3);

    now = new Date(FRIDAY_10.getTime() + 121_000);
    await jobs[0]!.drain();
    await mailbox.waitFor(8);
    expect(mailbox.messages).toHaveLength(8);
    expect(new Set(sentKeys()).size).toBe(8);
  });

  test('after downtime the job catches up: what fell due is sent once, one message per payer per day', async () => {
    // Reminders of Monday, Tuesday and Wednesday; the job was down until Thursday 10:00.
    await stores[0]!.enqueueNotifications([
      reminder('r1', 'mon', bogota('2026-11-23', '07:00')),
      reminder('r2', 'tue', bogota('2026-11-24', '07:00')),
      reminder('r3', 'mon', bogota('2026-11-23', '07:00')),
      reminder('r3', 'tue', bogota('2026-11-24', '07:00')),
      reminder('r3', 'wed', bogota('2026-11-25', '07:00')),
      reminder('r4', 'fri', bogota('2026-11-27', '07:00')),
    ]);
    now = bogota('2026-11-26', '10:00');
    await Promise.all(jobs.map((j) => j.drain()));
    await mailbox.waitFor(3);
    expect(mailbox.messages.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'r1@example.co',
      'r2@example.co',
      'r3@example.co',
    ]);
    await Promise.all(jobs.map((j) => j.drain()));
    expect(mailbox.messages).toHaveLength(3);

    now = bogota('2026-11-27', '10:00');
    await Promise.all(jobs.map((j) => j.drain()));
    await mailbox.waitFor(5);
    // r3's second reminder and r4's own.
    expect(mailbox.messages).toHaveLength(5);
    now = bogota('2026-11-28', '09:00');
    await Promise.all(jobs.map((j) => j.drain()));
    await mailbox.waitFor(6);
    expect(mailbox.messages).toHaveLength(6);
    expect(new Set(sentKeys()).size).toBe(6);
  });

  test('one channel a week: a WhatsApp reminder to a payer emailed this week waits for Monday', async () => {
    now = bogota('2026-11-25', '10:00');
    const email = reminder('w1', 'email', now);
    const whatsapp = {
      ...reminder('w1', 'whatsapp', now),
      channel: 'whatsapp' as const,
      recipient: '573112223333',
    };
    await stores[0]!.enqueueNotifications([email]);
    await jobs[0]!.drain();
    await mailbox.waitFor(1);
    now = bogota('2026-11-26', '10:00');
    const [row] = await stores[0]!.enqueueNotifications([{ ...whatsapp, now }]);
    // A WhatsApp channel that records what it is asked to send: the law must hold the message before it.
    const asked: string[] = [];
    const whatsappJob = createNotificationJob({
      store: stores[1]!,
      merchants: new Map(config(mailbox.port).merchants.map((m) => [m.id, m])),
      senders: {
        whatsapp: {
          available: () => true,
          send: async (n) => {
            asked.push(n.id);
            return { ok: true, providerId: 'wamid.x' };
          },
        },
      },
      logger: createSilentLogger(),
      now: () => now,
    });
    await whatsappJob.drain();
    expect(asked).toEqual([]);
    const held = await stores[1]!.getNotification('acme', row!.id);
    expect(held).toMatchObject({ status: 'held', holdReason: 'weekly_channel' });
    expect(held!.nextAttemptAt).toEqual(bogota('2026-11-30', '07:00'));
    now = bogota('2026-11-30', '07:00');
    await whatsappJob.drain();
    expect(asked).toEqual([row!.id]);
  });
});
