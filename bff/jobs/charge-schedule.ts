import { calendarDateIn } from '../../shared/dates';
import { activationNotifications, chargeEventMessages } from '../charges/charge-events';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';

/**
 * The charge job (docs/spec/merchant-charges.md "Time-driven changes"): `scheduled` charges become payable on
 * their reminder_date and charges with `expiration` expire after their limit_date, in each merchant's time
 * zone. Comparing with ≤ / < today (not = today) makes a run after downtime catch up on every missed day.
 *
 * Safe with several instances: the store takes due rows FOR UPDATE SKIP LOCKED (PostgreSQL) or under the
 * write lock (SQLite) and changes a row only from the expected status, so each change, its webhook and its
 * notification row are written once, whichever instance gets there first.
 */

export interface ChargeScheduleDeps {
  readonly store: Store;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly publicUrl: string;
  readonly logger: Logger;
  readonly onOutboxWritten: () => void;
  readonly now?: () => Date;
  /** Between the end of one run and the start of the next. Default 60 s. */
  readonly intervalMs?: number;
  /** After start(). Default 5 s. */
  readonly firstRunDelayMs?: number;
  /** Charges changed per store call; a run repeats calls until a merchant has none left. Default 200. */
  readonly batchSize?: number;
}

export interface ChargeScheduleRun {
  readonly activated: number;
  readonly expired: number;
}

export function createChargeSchedule(deps: ChargeScheduleDeps) {
  const now = deps.now ?? (() => new Date());
  const intervalMs = deps.intervalMs ?? 60_000;
  const batchSize = deps.batchSize ?? 200;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<ChargeScheduleRun> | null = null;
  let stopped = false;

  async function runMerchant(merchant: MerchantConfig): Promise<ChargeScheduleRun> {
    let activated = 0;
    let expired = 0;
    for (;;) {
      const at = now();
      const today = calendarDateIn(merchant.timezone, at);
      const changed = await deps.store.activateDueCharges({
        merchantId: merchant.id,
        today,
        now: at,
        limit: batchSize,
        events: (c) => chargeEventMessages(merchant, deps.publicUrl, c, 'charge.activated', at),
        notifications: (c) => activationNotifications(c.details),
      });
      activated += changed.length;
      if (changed.length < batchSize || stopped) break;
    }
    for (;;) {
      const at = now();
      const today = calendarDateIn(merchant.timezone, at);
      const changed = await deps.store.expireDueCharges({
        merchantId: merchant.id,
        today,
        now: at,
        limit: batchSize,
        events: (c) => chargeEventMessages(merchant, deps.publicUrl, c, 'charge.expired', at),
        notifications: () => [],
      });
      expired += changed.length;
      if (changed.length < batchSize || stopped) break;
    }
    return { activated, expired };
  }

  async function run(): Promise<ChargeScheduleRun> {
    let activated = 0;
    let expired = 0;
    for (const merchant of deps.merchants.values()) {
      if (stopped) break;
      try {
        const r = await runMerchant(merchant);
        activated += r.activated;
        expired += r.expired;
      } catch (err) {
        // One merchant's failure must not hold back the others; the next run tries again.
        deps.logger.warn(
          { merchant: merchant.id, err: { message: (err as Error).message } },
          'charge job failed',
        );
      }
    }
    if (activated + expired > 0) {
      deps.logger.info({ activated, expired }, 'charge job');
      deps.onOutboxWritten();
    }
    return { activated, expired };
  }

  /** One pass now (a pass already under way is joined, not doubled). */
  function runOnce(): Promise<ChargeScheduleRun> {
    if (stopped) return Promise.resolve({ activated: 0, expired: 0 });
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void runOnce().finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    start(): void {
      if (stopped || timer || running) return;
      schedule(deps.firstRunDelayMs ?? 5000);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type ChargeSchedule = ReturnType<typeof createChargeSchedule>;
