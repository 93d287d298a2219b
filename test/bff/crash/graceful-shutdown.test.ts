import { request as httpRequest, Agent } from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { json, startLoopback, type LoopbackServer } from '../erp/loopback';
import { PAYER, erpBody } from '../observability/support';
import {
  killAll,
  processConfig,
  startServer,
  tempWorkspace,
  type ServerProcess,
  type TempWorkspace,
} from './server-process';

/**
 * The real server process and its signals (issue 17). No step waits a fixed time: each waits for the event
 * it needs (the ERP reached, a log line, a refused connection). "Within the drain limit" is read from the
 * exit itself: past the limit the server forces exit code 1, and its watchdog SIGKILLs it after that, so an
 * exit with code 0 and no signal is a clean exit before the limit.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  killAll();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/**
 * An ERP whose answers the test releases, so a lookup stays in flight exactly as long as needed, and the
 * workspace (config + SQLite) of a server that reads it.
 */
async function heldErp(): Promise<{ workspace: TempWorkspace; reached: Promise<void>; release(): void }> {
  let reached!: () => void;
  const reachedP = new Promise<void>((resolve) => (reached = resolve));
  const waiting: (() => void)[] = [];
  let released = false;
  const erp: LoopbackServer = await startLoopback((_req, res) => {
    const answer = () => json(res, 200, erpBody);
    reached();
    if (released) answer();
    else waiting.push(answer);
  });
  cleanups.push(() => erp.close());
  const workspace: TempWorkspace = tempWorkspace(
    processConfig({ erpUrl: `${erp.origin}/get-recaudas`, webhookUrl: 'http://127.0.0.1:9/hooks' }),
  );
  cleanups.push(() => workspace.cleanup());
  return {
    workspace,
    reached: reachedP,
    release: () => {
      released = true;
      for (const answer of waiting.splice(0)) answer();
    },
  };
}

function lookup(server: ServerProcess, init: { agent?: Agent } = {}) {
  return new Promise<{ status: number; body: string; requestId: string | undefined }>((resolve, reject) => {
    const req = httpRequest(
      `${server.origin}/api/v1/merchants/acme/lookup`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, ...init },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (s: string) => (body += s));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, requestId: res.headers['x-request-id'] as string }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ idNumber: PAYER.id }));
  });
}

/** Resolves once a new connection to the server is refused (its listener is closed). */
async function listenerClosed(server: ServerProcess): Promise<void> {
  for (;;) {
    const refused = await fetch(`${server.origin}/healthz`).then(
      () => false,
      () => true,
    );
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The log reader goes away: the parent closes its ends of the child's stdout and stderr. */
function loseLogReader(server: ServerProcess): void {
  server.child.stdout!.destroy();
  server.child.stderr!.destroy();
}

test('SIGTERM drains the request in flight: it completes with 200, new connections are refused, the process exits 0', async () => {
  const erp = await heldErp();
  const server = await startServer(erp.workspace);
  expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);

  // A keep-alive connection: once its response is written it goes idle, and must not hold the exit back.
  const agent = new Agent({ keepAlive: true });
  cleanups.push(() => agent.destroy());
  const inFlight = lookup(server, { agent });
  await erp.reached;
  server.child.kill('SIGTERM');
  await server.waitForOutput('"shutting down: draining in-flight requests"');
  // The line is written just before close(): from here on the listener refuses new connections.
  await expect(fetch(`${server.origin}/healthz`)).rejects.toThrow();

  erp.release();
  const res = await inFlight;
  expect(res.status).toBe(200);
  const body = JSON.parse(res.body) as { items: { ref: string }[] };
  expect(body.items.map((i) => i.ref).sort()).toEqual(['ADM-03', 'FE-1043']);

  const answered = Date.now();
  const exit = await server.exited;
  expect(exit, server.output()).toEqual({ code: 0, signal: null });
  // Node's keep-alive timeout (5 s) would close the idle connection by itself; the server does it at once.
  expect(Date.now() - answered).toBeLessThan(5000);
  const log = server.output();
  expect(log).toContain('"bye"');
  // The drained request was logged with its id before the process went away.
  const line = log
    .split('\n')
    .filter((l) => l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.route === '/api/v1/merchants/:merchantId/lookup');
  expect(line).toMatchObject({ status: 200, requestId: res.requestId });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} ends the process when the log reader is gone (no write to the dead pipe can block the exit)`, async () => {
    const server = await startServer((await heldErp()).workspace);
    loseLogReader(server);
    server.child.kill(signal);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
}

test('SIGTERM with the log reader gone and a request in flight: the request completes, then the process exits 0', async () => {
  const erp = await heldErp();
  const server = await startServer(erp.workspace);
  const inFlight = lookup(server);
  await erp.reached;
  loseLogReader(server);
  server.child.kill('SIGTERM');
  // Shutting down (no log to read any more): the listener refuses new connections, the lookup still waits.
  await listenerClosed(server);
  erp.release();
  const res = await inFlight;
  expect(res.status).toBe(200);
  expect((JSON.parse(res.body) as { items: unknown[] }).items).toHaveLength(2);
  expect(await server.exited).toEqual({ code: 0, signal: null });
});

test('losing the log reader while running takes nothing down: every later request is answered (EPIPE is survivable)', async () => {
  const erp = await heldErp();
  erp.release();
  const server = await startServer(erp.workspace);
  loseLogReader(server);
  // Each request writes a log line into the dead pipe; the first one meets EPIPE.
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) statuses.push((await lookup(server)).status);
  const health = await Promise.all(
    Array.from({ length: 20 }, () => fetch(`${server.origin}/healthz`).then((r) => r.status)),
  );
  expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
  expect(health).toEqual(Array.from({ length: 20 }, () => 200));
  expect(server.child.exitCode).toBeNull();
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
});
