import { createScheduledJob } from './scheduled-job';
import { planReminders } from '../../shared/charges/charge-reminders';
import { addDays, calendarDateIn } from '../../shared/dates';
import type { NotificationsPort } from '../app-deps';
import { chargeEventMessages } from '../charges/charge-events';
import { chargeToItem } from '../charges/charge-item';
import {
  chargeRecipient,
  noticeNotifications,
  priceNewCharge,
  reminderNotification,
  type ChargeMessageContext,
} from '../charges/charge-notifications';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import { priceItems } from '../services/lookup-service';
import type { ChargeRecord } from '../store/charge-store';
import type { NewNotification } from '../store/notification-records';
import type { Store } from '../store/store';

/**
 * The charge job (docs/spec/merchant-charges.md "Time-driven changes"): `scheduled` charges become payable on
 * their reminder_date and charges with `expiration` expire after their limit_date, in each merchant's time
 * zone. Comparing with ≤ / < today (not = today) makes a run after downtime catch up on every missed day.
 *
 * Safe with several instances: the store takes due rows FOR UPDATE SKIP LOCKED (PostgreSQL) or under the
 * write lock (SQLite) and changes a row only from the expected status, so each change, its webhook and its
 * notice row are written once, whichever instance gets there first.
 *
 * Reminders (docs/spec/merchant-charges.md "Notifications"): each charge keeps `reminder_due_on`, the next
 * local date with a reminder entry. A run takes the active charges whose date has come (≤ today: downtime is
 * caught up), decides what to remind (shared/charges/charge-reminders.ts: after downtime only the fee that
 * applies now, never a backlog), prices the new amount, and moves the date forward together with the reminder
 * rows in one guarded update; an instance that lost the race writes nothing, and each row's key
 * (`reminder:{charge}:{entry}`) is unique besides. The notification job then sends them within the law's hours.
 */

export interface ChargeScheduleDeps {
  readonly store: Store;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly publicUrl: string;
  readonly logger: Logger;
  readonly onOutboxWritten: () => void;
  /** Payer messages (notices, reminders); absent → none are queued. */
  readonly notifications?: NotificationsPort;
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
  /** Reminder rows queued. */
  readonly reminded: number;
}

export function createChargeSchedule(deps: ChargeScheduleDeps) {
  const now = deps.now ?? (() => new Date());
  const intervalMs = deps.intervalMs ?? 60_000;
  const batchSize = deps.batchSize ?? 200;

  const context = (merchant: MerchantConfig): ChargeMessageContext => ({
    merchant,
    publicUrl: deps.publicUrl,
    notifications: deps.notifications,
  });

  /** The reminder rows of one charge on `today` (none when its payer did not opt in or it is not payable). */
  async function reminderRows(merchant: MerchantConfig, charge: ChargeRecord, at: Date) {
    const today = calendarDateIn(merchant.timezone, at);
    const plan = planReminders(charge.details, charge.reminderDueOn!, today);
    const rows: NewNotification[] = [];
    if (plan.send.length === 0 || !deps.notifications || chargeRecipient(charge.details) === null)
      return { plan, rows };
    const item = chargeToItem(charge);
    const price = async (day: string) => (await priceItems(deps, merchant, [item], day, at))[0]!;
    const now = await price(today);
    for (const r of plan.send) {
      // The new amount: with the fee that starts today, or without the discount that ends today.
      const after = r.event === 'late_fee' ? now : await price(addDays(today, 1));
      rows.push(...reminderNotification(context(merchant), charge, r, now.payable, after, at));
    }
    return { plan, rows };
  }

  async function remindMerchant(merchant: MerchantConfig): Promise<number> {
    let reminded = 0;
    for (;;) {
      const at = now();
      const today = calendarDateIn(merchant.timezone, at);
      const due = await deps.store.chargesDueForReminders(merchant.id, today, batchSize);
      for (const charge of due) {
        const { plan, rows } = await reminderRows(merchant, charge, at);
        const wrote = await deps.store.recordChargeReminders({
          merchantId: merchant.id,
          externalReference: charge.externalReference,
          expectedDueOn: charge.reminderDueOn!,
          nextDueOn: plan.next,
          notifications: rows,
          now: at,
        });
        if (wrote) reminded += rows.length;
      }
      if (due.length < batchSize || job.isStopped()) break;
    }
    return reminded;
  }

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
        // A scheduled charge could not be paid before: priced alone for today.
        notifications: (c) =>
          noticeNotifications(context(merchant), c, priceNewCharge(merchant, c, today), at),
        withdrawNotifications: null,
      });
      activated += changed.length;
      if (changed.length < batchSize || job.isStopped()) break;
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
        withdrawNotifications: 'charge expired',
      });
      expired += changed.length;
      if (changed.length < batchSize || job.isStopped()) break;
    }
    const reminded = await remindMerchant(merchant);
    return { activated, expired, reminded };
  }

  async function run(): Promise<ChargeScheduleRun> {
    let activated = 0;
    let expired = 0;
    let reminded = 0;
    for (const merchant of deps.merchants.values()) {
      if (job.isStopped()) break;
      try {
        const r = await runMerchant(merchant);
        activated += r.activated;
        expired += r.expired;
        reminded += r.reminded;
      } catch (err) {
        // One merchant's failure must not hold back the others; the next run tries again.
        deps.logger.warn(
          { merchant: merchant.id, err: { message: (err as Error).message } },
          'charge job failed',
        );
      }
    }
    if (activated + expired + reminded > 0) {
      deps.logger.info({ activated, expired, reminded }, 'charge job');
      deps.onOutboxWritten();
      deps.notifications?.kick();
    }
    return { activated, expired, reminded };
  }

  const job = createScheduledJob(run, {
    intervalMs,
    firstDelayMs: deps.firstRunDelayMs ?? 5000,
    idle: { activated: 0, expired: 0, reminded: 0 },
    onError: (err) => deps.logger.error({ err: { message: (err as Error).message } }, 'charge job failed'),
  });

  return {
    /** One pass now (a pass already under way is joined, not doubled). */
    runOnce: job.runOnce,
    start: job.start,
    stop: job.stop,
  };
}

export type ChargeSchedule = ReturnType<typeof createChargeSchedule>;
