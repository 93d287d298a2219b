import { join } from 'node:path';
import pg from 'pg';
import { BenchChild, type ChildMessage } from './support/children';
import type { ConfirmVerdict } from './support/confirm-server';
import { passIf, type BenchContext, type BenchResult, type Row } from './support/context';
import { LoadGenerator, type LoadResult } from './support/load';
import { hotSpots } from './support/profile';
import { int, ms } from './support/stats';

/**
 * Row 4. N checkouts are created, then each is approved by a PayU confirmation sent 10 times at once (the
 * same signed form, as PayU's retries send it): 10·N confirmation POSTs over HTTP to the BFF served by
 * @hono/node-server in a process of its own (support/confirm-server.ts), from the load generator's process,
 * on SQLite (a temp file, WAL) and on PostgreSQL (a schema of its own, dropped afterwards). A double credit
 * is a reference whose change to approved was applied more than once, or whose recorded paid sum
 * (itemStates) differs from the checkout's amount. The same load against a server that only reads the body
 * and answers 200 shows what the load generator itself can send on this machine.
 */

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DUPLICATES = 10;
/** References confirmed at once, each with its 10 duplicates: 50 POSTs in flight. */
const REFS_AT_ONCE = 5;
const TIME_LIMIT_MS = 120_000;
/** Forms sent before the measured ones (10 copies each, not counted). */
const WARM_UP = 100;
const FORM = 'application/x-www-form-urlencoded';

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

interface Ready extends ChildMessage {
  type: 'ready';
  port: number;
  path: string;
  forms: string[];
  checkoutMs: number;
}

interface Cpu extends ChildMessage {
  type: 'cpu';
  userMs: number;
  systemMs: number;
}

const groupsJob = (port: number, path: string, bodies: readonly string[]) =>
  ({
    kind: 'groups',
    port,
    path,
    contentType: FORM,
    bodies,
    copies: DUPLICATES,
    groupsAtOnce: REFS_AT_ONCE,
    maxMs: TIME_LIMIT_MS,
  }) as const;

async function runOn(engine: 'sqlite' | 'postgres', count: number, gen: LoadGenerator, ctx: BenchContext) {
  const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const warm = Math.min(WARM_UP, Math.ceil(count / 10));
  ctx.log(`confirmations on ${label}: ${count} checkouts (+${warm} to warm up)`);
  const server = new BenchChild('./server-child.ts', ['confirm', engine, String(count + warm)]);
  try {
    const ready = await server.waitFor<Ready>('ready', TIME_LIMIT_MS);
    // The first forms run the route's code cold (JIT, prepared statements): sent first, in the same mix,
    // and not counted; the verdict below still checks every one of them was credited exactly once.
    const warmUp = await gen.run(groupsJob(ready.port, ready.path, ready.forms.slice(0, warm)));
    if (warmUp.sent < warm * DUPLICATES) throw new Error('warm-up confirmations did not all go out');
    ctx.log(`confirmations on ${label}: ${count} approvals × ${DUPLICATES} concurrent duplicates`);
    const profile = ctx.profileDir ? join(ctx.profileDir, `confirmations-${engine}.cpuprofile`) : null;
    if (profile) await server.request({ type: 'profile-start' }, 'profile-start', 10_000);
    await server.request({ type: 'cpu-mark' }, 'cpu-mark', 10_000);
    const r: LoadResult = await gen.run(groupsJob(ready.port, ready.path, ready.forms.slice(warm)));
    const cpu = await server.request<Cpu>({ type: 'cpu' }, 'cpu', 10_000);
    if (profile) await server.request({ type: 'profile-stop', file: profile }, 'profile-stop', 30_000);
    const posts = count * DUPLICATES;
    if (r.sent < posts)
      throw new Error(`only ${r.sent / DUPLICATES} of ${count} approvals within the time limit`);
    const { verdict } = await server.request<{ type: 'verdict'; verdict: ConfirmVerdict }>(
      { type: 'verdict' },
      'verdict',
      TIME_LIMIT_MS,
    );
    const cpuUs = ((cpu.userMs + cpu.systemMs) * 1000) / posts;
    return {
      posts,
      rps: r.rps,
      lat: r.latency,
      cpuUs,
      doubleCredits: verdict.doubleCredits,
      notCredited: verdict.notCredited + verdict.notApproved,
      statuses: r.statuses,
      details: [
        `${label}: ${int(count)} checkouts in ${ms(ready.checkoutMs, 0)} (${int((count * 1000) / ready.checkoutMs)}/s); ` +
          `${int(posts)} confirmation POSTs over HTTP in ${ms(r.elapsedMs, 0)} → ${int(r.rps)}/s, ` +
          `p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}; server CPU ${int(cpuUs)} µs/POST`,
        `${label}: statuses ${JSON.stringify(r.statuses)}; store outcomes ${JSON.stringify(verdict.kinds)}; ` +
          `double credits ${verdict.doubleCredits}, not credited ${verdict.notCredited}, not approved ${verdict.notApproved}`,
        ...(profile ? [`${label} server CPU profile:`, ...hotSpots(profile, 25)] : []),
      ],
    };
  } finally {
    await server.stop();
  }
}

/** The same load against a server that only reads each body and answers 200: the load generator's ceiling. */
async function noopCeiling(count: number, gen: LoadGenerator): Promise<LoadResult> {
  const server = new BenchChild('./server-child.ts', ['noop']);
  try {
    const { port } = await server.waitFor<{ type: 'ready'; port: number }>('ready', 60_000);
    const body = 'x'.repeat(420);
    return await gen.run(groupsJob(port, '/payu/bench/confirmation', Array<string>(count).fill(body)));
  } finally {
    await server.stop();
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
        measured: `${int(r.rps)}/s, p99 ${ms(r.lat.p99, 1)}, server CPU ${int(r.cpuUs)} µs/POST`,
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

  const gen = new LoadGenerator();
  try {
    await gen.ready();
    const ceiling = await noopCeiling(count, gen);
    details.push(
      `load generator alone (same ${int(count * DUPLICATES)} POSTs, ${REFS_AT_ONCE}×${DUPLICATES} at once, to a server that only answers 200): ${int(ceiling.rps)}/s, p99 ${ms(ceiling.latency.p99)}`,
    );
    // The store's own pragmas apply: journal_mode WAL, synchronous NORMAL.
    await measure('SQLite', () => runOn('sqlite', count, gen, ctx));
    const unreachable = await postgresUnreachable();
    if (unreachable) {
      const skipped = `skipped: PostgreSQL not reachable (${unreachable})`.slice(0, 100);
      rows.push({ name: '4 Confirmations PostgreSQL', measured: skipped, target: '0', status: 'skipped' });
      return { rows, details };
    }
    await measure('PostgreSQL', () => runOn('postgres', count, gen, ctx));
  } finally {
    await gen.stop();
  }
  return { rows, details };
}
