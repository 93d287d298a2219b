import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import SERVER_NODE_FLAGS from '../../scripts/server-node-flags.json';

/** The server-child roles that are the BFF (server-child.ts): they run with the server's Node flags. */
const BFF_ROLES = new Set([
  './server-child.ts:bff',
  './server-child.ts:charges',
  './server-child.ts:confirm',
]);

/** The repository root: every child runs from it so `--import tsx` and relative paths resolve. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

/**
 * A TypeScript module of bench/support run in its own Node process (own event loop, own core when one is
 * free), talking over IPC. `request` sends one message and waits for the reply of the given type.
 */
export class BenchChild {
  readonly proc: ChildProcess;
  private readonly waiting = new Map<string, ((m: ChildMessage) => void)[]>();
  /** Messages nobody waited for yet (a child may be ready before the parent asks). */
  private readonly unclaimed: ChildMessage[] = [];
  /** Every pending waitFor fails at once when the child reports an error. */
  private readonly failers = new Set<(err: Error) => void>();
  private exited = false;

  constructor(
    script: string,
    args: readonly string[],
    options: { cpuProfDir?: string | null; execArgv?: readonly string[]; nodeDefaults?: boolean } = {},
  ) {
    const execArgv = ['--import', 'tsx', ...(options.execArgv ?? [])];
    // A BFF server runs with the flags `npm start` gives the bundle (docs/decisions/0017), unless asked for
    // Node's defaults (the lookup row that shows what the flags change).
    if (BFF_ROLES.has(`${script}:${args[0]}`) && !options.nodeDefaults) execArgv.push(...SERVER_NODE_FLAGS);
    if (options.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
    this.proc = fork(fileURLToPath(new URL(script, import.meta.url)), [...args], {
      cwd: ROOT,
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.proc.on('message', (m: ChildMessage) => {
      if (m.type === 'error') {
        const err = new Error(`bench child ${script}: ${String(m.message)}`);
        for (const fail of [...this.failers]) fail(err);
        return;
      }
      const list = this.waiting.get(m.type);
      const next = list?.shift();
      if (next) next(m);
      else this.unclaimed.push(m);
    });
    this.proc.on('exit', () => {
      this.exited = true;
    });
  }

  /** Waits for the next message of `type`, failing after `timeoutMs` or when the child dies first. */
  waitFor<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    const early = this.unclaimed.findIndex((m) => m.type === type);
    if (early >= 0) return Promise.resolve(this.unclaimed.splice(early, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const list = this.waiting.get(type) ?? [];
      const settle = () => {
        clearTimeout(timer);
        this.proc.off('exit', onExit);
        this.failers.delete(fail);
        const i = list.indexOf(handler);
        if (i >= 0) list.splice(i, 1);
      };
      const fail = (err: Error) => {
        settle();
        reject(err);
      };
      const onExit = (code: number | null) =>
        fail(new Error(`bench child exited (${code}) while waiting for "${type}"`));
      const timer = setTimeout(
        () => fail(new Error(`bench child: no "${type}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const handler = (m: ChildMessage) => {
        settle();
        resolve(m as T);
      };
      list.push(handler);
      this.waiting.set(type, list);
      this.failers.add(fail);
      this.proc.once('exit', onExit);
    });
  }

  async request<T extends ChildMessage>(
    message: ChildMessage,
    replyType: string,
    timeoutMs: number,
  ): Promise<T> {
    const reply = this.waitFor<T>(replyType, timeoutMs);
    this.proc.send(message);
    return reply;
  }

  /** Asks the child to stop (it exits by itself, writing its CPU profile if any); kills it after 5 s. */
  async stop(): Promise<void> {
    if (this.exited || this.proc.exitCode !== null) return;
    const exited = once(this.proc, 'exit');
    try {
      this.proc.send({ type: 'stop' });
    } catch {
      // The IPC channel is already gone; the kill below covers it.
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** For child modules: replies to the parent; exits when the parent asks or goes away. */
export function onParentMessage(handler: (m: ChildMessage) => void | Promise<void>): void {
  process.on('message', (m: ChildMessage) => {
    void Promise.resolve(handler(m)).catch((err: unknown) => {
      process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    });
  });
  process.on('disconnect', () => process.exit(0));
}

export function sendToParent(message: ChildMessage): void {
  process.send?.(message);
}
