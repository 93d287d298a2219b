import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { calendarDateIn } from '../shared/dates';
import { postgresUnreachable } from './support/bff';
import { benchChargeBody } from './support/charge-payload';
import { BenchChild, type ChildMessage } from './support/children';
import { passIf, type BenchContext, type BenchResult, type Row } from './support/context';
import { LoadGenerator, type LoadResult, type RequestSpec } from './support/load';
import { hotSpots } from './support/profile';
import { int, median, ms } from './support/stats';

/**
 * Merchant charges (issue 12, docs/spec/merchant-charges.md):
 *
 * Row 9, the lookup merge. One BFF (the real app, cached ERP client with its 2 s answer cache off, since the
 * same payers are asked again and again) and the loopback fake ERP answering 50 items for every id. Half the
 * payers also have 50 pushed charges each, seeded through the charge service; the other half have none. The
 * kinds of lookup take turns on the same server in the same run (closed loop, 32 connections, median of
 * the rounds): the cost of a lookup that merges 50 ERP items and 50 charges against an ERP-only lookup of
 * 50 items (the issue's comparison: the merged answer is twice as large) and of 100 items (the same answer
 * size: what charges cost as a source of items against the ERP), as server CPU per lookup and throughput.
 * SQLite, then PostgreSQL.
 *
 * Row 10, creating charges: 1,000 `POST /v1/merchant/transaction` through the API on PostgreSQL (16
 * connections, each charge its own payer, its webhook row written in the same transaction): charges/s and
 * latency.
 */

const ERP_ITEMS = 50;
const CHARGES_PER_PAYER = 50;
const CONNECTIONS = 32;
const CREATE_CONNECTIONS = 16;
const LOOKUP_PATH = '/api/v1/merchants/bench/lookup';
const MERGED_IDS = 30_000_000;
const ERP_ONLY_IDS = 40_000_000;
/** From here on the fake ERP answers twice as many items: an ERP-only answer as large as the merged one. */
const ERP_DOUBLE_IDS = 45_000_000;
const CREATE_IDS = 50_000_000;
const API_TOKEN = 'bench-api-token-0123456789';

interface Server {
  readonly child: BenchChild;
  readonly port: number;
}

interface Cpu extends ChildMessage {
  type: 'cpu';
  userMs: number;
  systemMs: number;
}

async function startServer(args: string[]): Promise<Server> {
  const child = new BenchChild('./server-child.ts', args);
  const ready = await child.waitFor<{ type: 'ready'; port: number }>('ready', 60_000);
  return { child, port: ready.port };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

type SideName = 'erpOnly' | 'erpDouble' | 'merged';
const SIDES: readonly SideName[] = ['erpOnly', 'erpDouble', 'merged'];
const SIDE_LABEL: Record<SideName, string> = {
  erpOnly: `${ERP_ITEMS} ERP items`,
  erpDouble: `${2 * ERP_ITEMS} ERP items`,
  merged: `${ERP_ITEMS} ERP items + ${CHARGES_PER_PAYER} charges`,
};

interface Side {
  readonly rps: number;
  readonly cpuUs: number;
  readonly p50: number;
  readonly bytes: number;
  readonly failed: number;
}

/** The ERP-only and the merged lookup on one server, taking turns; the median round of each. */
async function mergeRatio(
  ctx: BenchContext,
  engine: 'sqlite' | 'postgres',
  server: Server,
  gen: LoadGenerator,
  payers: number,
  details: string[],
): Promise<Record<SideName, Side>> {
  const quick = ctx.quick;
  const runMs = quick ? 700 : 4000;
  const warmMs = quick ? 200 : 1000;
  const rounds = quick ? 1 : 3;
  const ids = (start: number) => Array.from({ length: payers }, (_, i) => String(start + i));
  const seedStart = performance.now();
  const seeded = await server.child.request<{ type: 'seed-charges'; created: number }>(
    { type: 'seed-charges', payers: ids(MERGED_IDS), perPayer: CHARGES_PER_PAYER },
    'seed-charges',
    600_000,
  );
  details.push(
    `${engine}: seeded ${int(seeded.created)} charges (${payers} payers × ${CHARGES_PER_PAYER}) through the charge service in ${ms(performance.now() - seedStart, 0)}`,
  );

  // Both lookups must really do their work: 50 ERP items, and 50 ERP items + 50 charges.
  for (const [id, want, charges] of [
    [String(MERGED_IDS), ERP_ITEMS + CHARGES_PER_PAYER, CHARGES_PER_PAYER],
    [String(ERP_ONLY_IDS), ERP_ITEMS, 0],
    [String(ERP_DOUBLE_IDS), 2 * ERP_ITEMS, 0],
  ] as const) {
    const res = await fetch(`http://127.0.0.1:${server.port}${LOOKUP_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: id }),
    });
    const answer = (await res.json()) as { items?: { source: string }[]; skipped?: number };
    const got = answer.items?.filter((i) => i.source === 'charge').length ?? 0;
    if (res.status !== 200 || answer.items?.length !== want || got !== charges || answer.skipped !== 0) {
      throw new Error(
        `charges probe (${engine}): status ${res.status}, ${answer.items?.length ?? 0} items, ${got} charges`,
      );
    }
  }

  const spec = (idStart: number): RequestSpec => ({
    port: server.port,
    method: 'POST',
    path: LOOKUP_PATH,
    body: '{"idNumber":"{id}"}',
    idStart,
    idCount: payers,
  });
  const sides: Record<SideName, RequestSpec> = {
    erpOnly: spec(ERP_ONLY_IDS),
    erpDouble: spec(ERP_DOUBLE_IDS),
    merged: spec(MERGED_IDS),
  };
  const runs: Record<SideName, Side[]> = { erpOnly: [], erpDouble: [], merged: [] };
  const profDir = ctx.profileDir ? join(ctx.profileDir, `charges-${engine}`) : null;
  if (profDir) mkdirSync(profDir, { recursive: true });
  for (let round = 1; round <= rounds; round++) {
    for (const side of SIDES) {
      const job = (durationMs: number) =>
        gen.run({
          kind: 'closed',
          spec: sides[side],
          concurrency: CONNECTIONS,
          durationMs,
          maxRequests: 1e6,
        });
      await job(warmMs);
      const profiled = profDir !== null && round === 1;
      if (profiled) await server.child.request({ type: 'profile-start' }, 'profile-start', 10_000);
      await server.child.request({ type: 'cpu-mark' }, 'cpu-mark', 10_000);
      const r: LoadResult = await job(runMs);
      const c = await server.child.request<Cpu>({ type: 'cpu' }, 'cpu', 10_000);
      if (profiled) {
        const file = join(profDir, `${side}.cpuprofile`);
        await server.child.request({ type: 'profile-stop', file }, 'profile-stop', 30_000);
        details.push(`${engine} ${side} CPU profile (round 1):`, ...hotSpots(file, 15));
      }
      const s: Side = {
        rps: r.rps,
        cpuUs: ((c.userMs + c.systemMs) * 1000) / Math.max(1, r.ok),
        p50: r.latency.p50,
        bytes: r.meanBytes,
        failed: r.failed,
      };
      runs[side].push(s);
      details.push(
        `${engine} ${SIDE_LABEL[side]} (round ${round}): ${int(r.rps)} req/s, ok ${int(r.ok)}/${int(r.sent)}, cpu ${int(s.cpuUs)} µs/lookup, p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, body ${int(r.meanBytes)} B${r.failed > 0 ? `, statuses ${JSON.stringify(r.statuses)}` : ''}`,
      );
    }
  }
  const med = (list: Side[]): Side => ({
    rps: median(list.map((s) => s.rps)),
    cpuUs: median(list.map((s) => s.cpuUs)),
    p50: median(list.map((s) => s.p50)),
    bytes: median(list.map((s) => s.bytes)),
    failed: list.reduce((n, s) => n + s.failed, 0),
  });
  return { erpOnly: med(runs.erpOnly), erpDouble: med(runs.erpDouble), merged: med(runs.merged) };
}

function mergeRows(engine: string, m: Record<SideName, Side>): Omit<Row, 'load'>[] {
  const failed = m.merged.failed + m.erpOnly.failed + m.erpDouble.failed;
  const failNote = failed > 0 ? `; ${int(failed)} failed requests` : '';
  const cpuRow = (base: Side, items: number): Omit<Row, 'load'> => ({
    name: `9 Lookup ${ERP_ITEMS} ERP + ${CHARGES_PER_PAYER} charges ÷ ERP ${items}, CPU (${engine})`,
    measured: `${ratio(m.merged.cpuUs, base.cpuUs)} (${int(m.merged.cpuUs)} vs ${int(base.cpuUs)} µs per lookup)${failNote}`,
    target: '≤ 1.2×',
    status: passIf(m.merged.cpuUs / base.cpuUs <= 1.2 && failed === 0),
  });
  return [
    cpuRow(m.erpOnly, ERP_ITEMS),
    cpuRow(m.erpDouble, 2 * ERP_ITEMS),
    {
      name: `9 Lookup req/s, merged / ERP ${ERP_ITEMS} / ERP ${2 * ERP_ITEMS} (${engine})`,
      measured: `${int(m.merged.rps)} / ${int(m.erpOnly.rps)} / ${int(m.erpDouble.rps)} req/s; p50 ${ms(m.merged.p50, 1)} / ${ms(m.erpOnly.p50, 1)} / ${ms(m.erpDouble.p50, 1)}`,
      target: '—',
      status: 'info',
    },
  ];
}

export async function charges(ctx: BenchContext): Promise<BenchResult> {
  const quick = ctx.quick;
  const payers = quick ? 10 : 100;
  const creates = quick ? 100 : 1_000;
  const details: string[] = [];
  const rows: Row[] = [];
  const pgDown = await postgresUnreachable();
  const erp = await startServer(['erp', String(ERP_ITEMS), '0', `${ERP_DOUBLE_IDS}:${2 * ERP_ITEMS}`]);
  const servers: Server[] = [erp];
  const gen = new LoadGenerator();
  try {
    await gen.ready();
    for (const engine of ['sqlite', 'postgres'] as const) {
      if (engine === 'postgres' && pgDown) continue;
      const server = await startServer(['charges', String(erp.port), engine]);
      servers.push(server);
      ctx.log(`charges: lookup merge on ${engine}, ${payers} payers, ${CONNECTIONS} connections`);
      const window = ctx.loadWindow();
      const m = await mergeRatio(ctx, engine, server, gen, payers, details);
      const load = window();
      rows.push(...mergeRows(engine === 'sqlite' ? 'SQLite' : 'PostgreSQL', m).map((r) => ({ ...r, load })));
      if (engine === 'sqlite') {
        await server.child.stop();
        continue;
      }

      // 1,000 creates through the API, each for a payer of its own.
      ctx.log(`charges: ${creates} creates on PostgreSQL, ${CREATE_CONNECTIONS} connections`);
      const today = calendarDateIn('America/Bogota', new Date());
      const spec: RequestSpec = {
        port: server.port,
        method: 'POST',
        path: '/v1/merchant/transaction',
        body: JSON.stringify(benchChargeBody(1, '{id}', today)),
        headers: { 'x-auth-token': API_TOKEN },
        okStatus: 201,
      };
      const before = await server.child.request<{ type: 'count-charges'; count: number }>(
        { type: 'count-charges' },
        'count-charges',
        60_000,
      );
      const createWindow = ctx.loadWindow();
      // Warm-up: connections, statements and JIT (not counted).
      await gen.run({
        kind: 'closed',
        spec: { ...spec, idStart: CREATE_IDS },
        concurrency: CREATE_CONNECTIONS,
        durationMs: 60_000,
        maxRequests: 50,
      });
      const r = await gen.run({
        kind: 'closed',
        spec: { ...spec, idStart: CREATE_IDS + 1_000 },
        concurrency: CREATE_CONNECTIONS,
        durationMs: 300_000,
        maxRequests: creates,
      });
      const createLoad = createWindow();
      const after = await server.child.request<{ type: 'count-charges'; count: number }>(
        { type: 'count-charges' },
        'count-charges',
        60_000,
      );
      const stored = after.count - before.count;
      details.push(
        `postgres creates: ${int(r.ok)}/${int(r.sent)} answered 201 in ${ms(r.elapsedMs, 0)}, ${int(stored)} charges stored (50 warm-up included), p50 ${ms(r.latency.p50)}, p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}${r.failed > 0 ? `, statuses ${JSON.stringify(r.statuses)}` : ''}`,
      );
      const ok = r.failed === 0 && r.ok === creates && stored === creates + 50;
      rows.push({
        name: `10 Create ${int(creates)} charges through the API (PostgreSQL)`,
        measured: `${int(r.rps)} charges/s; p50 ${ms(r.latency.p50, 1)}, p99 ${ms(r.latency.p99, 1)}${ok ? '' : `; ${int(r.failed)} failed, ${int(stored)} stored`}`,
        target: 'report',
        status: ok ? 'info' : 'FAIL',
        load: createLoad,
      });
    }
    if (pgDown) {
      rows.push({
        name: '9/10 Charges on PostgreSQL',
        measured: `skipped: PostgreSQL unreachable at BENCH_DATABASE_URL (${pgDown})`.slice(0, 110),
        target: '—',
        status: 'skipped',
      });
    }
    return { rows, details };
  } finally {
    await gen.stop();
    await Promise.all(servers.map((s) => s.child.stop()));
  }
}
