import { startBff } from './bff';
import { onParentMessage, sendToParent } from './children';
import { startFakeErp } from './fake-erp';
import { startProxy } from './proxy';

/**
 * One server of the lookup benchmarks in its own process: `erp <items> <delayMs>`, `bff <erpPort>`,
 * `proxy <erpPort>` or `proxy-json <erpPort>`. Reports its port, its ERP call counts (erp), its CPU time between two marks and its memory.
 */
const [role, a, b] = process.argv.slice(2);

async function main() {
  let close: () => Promise<void>;
  let calls: (() => unknown) | null = null;
  let reset: (() => void) | null = null;
  let port: number;
  let bytes: number | null = null;
  if (role === 'erp') {
    const erp = await startFakeErp({ items: Number(a ?? 50), delayMs: Number(b ?? 0) });
    ({ port, bytes } = erp);
    close = erp.close;
    calls = erp.calls;
    reset = erp.reset;
  } else if (role === 'bff') {
    ({ port, close } = await startBff(Number(a)));
  } else if (role === 'proxy' || role === 'proxy-json') {
    ({ port, close } = await startProxy(Number(a), { json: role === 'proxy-json' }));
  } else {
    throw new Error(`unknown role ${role}`);
  }

  let mark = process.cpuUsage();
  onParentMessage(async (m) => {
    switch (m.type) {
      case 'calls':
        sendToParent({ type: 'calls', calls: calls?.() ?? null });
        break;
      case 'reset':
        reset?.();
        sendToParent({ type: 'reset' });
        break;
      case 'cpu-mark':
        mark = process.cpuUsage();
        sendToParent({ type: 'cpu-mark' });
        break;
      case 'cpu': {
        const d = process.cpuUsage(mark);
        const mem = process.memoryUsage();
        sendToParent({
          type: 'cpu',
          userMs: d.user / 1000,
          systemMs: d.system / 1000,
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
  sendToParent({ type: 'ready', port, bytes });
}

main().catch((err: unknown) => {
  sendToParent({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
