/**
 * A job that runs a pass every `intervalMs` (charge schedule, reconciliation, returns): a chain of timeouts,
 * not an interval, so a slow pass never overlaps the next; `runOnce()` joins a pass already under way instead
 * of doubling it; `kick()` brings the next pass forward; `stop()` ends the chain and waits for the pass under
 * way. A scheduled pass that fails goes to `onError` and the chain goes on; `runOnce()` rejects to its caller.
 * Safety with two instances on one database is each job's own (leases, guarded updates).
 */
export interface ScheduledJob<T> {
  runOnce(): Promise<T>;
  start(): void;
  kick(): void;
  stop(): Promise<void>;
  /** True once stop() was called: a long pass checks it between batches. */
  isStopped(): boolean;
}

export function createScheduledJob<T>(
  run: () => Promise<T>,
  options: {
    readonly intervalMs: number;
    readonly firstDelayMs: number;
    /** What runOnce() answers once stopped. */
    readonly idle: T;
    readonly onError: (err: unknown) => void;
    /** Called by stop() before it waits (e.g. to abort the queries in flight). */
    readonly onStop?: () => void;
  },
): ScheduledJob<T> {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<T> | null = null;
  let stopped = false;

  function runOnce(): Promise<T> {
    if (stopped) return Promise.resolve(options.idle);
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      runOnce()
        .catch(options.onError)
        .finally(() => schedule(options.intervalMs));
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    start(): void {
      if (stopped || timer || running) return;
      schedule(options.firstDelayMs);
    },
    kick(): void {
      if (stopped || running) return;
      if (timer) clearTimeout(timer);
      timer = null;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      options.onStop?.();
      await running?.catch(() => undefined);
    },
    isStopped: () => stopped,
  };
}
