import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../bff/app';
import { signConfirmation } from '../bff/payu/signature';
import type { ErpPort } from '../bff/services/ports';
import { createPostgresStore } from '../bff/store/postgres-store';
import { createSqliteStore } from '../bff/store/sqlite-store';
import type { Store } from '../bff/store/store';
import { BENCH_MERCHANT, BENCH_PAYU, benchDeps } from './support/bff';
import { passIf, type BenchContext, type BenchResult, type Row } from './support/context';
import { pool } from './support/pool';
import { int, ms, summarize } from './support/stats';

/**
 * Row 4. N checkouts are created, then each is approved by a PayU confirmation sent 10 times at once (the
 * same signed form, as PayU's retries send it): 10·N confirmation POSTs through createApp(…).request, on
 * SQLite (a temp file, WAL) and on PostgreSQL (a schema of its own, dropped afterwards). A double credit is a
 * reference whose change to approved was applied more than once, or whose recorded paid sum (itemStates)
 * differs from the checkout's amount.
 */

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DUPLICATES = 10;
/** References confirmed at once, each with its 10 duplicates: 50 POSTs in flight. */
const REFS_AT_ONCE = 5;
const TIME_LIMIT_MS = 120_000;

const payerId = (n: number) => String(30_000_000 + n);
const itemRef = (n: number) => `CONF-${String(n).padStart(5, '0')}`;
const amountOf = (n: number) => 20_000n + BigInt(n % 97) * 500n;

/** One payer per checkout, each with one pending item (a distinct ref, so no hold blocks another). */
const erp: ErpPort = {
  async fetchPendingPayments(_m, idNumber) {
    const n = Number(idNumber) - 30_000_000;
    return {
      ok: true,
      body: {
        payments: [
          {
            recauda_information: {
              description: `Cuota de administración ${n}`,
              amount: Number(amountOf(n)),
              currency_type: 'COP',
              id_number: idNumber,
              payer_name: 'Camila Andrea Rojas Pérez',
              ref_payment: itemRef(n),
            },
            advanced_options: { has_comments: false },
          },
        ],
      },
    };
  },
};

async function postgresUnreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runOn(engine: string, store: Store, count: number, ctx: BenchContext) {
  // Counts what each confirmation did, per reference, straight from the store's answer.
  const appliedApproved = new Map<string, number>();
  const kinds: Record<string, number> = {};
  const counted: Store = Object.assign(Object.create(store) as Store, {
    async applyConfirmation(input: Parameters<Store['applyConfirmation']>[0]) {
      const result = await store.applyConfirmation(input);
      kinds[result.kind] = (kinds[result.kind] ?? 0) + 1;
      if (result.kind === 'applied' && input.status === 'approved') {
        appliedApproved.set(input.reference, (appliedApproved.get(input.reference) ?? 0) + 1);
      }
      return result;
    },
  });
  const { deps, close } = await benchDeps({ erpUrl: 'http://127.0.0.1:9/unused', store: counted, erp });
  const app = createApp(deps);
  const deadline = performance.now() + TIME_LIMIT_MS;
  try {
    ctx.log(`confirmations on ${engine}: ${count} checkouts`);
    const references: string[] = new Array<string>(count);
    const t0 = performance.now();
    const created = await pool(count, REFS_AT_ONCE, deadline, async (n) => {
      const res = await app.request(`/api/v1/merchants/${BENCH_MERCHANT}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}` },
        body: JSON.stringify({
          idNumber: payerId(n),
          items: [{ ref: itemRef(n), amount: amountOf(n).toString() }],
          buyer: { email: 'pagador@example.co', fullName: 'Camila Rojas', phone: '3001234567' },
        }),
      });
      const body = (await res.json()) as { reference?: string };
      if (res.status !== 201 || !body.reference) throw new Error(`checkout ${n}: ${res.status}`);
      references[n] = body.reference;
    });
    const checkoutMs = performance.now() - t0;
    if (created < count) throw new Error(`only ${created} of ${count} checkouts within the time limit`);

    ctx.log(`confirmations on ${engine}: ${count} approvals × ${DUPLICATES} concurrent duplicates`);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const t1 = performance.now();
    const confirmed = await pool(count, REFS_AT_ONCE, deadline, async (n) => {
      const reference = references[n] as string;
      const value = `${amountOf(n)}.00`;
      const form = new URLSearchParams({
        merchant_id: BENCH_PAYU.merchantId,
        reference_sale: reference,
        value,
        currency: 'COP',
        state_pol: '4',
        sign: signConfirmation({
          apiKey: BENCH_PAYU.apiKey,
          merchantId: BENCH_PAYU.merchantId,
          referenceSale: reference,
          value,
          currency: 'COP',
          statePol: '4',
          algorithm: 'SHA256',
        }),
        transaction_id: randomUUID(),
        reference_pol: String(845_600_000 + n),
        response_message_pol: 'APPROVED',
        payment_method_type: '2',
        test: '1',
      }).toString();
      await Promise.all(
        Array.from({ length: DUPLICATES }, async () => {
          const s = performance.now();
          const res = await app.request(`/payu/${BENCH_MERCHANT}/confirmation`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form,
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - s);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        }),
      );
    });
    const confirmMs = performance.now() - t1;
    if (confirmed < count) throw new Error(`only ${confirmed} of ${count} approvals within the time limit`);

    // The verdict comes from the database: paid per item and the status of every checkout.
    const now = new Date();
    const refs = Array.from({ length: count }, (_, n) => itemRef(n));
    const states = await store.itemStates(BENCH_MERCHANT, refs, now);
    let doubleCredits = 0;
    let notCredited = 0;
    for (let n = 0; n < count; n++) {
      const applied = appliedApproved.get(references[n] as string) ?? 0;
      const paid = states.get(itemRef(n))?.paid ?? 0n;
      if (applied > 1 || paid > amountOf(n)) doubleCredits++;
      else if (applied !== 1 || paid !== amountOf(n)) notCredited++;
    }
    let notApproved = 0;
    for (const reference of references) {
      if ((await store.getCheckout(BENCH_MERCHANT, reference))?.status !== 'approved') notApproved++;
    }
    const posts = count * DUPLICATES;
    const lat = summarize(latencies);
    return {
      posts,
      rps: (posts * 1000) / confirmMs,
      lat,
      doubleCredits,
      notCredited: notCredited + notApproved,
      statuses,
      details: [
        `${engine}: ${int(count)} checkouts in ${ms(checkoutMs, 0)} (${int((count * 1000) / checkoutMs)}/s); ` +
          `${int(posts)} confirmation POSTs in ${ms(confirmMs, 0)} → ${int((posts * 1000) / confirmMs)}/s, ` +
          `p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, max ${ms(lat.max)}`,
        `${engine}: statuses ${JSON.stringify(statuses)}; store outcomes ${JSON.stringify(kinds)}; ` +
          `double credits ${doubleCredits}, not credited ${notCredited}, not approved ${notApproved}`,
      ],
    };
  } finally {
    await close();
  }
}

/** Issue 16: PostgreSQL confirmations in this duplicate-heavy mix. SQLite's row has no target (see README). */
const PG_TARGET = { rps: 1500, p99Ms: 50 };

export async function confirmations(ctx: BenchContext): Promise<BenchResult> {
  const count = ctx.quick ? 100 : 1000;
  const rows: Row[] = [];
  const details: string[] = [];
  const report = (engine: string, r: Awaited<ReturnType<typeof runOn>>) => {
    const allOk = r.statuses['200'] === r.posts;
    const target = engine === 'PostgreSQL' ? PG_TARGET : null;
    rows.push(
      {
        name: `4 Confirmations ${engine}: rate, p99`,
        measured: `${int(r.rps)}/s, p99 ${ms(r.lat.p99, 1)}`,
        target: target ? `≥ ${int(target.rps)}/s, p99 ≤ ${target.p99Ms} ms` : '—',
        status: target ? passIf(r.rps >= target.rps && r.lat.p99 <= target.p99Ms) : 'info',
      },
      {
        name: `4 Confirmations ${engine}: double credits`,
        measured: `${r.doubleCredits} of ${int(r.posts / DUPLICATES)}${r.notCredited > 0 ? `, ${r.notCredited} not credited` : ''}${allOk ? '' : ', non-200 answers'}`,
        target: '0',
        status: passIf(r.doubleCredits === 0 && r.notCredited === 0 && allOk),
      },
    );
    details.push(...r.details);
  };
  // Each engine reports on its own: a PostgreSQL run that times out on a busy machine keeps SQLite's result.
  const measure = async (engine: string, run: () => Promise<Awaited<ReturnType<typeof runOn>>>) => {
    try {
      report(engine, await run());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.log(`confirmations on ${engine} failed: ${message}`);
      rows.push({
        name: `4 Confirmations ${engine}`,
        measured: `error: ${message}`.slice(0, 100),
        target: '0',
        status: 'error',
      });
      details.push(`${engine}: ${message}`);
    }
  };

  const dir = mkdtempSync(join(os.tmpdir(), 'saldo-bench-sqlite-'));
  try {
    // The store's own pragmas apply: journal_mode WAL, synchronous NORMAL.
    await measure('SQLite', () => runOn('SQLite', createSqliteStore(join(dir, 'bench.db')), count, ctx));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const unreachable = await postgresUnreachable();
  if (unreachable) {
    const skipped = `skipped: PostgreSQL not reachable (${unreachable})`.slice(0, 100);
    rows.push({ name: '4 Confirmations PostgreSQL', measured: skipped, target: '0', status: 'skipped' });
    return { rows, details };
  }
  const schema = `saldo_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await measure('PostgreSQL', () =>
      runOn('PostgreSQL', createPostgresStore(PG_URL, { schema }), count, ctx),
    );
  } finally {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  return { rows, details };
}
