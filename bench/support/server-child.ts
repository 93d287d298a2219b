import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { startBff } from './bff';
import { onParentMessage, sendToParent } from './children';
import { startConfirmServer, type ConfirmServer } from './confirm-server';
import { startEssential } from './essential';
import { startFakeErp } from './fake-erp';
import { startProxy } from './proxy';

/**
 * One server of the lookup benchmarks in its own process: `erp <items> <delayMs> [<fromId>:<items>]`,
 * `bff <erpPort> [sqlite|postgres] [maxBytes]`, `essential <erpPort> [maxBytes]`, `proxy <erpPort>`,
 * `proxy-json <erpPort>` or `charges <erpPort> [sqlite|postgres]` (the BFF with no ERP answer cache, whose
 * store the parent seeds with charges: `seed-charges`, `count-charges`). Reports its port, its ERP call counts (erp), and between two marks its CPU time,
 * the bytes it allocated (freed by each GC plus the growth of the heap: V8's GC profiler) and the GC time,
 * and its memory.
 */
const [role, a, b, c] = process.argv.slice(2);
const optionalNumber = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));

async function main() {
  let close: () => Promise<void>;
  let calls: (() => unknown) | null = null;
  let reset: (() => void) | null = null;
  let setItems: ((items: number) => number) | null = null;
  let seedCharges: ((payers: string[], perPayer: number) => Promise<number>) | null = null;
  let countCharges: (() => Promise<number>) | null = null;
  let port: number;
  let bytes: number | null = null;
  let confirm: ConfirmServer | null = null;
  if (role === 'erp') {
    // `erp <items> <delayMs> [<fromId>:<items>]`: ids from fromId on get the second item count.
    const [fromId, fromItems] = (c ?? '').split(':').map(Number);
    const erp = await startFakeErp({
      items: Number(a ?? 50),
      delayMs: Number(b ?? 0),
      ...(fromId && fromItems ? { from: { id: fromId, items: fromItems } } : {}),
    });
    ({ port, bytes } = erp);
    close = erp.close;
    calls = erp.calls;
    reset = erp.reset;
    setItems = erp.setItems;
  } else if (role === 'bff') {
    const maxBytes = optionalNumber(c);
    ({ port, close } = await startBff(Number(a), {
      engine: b === 'postgres' ? 'postgres' : 'sqlite',
      ...(maxBytes === undefined ? {} : { maxBytes }),
    }));
  } else if (role === 'charges') {
    // Payers are asked again and again (their charges are seeded), so the 2 s ERP answer cache is off:
    // every lookup pays for its ERP call, as a fresh id does in the lookup rows.
    const bff = await startBff(Number(a), {
      engine: b === 'postgres' ? 'postgres' : 'sqlite',
      cacheTtlMs: 0,
    });
    ({ port, close } = bff);
    seedCharges = (payers, perPayer) => bff.seedCharges(payers, perPayer);
    countCharges = () => bff.countCharges();
  } else if (role === 'essential') {
    const maxBytes = optionalNumber(b);
    ({ port, close } = await startEssential(Number(a), maxBytes === undefined ? {} : { maxBytes }));
  } else if (role === 'confirm') {
    confirm = await startConfirmServer(a === 'postgres' ? 'postgres' : 'sqlite', Number(b ?? 1000));
    ({ port, close } = confirm);
  } else if (role === 'noop') {
    ({ port, close } = await startNoop());
  } else if (role === 'proxy' || role === 'proxy-json') {
    ({ port, close } = await startProxy(Number(a), { json: role === 'proxy-json' }));
  } else {
    throw new Error(`unknown role ${role}`);
  }

  let mark = process.cpuUsage();
  let gc: v8.GCProfiler | null = null;
  let heapAtMark = 0;
  let profiler: Session | null = null;
  onParentMessage(async (m) => {
    switch (m.type) {
      case 'calls':
        sendToParent({ type: 'calls', calls: calls?.() ?? null });
        break;
      case 'reset':
        reset?.();
        sendToParent({ type: 'reset' });
        break;
      // A CPU profile of the steady state only (start-up, module loading and warm-up left out).
      case 'profile-start':
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
        await profiler.post('Profiler.start');
        sendToParent({ type: 'profile-start' });
        break;
      case 'profile-stop': {
        const { profile } = (await profiler?.post('Profiler.stop')) ?? { profile: null };
        profiler?.disconnect();
        profiler = null;
        if (profile) writeFileSync(String(m.file), JSON.stringify(profile));
        sendToParent({ type: 'profile-stop' });
        break;
      }
      case 'seed-charges':
        sendToParent({
          type: 'seed-charges',
          created: (await seedCharges?.(m.payers as string[], Number(m.perPayer))) ?? 0,
        });
        break;
      case 'count-charges':
        sendToParent({ type: 'count-charges', count: (await countCharges?.()) ?? null });
        break;
      case 'verdict':
        sendToParent({ type: 'verdict', verdict: confirm ? await confirm.verdict() : null });
        break;
      case 'items':
        sendToParent({ type: 'items', bytes: setItems?.(Number(m.items)) ?? null });
        break;
      case 'cpu-mark':
        gc?.stop();
        gc = new v8.GCProfiler();
        gc.start();
        heapAtMark = v8.getHeapStatistics().used_heap_size;
        mark = process.cpuUsage();
        sendToParent({ type: 'cpu-mark' });
        break;
      case 'cpu': {
        const d = process.cpuUsage(mark);
        const stats = gc?.stop()?.statistics ?? [];
        gc = null;
        let freed = 0;
        let gcUs = 0;
        for (const s of stats) {
          freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
          gcUs += s.cost;
        }
        const mem = process.memoryUsage();
        sendToParent({
          type: 'cpu',
          userMs: d.user / 1000,
          systemMs: d.system / 1000,
          allocatedMB: (freed + v8.getHeapStatistics().used_heap_size - heapAtMark) / 1e6,
          gcMs: gcUs / 1000,
          heapMB: mem.heapUsed / 1e6,
          rssMB: mem.rss / 1e6,
        });
        break;
      }
      case 'stop':
        await close();
        // A normal exit, so --cpu-prof writes its profile.
        process.exit(0);
    }
  });
  sendToParent({
    type: 'ready',
    port,
    bytes,
    ...(confirm ? { path: confirm.path, forms: confirm.forms, checkoutMs: confirm.checkoutMs } : {}),
  });
}

async function startNoop(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }).end('OK'));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

main().catch((err: unknown) => {
  sendToParent({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
