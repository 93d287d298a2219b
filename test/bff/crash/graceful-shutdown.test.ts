import { afterEach, expect, test } from 'vitest';
import { json, startLoopback, type LoopbackServer } from '../erp/loopback';
import { PAYER, erpBody } from '../observability/support';
import { killAll, processConfig, startServer, tempWorkspace, type TempWorkspace } from './server-process';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  killAll();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

test('SIGTERM drains the request in flight: it completes with 200, new connections are refused, the process exits 0', async () => {
  // An ERP that takes a second to answer, so the lookup is still in flight when the signal arrives.
  let reached!: () => void;
  const erpReached = new Promise<void>((resolve) => (reached = resolve));
  const erp: LoopbackServer = await startLoopback((_req, res) => {
    reached();
    setTimeout(() => json(res, 200, erpBody), 1000);
  });
  cleanups.push(() => erp.close());
  const workspace: TempWorkspace = tempWorkspace(
    processConfig({ erpUrl: `${erp.origin}/get-recaudas`, webhookUrl: 'http://127.0.0.1:9/hooks' }),
  );
  cleanups.push(() => workspace.cleanup());

  const server = await startServer(workspace);
  expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);

  const started = Date.now();
  const lookup = fetch(`${server.origin}/api/v1/merchants/acme/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: PAYER.id }),
  });
  await erpReached;
  server.child.kill('SIGTERM');
  // Give the signal a moment to land, then knock again: the listener is closed.
  await new Promise((r) => setTimeout(r, 200));
  await expect(fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();

  const res = await lookup;
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { ref: string }[] };
  expect(body.items.map((i) => i.ref).sort()).toEqual(['ADM-03', 'FE-1043']);
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);

  const answered = Date.now();
  const exit = await Promise.race([
    server.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the server did not exit in 8 s')), 8000),
    ),
  ]);
  expect(exit, server.output()).toEqual({ code: 0, signal: null });
  // Promptly: idle keep-alive connections (this client keeps its sockets open) do not hold the exit back.
  expect(Date.now() - answered).toBeLessThan(2000);
  const log = server.output();
  expect(log).toContain('"shutting down: draining in-flight requests"');
  expect(log).toContain('"bye"');
  // The drained request was logged with its id before the process went away.
  const line = log
    .split('\n')
    .filter((l) => l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.route === '/api/v1/merchants/:merchantId/lookup');
  expect(line).toMatchObject({ status: 200, requestId: res.headers.get('x-request-id') });
}, 30_000);
