import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';

/** Processes the bench starts as whole process groups (npm start, the BFF, Lighthouse) and ends by group. */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Groups still running, ended by `killLiveGroups` if the bench itself is interrupted. */
const live = new Set<ChildProcess>();

export function spawnGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; output?: 'ignore' | 'pipe' },
): ChildProcess {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** Synchronous, for signal handlers: SIGKILL to every group this bench started and that still runs. */
export function killLiveGroups(): void {
  for (const child of live) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * `first` (SIGTERM by default) to the whole group, SIGKILL after `graceMs`; resolves once the leader has
 * exited. Lighthouse gets SIGINT: that is what makes it close the Chromium it started in a group of its own.
 */
export async function killGroup(
  child: ChildProcess,
  graceMs = 5000,
  first: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.pid === undefined) return;
  const pid = child.pid;
  const exited =
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // The group is already gone.
    }
  };
  signal(first);
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Stragglers of the group (a grandchild that ignored SIGTERM) go too.
  signal('SIGKILL');
}

/** One HTTP request to 127.0.0.1 without keep-alive; status 0 when nothing answered. */
export function request(
  port: number,
  method: string,
  path: string,
  body?: string,
  timeoutMs = 2000,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, text: '' }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.end(body);
  });
}

/** Polls `probe` every `everyMs` until it is true or `timeoutMs` has passed; returns the ms it took or null. */
export async function pollUntil(
  probe: () => Promise<boolean>,
  everyMs: number,
  timeoutMs: number,
  since = performance.now(),
): Promise<number | null> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    const attempt = performance.now();
    if (await probe()) return performance.now() - since;
    const wait = everyMs - (performance.now() - attempt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return null;
}
