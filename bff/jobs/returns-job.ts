import { createScheduledJob } from './scheduled-job';
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

  async function runDue(): Promise<void> {
    // A bound on the rounds keeps one run finite even if every step re-schedules itself for now.
    for (let round = 0; round < 50 && !job.isStopped(); round++) {
      const handled = await deps.service.runDue(batch);
      if (handled < batch) break;
    }
  }

  const job = createScheduledJob(runDue, {
    intervalMs,
    firstDelayMs: 1000,
    idle: undefined,
    onError: (err) => deps.logger.error({ err: { message: (err as Error).message } }, 'returns job failed'),
  });

  return {
    runOnce: job.runOnce,
    start: job.start,
    /** Wakes the job now (a return was approved or got bank details). */
    kick: job.kick,
    stop: job.stop,
  };
}
