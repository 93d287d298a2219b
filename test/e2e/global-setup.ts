import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { E2eEnv } from './support/env';
import { createHostSite } from './support/host-site';

/**
 * Builds the SPA when dist/web is missing or older than its sources (and the BFF's bundle, as `npm start`
 * does), starts the real BFF on a free loopback
 * port (demo config, SQLite in a temp file) and the merchant site beside it, and stops both afterwards,
 * whatever happened (a failed start-up included).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const READY_TIMEOUT_MS = 30_000;

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The same rule as `npm start` (scripts/start.mjs). */
function buildSpaIfStale(): void {
  const built = join(ROOT, 'dist/web/index.html');
  const sources = ['web', 'shared', 'index.html', 'vite.config.ts', 'package-lock.json']
    .map((p) => join(ROOT, p))
    .filter((p) => existsSync(p));
  const stale = !existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
  if (!stale) return;
  const started = Date.now();
  // Vitest sets NODE_ENV=test, with which Vite would bundle React's development build (StrictMode's double
  // effects and all): build what `npm start` builds.
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`npx vite build failed (exit ${build.status})`);
  process.stdout.write(`[e2e] built dist/web in ${Date.now() - started} ms\n`);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok, fail) => probe.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((ok) => probe.close(() => ok()));
  return port;
}

async function waitForReady(url: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the portal exited during start-up (${child.exitCode ?? child.signalCode}); see ${log}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the portal did not answer ${url} within ${READY_TIMEOUT_MS} ms; see ${log}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'saldo-e2e-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(tmp, { recursive: true, force: true })];
  const teardown = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (err) {
        process.stderr.write(`[e2e] teardown: ${(err as Error).message}\n`);
      }
    }
  };

  try {
    buildSpaIfStale();
    const [port, hostPort] = [await freePort(), await freePort()];
    const portalUrl = `http://127.0.0.1:${port}`;
    const allowedHostUrl = `http://localhost:${hostPort}`;

    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['SALDO_CONFIG', 'REDIS_URL', 'NODE_ENV']) delete env[name];
    Object.assign(env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(tmp, 'saldo.db')}`,
      PUBLIC_URL: portalUrl,
      SALDO_DEMO_EMBED_ORIGINS: allowedHostUrl,
      // demo-mailbox.e2e.ts: a statement is sent at once whatever the hour (no Ley 2300 window).
      SALDO_DEMO_COUNTRY: 'ZZ',
      LOG_LEVEL: 'info',
    });
    const logPath = join(ARTIFACTS, 'server.log');
    const log = createWriteStream(logPath);
    // What `npm start` runs: the esbuild bundle of bff/server.ts (scripts/build-server.mjs), so the browser
    // suite covers the bundle (JSX of the e-mails, the receipt fonts found through require.resolve).
    const bundle = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (bundle.status !== 0) throw new Error(`building dist/bff failed (exit ${bundle.status})`);
    const child = spawn(process.execPath, ['dist/bff/server.mjs'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    // Last resort if the runner exits without its teardown: never leave a server (or its database) behind.
    const killOnExit = () => {
      child.kill('SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    };
    process.once('exit', killOnExit);
    cleanups.push(async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child);
      log.end();
    });
    await waitForReady(`${portalUrl}/readyz`, child, logPath);

    const host: Server = createHostSite(portalUrl);
    await new Promise<void>((ok, fail) => host.once('error', fail).listen(hostPort, '127.0.0.1', ok));
    cleanups.push(
      () =>
        new Promise<void>((ok) => {
          host.closeAllConnections();
          host.close(() => ok());
        }),
    );

    const provided: E2eEnv = {
      portalUrl,
      allowedHostUrl,
      strangerHostUrl: `http://127.0.0.1:${hostPort}`,
      artifactsDir: ARTIFACTS,
    };
    project.provide('e2e', provided);
    return teardown;
  } catch (err) {
    await teardown();
    throw err;
  }
}
