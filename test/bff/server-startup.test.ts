import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import {
  killAll,
  processConfig,
  startServer,
  tempWorkspace,
  type TempWorkspace,
} from './crash/server-process';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const workspaces: TempWorkspace[] = [];
afterEach(() => {
  killAll();
  for (const w of workspaces.splice(0)) w.cleanup();
});

describe('bff/server.ts start-up', () => {
  test('NODE_ENV=production without SALDO_CONFIG refuses to start, saying why (issue 9.7)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' };
    delete env.SALDO_CONFIG;
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bff/server.ts'], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    expect(code).toBe(1);
    expect(out).toContain('SALDO_CONFIG: required with NODE_ENV=production');
    expect(out).not.toContain('saldo listening');
  });

  test('metrics.port serves /metrics on its own listener and never on the public port (issue 9.10)', async () => {
    const workspace = tempWorkspace({
      ...processConfig({ erpUrl: 'http://127.0.0.1:9/erp', webhookUrl: 'http://127.0.0.1:9/hook' }),
      // Port 0: the OS picks one, read back from the log line.
      metrics: { port: 0, host: '127.0.0.1' },
    });
    workspaces.push(workspace);
    const server = await startServer(workspace);
    await server.waitForOutput('"metrics listening"');
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"metrics listening"'));
    const metricsPort = (JSON.parse(line ?? '{}') as { port?: number }).port;
    expect(metricsPort).toBeGreaterThan(0);
    expect(metricsPort).not.toBe(server.port);

    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('saldo_lookups_total');
    const onPublic = await fetch(`${server.origin}/metrics`);
    expect(onPublic.status).toBe(404);
    // The metrics listener serves nothing else.
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
  });
});
