import type { Logger } from '../observability/logger';
import type { ReturnsService } from '../money-back/returns-service';

/**
 * Moves returns along (docs/spec/money-back.md): over-payments a crash left unchecked, refunds to submit and
 * poll, payouts to request, silent payouts to hand to a person. Safe with several instances on one database:
 * each due return is leased to one instance (claimDueReturns), and every move is guarded by the committed
 * state, so a second instance arriving late changes nothing. A run handles batches until none is full, so
 * the job catches up after downtime.
 */
export interface ReturnsJobDeps {
  readonly service: ReturnsService;
  readonly logger: Logger;
  /** Default 60 s. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

export function createReturnsJob(deps: ReturnsJobDeps) {
  const intervalMs = deps.intervalMs ?? 60_000;
  const batch = deps.batchSize ?? 20;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function runOnce(): Promise<void> {
    // A bound on the rounds keeps one run finite even if every step re-schedules itself for now.
    for (let round = 0; round < 50 && !stopped; round++) {
      const handled = await deps.service.runDue(batch);
      if (handled < batch) break;
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = runOnce()
        .catch((err: unknown) =>
          deps.logger.error({ err: { message: (err as Error).message } }, 'returns job failed'),
        )
        .finally(() => {
          running = null;
          schedule(intervalMs);
        });
    }, delay);
    timer.unref();
  }

  return {
    runOnce,
    start(): void {
      if (!stopped && !timer && !running) schedule(1000);
    },
    /** Wakes the job now (a return was approved or got bank details). */
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
      await running;
    },
  };
}
