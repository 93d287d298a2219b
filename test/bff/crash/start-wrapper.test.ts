import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { startLoopback } from '../erp/loopback';
import { PAYER } from '../observability/support';
import { processConfig, tempWorkspace } from './server-process';

/**
 * `npm start`'s wrapper (scripts/start.mjs) around the real server. It runs in a temp directory that links
 * the repo's code and holds a ready dist/web, so the wrapper has nothing to build.
 */

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const cleanups: (() => unknown)[] = [];
const live = new Set<ChildProcess>();
afterEach(async () => {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Wrapper {
  readonly child: ChildProcess;
  output(): string;
  /** The address the wrapper printed ("Open http://…"). */
  readonly url: Promise<string>;
  waitForOutput(text: string): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWrapper(env: NodeJS.ProcessEnv): Wrapper {
  const dir = mkdtempSync(join(tmpdir(), 'saldo-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const entry of ['bff', 'shared', 'node_modules', 'package.json', 'tsconfig.json']) {
    symlinkSync(join(REPO, entry), join(dir, entry));
  }
  mkdirSync(join(dir, 'dist/web'), { recursive: true });
  writeFileSync(
    join(dir, 'dist/web/index.html'),
    '<!doctype html><html><head></head><body>spa</body></html>',
  );
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir, 'saldo.db')}`,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    ...env,
  };
  for (const name of ['REDIS_URL', 'PUBLIC_URL', ...(env.SALDO_CONFIG ? [] : ['SALDO_CONFIG'])]) {
    delete fullEnv[name];
  }
  const child = spawn(process.execPath, [join(REPO, 'scripts/start.mjs')], {
    cwd: dir,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (s: string) => {
    out += s;
    for (const fn of listeners) fn();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      done({ code, signal });
    }),
  );
  const waitFor = <T>(pick: () => T | undefined, what: string) =>
    new Promise<T>((done, fail) => {
      const check = () => {
        const found = pick();
        if (found === undefined) return;
        listeners.delete(check);
        done(found);
      };
      listeners.add(check);
      check();
      void exited.then(() => fail(new Error(`the wrapper exited before ${what}:\n${out}`)));
    });
  return {
    child,
    output: () => out,
    url: waitFor(() => /Open (http:\/\/\S+)/.exec(out)?.[1], 'printing the address'),
    waitForOutput: (text) =>
      waitFor(() => (out.includes(text) ? true : undefined), text).then(() => undefined),
    exited,
  };
}

async function refused(url: string): Promise<void> {
  for (;;) {
    const gone = await fetch(url).then(
      () => false,
      () => true,
    );
    if (gone) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('npm start prints the address to open, forwards SIGTERM, and exits with the server', async () => {
  const wrapper = startWrapper({});
  const url = await wrapper.url;
  // The demo, on the port the OS chose.
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/demo$/);
  expect(url).not.toContain(':0/');
  expect((await fetch(url)).status).toBe(200);
  expect((await fetch(new URL('/healthz', url))).status).toBe(200);

  wrapper.child.kill('SIGTERM');
  expect(await wrapper.exited, wrapper.output()).toEqual({ code: 0, signal: null });
  expect(wrapper.output()).toContain('"bye"');
  // The server went with it.
  await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
});

test('a second signal during the drain stops the server at once', async () => {
  // An ERP that never answers: without the second signal, the drain would wait for it.
  const erp = await startLoopback(() => undefined);
  cleanups.push(() => erp.close());
  const workspace = tempWorkspace(
    processConfig({ erpUrl: `${erp.origin}/get-recaudas`, webhookUrl: 'http://127.0.0.1:9/hooks' }),
  );
  cleanups.push(() => workspace.cleanup());
  const wrapper = startWrapper({ SALDO_CONFIG: workspace.configPath, SALDO_SIGNAL_REPEAT_MS: '0' });
  await wrapper.waitForOutput('"saldo listening"');
  const port = (
    JSON.parse(
      wrapper
        .output()
        .split('\n')
        .find((l) => l.includes('"saldo listening"'))!,
    ) as { port: number }
  ).port;
  const inFlight = new Promise<string>((done) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/merchants/acme/lookup' },
      (res) => done(`answered ${res.statusCode}`),
    );
    req.on('error', (err) => done(`failed: ${err.message}`));
    req.setHeader('content-type', 'application/json');
    req.end(JSON.stringify({ idNumber: PAYER.id }));
  });
  while (erp.requests() === 0) await new Promise((r) => setTimeout(r, 20));

  wrapper.child.kill('SIGINT');
  await wrapper.waitForOutput('"shutting down: draining in-flight requests"');
  wrapper.child.kill('SIGINT');
  expect(await wrapper.exited, wrapper.output()).toEqual({ code: 137, signal: null });
  expect(wrapper.output()).toContain('Second signal: stopping the server now.');
  expect(wrapper.output()).not.toContain('"bye"');
  expect(await inFlight).toMatch(/^failed: /);
});

test('when the wrapper itself is killed, the server does not stay behind', async () => {
  const wrapper = startWrapper({});
  const url = await wrapper.url;
  wrapper.child.kill('SIGKILL');
  await wrapper.exited;
  // The server sees its IPC channel close and shuts down by itself.
  await refused(new URL('/healthz', url).href);
});
