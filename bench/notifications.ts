import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import os from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { createLinkSealer } from '../bff/links/link-token';
import { buildStatementLink } from '../bff/links/statement-link';
import { renderEmail } from '../bff/notifications/email/render-email';
import type { StatementMessage } from '../bff/notifications/messages/models';
import { createPayerKeys } from '../bff/notifications/payer-key';
import type { NewNotification } from '../bff/store/notification-records';
import { createPostgresStore } from '../bff/store/postgres-store';
import { createSqliteStore } from '../bff/store/sqlite-store';
import type { Store } from '../bff/store/store';
import type { BenchContext, BenchResult, Row } from './support/context';
import { int } from './support/stats';

/**
 * Notifications: render and queue 10,000 statement emails (issue 14). Each payer's statement has five items
 * (four payable with their own sealed statement link, one under the minimum with a link-less button), is
 * rendered to HTML + plain text with React Email exactly as the sender does, and its row is queued in the
 * notification outbox in batches of 500. Reported: messages per second for the whole pipeline and for each
 * half, and memory per 1,000 messages: how far RSS and the used heap climbed above their start while running
 * (the working set the pipeline needs), and the heap still held after a full GC at the end (a leak would show
 * there). SQLite always; PostgreSQL when BENCH_DATABASE_URL (default: the local server's `test`) answers.
 * Each engine's row carries the load average while it ran; the details print the load average too.
 */
const SECRET = 'bench-link-secret-0123456789abcdef0123456789';

/** A full collection on demand without restarting node with --expose-gc (the flag, then the function). */
function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
const BATCH = 500;

function statement(i: number, now: Date, sealer: ReturnType<typeof createLinkSealer>): StatementMessage {
  const idNumber = String(10_000_000 + i);
  const link = (ref?: string) =>
    buildStatementLink({
      publicUrl: 'https://pagos.example.co',
      sealer,
      merchantId: 'acme',
      idNumber,
      ...(ref ? { ref } : {}),
      now,
    }).url;
  const items = Array.from({ length: 5 }, (_, k) => {
    const ref = `FE-${i}-${k}`;
    const payable = k < 4;
    return {
      ref,
      description: `Factura ${ref} — servicio de acueducto`,
      references: [`Contrato C-${i}`],
      limitDate: '2026-12-15',
      currency: 'COP' as const,
      due: payable ? String(50_000 + k * 12_500) : '8000',
      minimum: '10000',
      blockedReason: payable ? null : ('below_minimum' as const),
      payUrl: payable ? link(ref) : null,
    };
  });
  return {
    kind: 'statement',
    brand: { merchantName: 'ACME S.A.S.', color: '#0b5cad', logoUrl: null },
    locale: 'es-CO',
    maskedName: 'Pa**** Pr****',
    asOf: '2026-11-27',
    items,
    totals: [{ currency: 'COP', amount: '275000' }],
    statementUrl: link(),
  };
}

async function run(store: Store, count: number) {
  const sealer = createLinkSealer(SECRET);
  const keys = createPayerKeys(SECRET);
  const now = new Date('2026-11-27T15:00:00Z');
  // One render first: the templates' modules and the JIT's first compilations are not per-message memory.
  await renderEmail(statement(-1, now, sealer));
  fullGc();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  let renderMs = 0;
  let queueMs = 0;
  let bytes = 0;
  let batch: NewNotification[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const message = statement(i, now, sealer);
    const t0 = performance.now();
    const email = await renderEmail(message);
    renderMs += performance.now() - t0;
    bytes += email.html.length + email.text.length;
    batch.push({
      merchantId: 'acme',
      dedupeKey: `statement:${randomUUID()}`,
      kind: 'statement',
      channel: 'email',
      recipient: `payer${i}@example.co`,
      payerKey: keys.byIdNumber('acme', String(10_000_000 + i)),
      chargeId: null,
      content: JSON.stringify(message),
      notBefore: now,
      now,
    });
    if (batch.length === BATCH || i === count - 1) {
      const t1 = performance.now();
      await store.enqueueNotifications(batch);
      queueMs += performance.now() - t1;
      batch = [];
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }
  }
  const totalMs = performance.now() - started;
  fullGc();
  const end = process.memoryUsage();
  const queued = (await store.listNotifications('acme', { limit: 1 })).length;
  if (queued !== 1) throw new Error('notifications bench: nothing was queued');
  const per1000 = (b: number) => (b * 1000) / count;
  return {
    totalMs,
    renderMs,
    queueMs,
    bytes,
    peakRss,
    rssPer1000: per1000(peakRss - start.rss),
    heapPer1000: per1000(peakHeap - start.heapUsed),
    retainedPer1000: per1000(end.heapUsed - start.heapUsed),
  };
}

const perSecond = (n: number, ms: number) => int(Math.round((n * 1000) / ms));
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const kib = (b: number) => `${int(Math.round(b / 1024))} KiB`;
const loadAverage = () => {
  const [one, five] = os.loadavg() as [number, number, number];
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)`;
};

export async function notifications(ctx: BenchContext): Promise<BenchResult> {
  const count = ctx.quick ? 500 : 10_000;
  const rows: Row[] = [];
  const details: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'saldo-bench-notify-'));
  const engines: { name: string; open: () => Promise<Store | null>; drop?: () => Promise<void> }[] = [
    {
      name: 'SQLite',
      open: async () => {
        const s = createSqliteStore(join(dir, 'bench.db'));
        await s.migrate();
        return s;
      },
    },
  ];
  const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `saldo_bench_notify_${process.pid}`;
  engines.push({
    name: 'PostgreSQL',
    open: async () => {
      const s = createPostgresStore(pgUrl, { schema });
      try {
        await s.migrate();
        return s;
      } catch (err) {
        await s.close().catch(() => undefined);
        details.push(`PostgreSQL skipped: ${(err as Error).message}`);
        return null;
      }
    },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect().catch(() => undefined);
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  });
  try {
    for (const engine of engines) {
      const store = await engine.open();
      if (!store) {
        rows.push({
          name: `Render + queue ${int(count)} statement emails, PostgreSQL`,
          measured: 'skipped',
          target: '—',
          status: 'skipped',
        });
        continue;
      }
      try {
        ctx.log(`notifications: rendering and queueing ${count} statements on ${engine.name}`);
        const loadBefore = loadAverage();
        const closeWindow = ctx.loadWindow();
        const r = await run(store, count);
        const load = closeWindow();
        rows.push({
          name: `Render + queue ${int(count)} statement emails, ${engine.name}`,
          measured: `${perSecond(count, r.totalMs)} msg/s (${(r.totalMs / 1000).toFixed(1)} s), per 1,000: RSS +${kib(r.rssPer1000)}, heap +${kib(r.heapPer1000)}`,
          target: '—',
          status: 'info',
          load,
        });
        details.push(
          `${engine.name}: render ${perSecond(count, r.renderMs)} msg/s (${(r.renderMs / count).toFixed(2)} ms each, ${int(Math.round(r.bytes / count))} bytes HTML+text), ` +
            `queue ${perSecond(count, r.queueMs)} msg/s (batches of ${BATCH})`,
          `${engine.name} memory per 1,000 messages: RSS +${kib(r.rssPer1000)} and used heap +${kib(r.heapPer1000)} at their peak above the start, ` +
            `${kib(r.retainedPer1000)} still held after a full GC; peak RSS ${mib(r.peakRss)}`,
          `${engine.name}: ${loadBefore} before, ${loadAverage()} after`,
        );
      } finally {
        await store.close();
        await engine.drop?.();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, details };
}
