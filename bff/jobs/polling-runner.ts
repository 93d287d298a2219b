/**
 * One run at a time of a job that drains a shared table (webhook outbox, notification outbox): `kick()`
 * starts a run, or asks the running one to be followed by another (a row committed meanwhile is not
 * left for the next poll); `start()` also kicks every `intervalMs`; `stop()` ends polling and waits for the
 * run in progress. A failed run is reported to `onError` and the next kick runs again.
 */
export interface PollingRunner {
  kick(): void;
  /** Resolves once no run is in progress (one a kick started included). */
  idle(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  /** True between stop() and the next start(): a long run checks it between batches. */
  isStopped(): boolean;
}

export function createPollingRunner(
  run: () => Promise<unknown>,
  options: { readonly intervalMs: number; readonly onError: (err: unknown) => void },
): PollingRunner {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .then(
        () => undefined,
        (err: unknown) => options.onError(err),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  return {
    kick,
    async idle(): Promise<void> {
      while (running) await running;
    },
    start(): void {
      stopped = false;
      if (!timer) timer = setInterval(kick, options.intervalMs);
      timer.unref();
      kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    isStopped: () => stopped,
  };
}
