import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_PAYU, TEST_WEBHOOK_SECRET } from '../../support/fake-deps';

/**
 * The real server (`node --import tsx bff/server.ts`, exactly what `npm run dev` runs minus the watcher) as
 * a child process on a temp SQLite file and a temp SALDO_CONFIG. PORT=0 lets the OS pick a free port, read
 * back from the "saldo listening" log line, so there is no window in which another process can take it.
 */

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly port: number;
  /** Everything the process wrote so far (JSON log lines on stdout; stderr for start-up failures). */
  output(): string;
  /** Resolves once the output contains `text` (rejects if the process exits first). */
  waitForOutput(text: string): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface TempWorkspace {
  readonly dir: string;
  readonly configPath: string;
  readonly databaseUrl: string;
  cleanup(): void;
}

/** A temp directory holding the config and (unless another `databaseUrl` is given) the SQLite database. */
export function tempWorkspace(config: unknown, databaseUrl?: string): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'saldo-proc-'));
  const configPath = join(dir, 'saldo.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return {
    dir,
    configPath,
    databaseUrl: databaseUrl ?? `sqlite:${join(dir, 'saldo.db')}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One merchant `acme` on PayU's simulator, its ERP and webhook receiver on loopback. */
export function processConfig(options: { erpUrl: string; webhookUrl: string }): Record<string, unknown> {
  return {
    // Not where this process listens (the port is chosen at start); only used to build PayU's callback URLs.
    publicUrl: 'http://127.0.0.1:9',
    linkSecret: 'crash-test-link-secret-0123456789abcdef',
    rateLimits: { lookupsPerIpPerMinute: 10_000, lookupsPerIdPer10Minutes: 10_000 },
    merchants: [
      {
        id: 'acme',
        name: 'ACME S.A.S.',
        apiToken: 'acme-api-token-0123456789',
        erp: { url: options.erpUrl, timeoutMs: 5000, staleIfErrorMs: 0 },
        payu: TEST_PAYU,
        minimumPayment: { COP: '1000' },
        webhook: { url: options.webhookUrl, secret: TEST_WEBHOOK_SECRET },
      },
    ],
  };
}

const live = new Set<ChildProcess>();
// Last line of defence: a test runner that exits (or a test that throws past its hooks) leaves no server behind.
process.once('exit', () => killAll());

/** SIGKILLs every server this module started that is still running (afterEach / afterAll). */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

export async function startServer(workspace: TempWorkspace, timeoutMs = 15_000): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    SALDO_CONFIG: workspace.configPath,
    DATABASE_URL: workspace.databaseUrl,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
  };
  // Hermetic: no shared rate-limit store, no public URL from the developer's shell.
  delete env.REDIS_URL;
  delete env.PUBLIC_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bff/server.ts'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      for (const line of out.split('\n')) {
        if (!line.includes('"saldo listening"')) continue;
        const port = (JSON.parse(line) as { port?: number }).port;
        if (typeof port === 'number') {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(port);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening (code ${code}, signal ${signal}):\n${out}`));
    });
  });
  const waitForOutput = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!out.includes(text)) return;
        child.stdout!.off('data', check);
        resolve();
      };
      child.stdout!.on('data', check);
      check();
      void exited.then(() => reject(new Error(`the server exited before writing ${text}:\n${out}`)));
    });
  return { child, port, origin: `http://127.0.0.1:${port}`, output: () => out, waitForOutput, exited };
}
