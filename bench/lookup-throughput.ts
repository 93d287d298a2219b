import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchChild } from './support/children';
import { passIf, type BenchContext, type BenchResult } from './support/context';
import { LoadGenerator, type LoadResult, type RequestSpec } from './support/load';
import { hotSpots, mainProfileIn } from './support/profile';
import { int, median, ms, signedMs } from './support/stats';

/**
 * Row 1. The BFF's lookup route, served over HTTP, against a bare node:http passthrough proxy to the same
 * loopback ERP (a 50-item payload), in the same run. Four processes: the fake ERP, the BFF, the proxy and the
 * load generator (the BFF and the proxy take turns; the idle one only listens). Every request asks for a
 * different id number, so single flight never merges two lookups and nothing is served from memory.
 */

const ITEMS = 50;
const RATE = 300;

interface Server {
  readonly child: BenchChild;
  readonly port: number;
}

async function startServer(args: string[], cpuProfDir: string | null = null): Promise<Server> {
  const child = new BenchChild('./server-child.ts', args, { cpuProfDir });
  const ready = await child.waitFor<{ type: 'ready'; port: number }>('ready', 30_000);
  return { child, port: ready.port };
}

let nextId = 10_000_000;
/** A fresh block of id numbers per run: no id is ever asked twice in one bench. */
const fresh = (spec: Omit<RequestSpec, 'idStart'>): RequestSpec => {
  const idStart = nextId;
  nextId += 2_000_000;
  return { ...spec, idStart };
};

const fmtRun = (label: string, r: LoadResult, cpuUsPerReq?: number) =>
  `${label.padEnd(28)} ${int(r.rps).padStart(6)} req/s  ok ${int(r.ok)}/${int(r.sent)}  p50 ${ms(r.latency.p50)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}` +
  (cpuUsPerReq === undefined ? '' : `  cpu ${int(cpuUsPerReq)} µs/req`) +
  (r.maxLagMs > 0 ? `  gen lag ≤ ${ms(r.maxLagMs)}` : '') +
  (r.failed > 0 ? `  statuses ${JSON.stringify(r.statuses)}` : '');

export async function lookupThroughput(ctx: BenchContext): Promise<BenchResult> {
  const quick = ctx.quick;
  const concurrency = 32;
  const closedMs = quick ? 700 : 5000;
  const warmMs = quick ? 200 : 2000;
  const openMs = quick ? 1000 : 10_000;
  const rounds = quick ? 1 : 3;
  const profDir = ctx.profileDir ? join(ctx.profileDir, 'lookup-bff') : null;
  if (profDir) mkdirSync(profDir, { recursive: true });

  const details: string[] = [];
  const erp = await startServer(['erp', String(ITEMS), '0']);
  const servers: Server[] = [erp];
  const gen = new LoadGenerator();
  try {
    const [bff, proxy, jsonProxy] = await Promise.all([
      startServer(['bff', String(erp.port)], profDir),
      startServer(['proxy', String(erp.port)]),
      startServer(['proxy-json', String(erp.port)]),
      gen.ready(),
    ]);
    servers.push(bff, proxy, jsonProxy);

    const body = '{"idNumber":"{id}"}';
    const specs = {
      erp: { port: erp.port, method: 'GET', path: '/get-recaudas?id_number={id}' },
      proxy: { port: proxy.port, method: 'POST', path: '/lookup', body },
      jsonProxy: { port: jsonProxy.port, method: 'POST', path: '/lookup', body },
      bff: { port: bff.port, method: 'POST', path: '/api/v1/merchants/bench/lookup', body },
    } as const;

    // The BFF must really price the 50 items (not answer an error fast).
    const probe = await fetch(`http://127.0.0.1:${bff.port}/api/v1/merchants/bench/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: '900373923' }),
    });
    const answer = (await probe.json()) as { items?: unknown[]; skipped?: number };
    if (probe.status !== 200 || answer.items?.length !== ITEMS || answer.skipped !== 0) {
      throw new Error(`BFF probe: status ${probe.status}, ${answer.items?.length ?? 0} items`);
    }

    const cpuOf = async (s: Server, run: () => Promise<LoadResult>) => {
      await s.child.request({ type: 'cpu-mark' }, 'cpu-mark', 5000);
      const r = await run();
      const cpu = await s.child.request<{
        type: 'cpu';
        userMs: number;
        systemMs: number;
        heapMB: number;
        rssMB: number;
      }>({ type: 'cpu' }, 'cpu', 5000);
      return { r, cpuUs: ((cpu.userMs + cpu.systemMs) * 1000) / Math.max(1, r.ok), mem: cpu };
    };
    const closed = (spec: Omit<RequestSpec, 'idStart'>, durationMs: number) =>
      gen.run({ kind: 'closed', spec: fresh(spec), concurrency, durationMs, maxRequests: 2_000_000 });
    const open = (spec: Omit<RequestSpec, 'idStart'>, durationMs: number) =>
      gen.run({ kind: 'open', spec: fresh(spec), rate: RATE, durationMs, maxInFlight: 256 });

    // Closed loop: maximum throughput at `concurrency` connections, BFF and proxy alternating.
    ctx.log(`lookup: closed loop, ${concurrency} connections, ${closedMs} ms per run, ${rounds} round(s)`);
    await closed(specs.erp, warmMs);
    const erpMax = await cpuOf(erp, () => closed(specs.erp, closedMs));
    details.push(fmtRun('ERP direct (closed)', erpMax.r, erpMax.cpuUs));
    const proxyRps: number[] = [];
    const bffRps: number[] = [];
    let bffMem = { heapMB: 0, rssMB: 0 };
    for (let round = 1; round <= rounds; round++) {
      await closed(specs.proxy, warmMs);
      const p = await cpuOf(proxy, () => closed(specs.proxy, closedMs));
      details.push(fmtRun(`proxy (closed, round ${round})`, p.r, p.cpuUs));
      await closed(specs.bff, warmMs);
      const b = await cpuOf(bff, () => closed(specs.bff, closedMs));
      details.push(fmtRun(`BFF (closed, round ${round})`, b.r, b.cpuUs));
      if (p.r.failed > 0 || b.r.failed > 0) throw new Error('lookup: failed requests in the closed loop');
      proxyRps.push(p.r.rps);
      bffRps.push(b.r.rps);
      bffMem = b.mem;
    }
    // For the details: the floor of any BFF that reads the answer (parse + serialise, nothing else).
    await closed(specs.jsonProxy, warmMs);
    const j = await cpuOf(jsonProxy, () => closed(specs.jsonProxy, closedMs));
    details.push(fmtRun('JSON.parse+stringify proxy', j.r, j.cpuUs));
    await jsonProxy.child.stop();
    details.push(
      `BFF memory after the closed loop: heap ${bffMem.heapMB.toFixed(0)} MB, RSS ${bffMem.rssMB.toFixed(0)} MB`,
    );
    // The median round of each: one round disturbed by another process does not decide the ratio.
    const ratio = median(bffRps) / median(proxyRps);

    // Open loop: latency at a fixed 300 lookups/s, each target on its own.
    ctx.log(`lookup: open loop, ${RATE}/s for ${openMs} ms per target`);
    const openRun = async (label: string, spec: Omit<RequestSpec, 'idStart'>) => {
      await open(spec, warmMs);
      const r = await open(spec, openMs);
      details.push(fmtRun(`${label} (open ${RATE}/s)`, r));
      if (r.failed > 0) throw new Error(`lookup: ${label}: ${r.failed} failed requests at ${RATE}/s`);
      return r;
    };
    const erpLat = await openRun('ERP direct', specs.erp);
    const proxyLat = await openRun('proxy', specs.proxy);
    const bffLat = await openRun('BFF', specs.bff);
    const added = (r: LoadResult, p: 'p50' | 'p99') => r.latency[p] - erpLat.latency[p];

    await bff.child.stop();
    const profile = profDir ? mainProfileIn(profDir) : null;
    if (profile) details.push('BFF CPU profile (whole life of the BFF process):', ...hotSpots(profile));

    return {
      rows: [
        {
          name: '1 Lookup throughput, BFF ÷ proxy',
          measured: `${ratio.toFixed(2)}× (${int(median(bffRps))} vs ${int(median(proxyRps))} req/s)`,
          target: '≥ 0.80×',
          status: passIf(ratio >= 0.8),
        },
        {
          name: `1 Lookup added p50 @ ${RATE}/s`,
          measured: `${signedMs(added(bffLat, 'p50'))} (proxy ${signedMs(added(proxyLat, 'p50'))})`,
          target: '—',
          status: 'info',
        },
        {
          name: `1 Lookup added p99 @ ${RATE}/s`,
          measured: `${signedMs(added(bffLat, 'p99'))} (proxy ${signedMs(added(proxyLat, 'p99'))})`,
          target: '≤ 5 ms',
          status: passIf(added(bffLat, 'p99') <= 5),
        },
      ],
      details,
    };
  } finally {
    await gen.stop();
    await Promise.all(servers.map((s) => s.child.stop()));
  }
}
