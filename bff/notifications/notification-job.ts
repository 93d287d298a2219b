import { createPollingRunner } from '../jobs/polling-runner';
import { addDays, calendarDateIn } from '../../shared/dates';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import type { NotificationChannel, NotificationRecord } from '../store/notification-records';
import type { Store } from '../store/store';
import { backoffDelay } from '../webhooks/dispatcher';
import type { ChannelSender } from './channel';
import { notificationFailedMessages } from './failed-event';
import { decideSend, isCollectionContact, nextAllowedMinute, weekStart } from './law/collection-hours';
import type { MessageModel } from './messages/models';

/**
 * The time-driven notification job (docs/spec/notifications.md "Delivery guarantees"). Every instance runs
 * one; they share the work through the store: a row is claimed under a lease (SKIP LOCKED on PostgreSQL), so
 * no two instances hold it at once; a message due while the job was down is simply due now, so a restart
 * catches up; a sent row never comes back, so nothing goes twice. For each claimed row the law decides
 * (collection-hours.ts): send now, or hold with the reason and the next allowed minute. A collection
 * message first takes the payer's slot for the day (a primary key), which makes "once a day" hold even when
 * two instances judge two messages for one payer at the same moment.
 */
export interface NotificationJobDeps {
  readonly store: Store;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly senders: Partial<Record<NotificationChannel, ChannelSender>>;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Wakes the webhook dispatcher after a notification.failed event was committed. */
  readonly onOutboxWritten?: () => void;
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** Transient failures are retried with backoff up to this many attempts, then the message fails. */
  readonly maxAttempts?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly random?: () => number;
  readonly onSent?: (n: NotificationRecord) => void;
  /**
   * Asked before a message about a charge goes (kinds charge and reminder): why it must not go any more (the
   * charge was paid, cancelled…), or null. A reason withdraws the row: failed, `withdrawn: <reason>`, no webhook.
   */
  readonly stillWanted?: (
    n: NotificationRecord,
    merchant: MerchantConfig,
    at: Date,
  ) => Promise<string | null>;
  /** Each outcome of this job (metrics: saldo_notifications_total); `reason` is the hold reason of a deferral. */
  readonly observe?: (
    n: NotificationRecord,
    outcome: 'sent' | 'failed' | 'deferred',
    reason: string | null,
  ) => void;
}

export type ProcessOutcome = 'sent' | 'held' | 'retry' | 'failed';

export function createNotificationJob(deps: NotificationJobDeps) {
  const now = deps.now ?? (() => new Date());
  const leaseMs = deps.leaseMs ?? 120_000;
  const batchSize = deps.batchSize ?? 20;
  const maxAttempts = deps.maxAttempts ?? 8;
  const baseMs = deps.backoffBaseMs ?? 30_000;
  const maxMs = deps.backoffMaxMs ?? 60 * 60_000;
  const random = deps.random ?? Math.random;

  async function fail(n: NotificationRecord, merchant: MerchantConfig | undefined, error: string, at: Date) {
    const wrote = await deps.store.failNotification(n.id, error, at, (failed) =>
      notificationFailedMessages(merchant, failed, at),
    );
    if (wrote) deps.onOutboxWritten?.();
    deps.observe?.(n, 'failed', null);
    deps.logger.warn(
      { merchant: n.merchantId, notification: n.id, kind: n.kind, channel: n.channel, error },
      'notification failed',
    );
    return 'failed' as const;
  }

  async function process(n: NotificationRecord): Promise<ProcessOutcome> {
    const at = now();
    const merchant = deps.merchants.get(n.merchantId);
    if (!merchant) return fail(n, merchant, 'unknown_merchant', at);
    const sender = deps.senders[n.channel];
    let message: MessageModel;
    try {
      message = JSON.parse(n.content) as MessageModel;
    } catch {
      return fail(n, merchant, 'unreadable_content', at);
    }
    if (!sender || !sender.available(merchant, message.kind))
      return fail(n, merchant, 'channel_not_configured', at);
    if (deps.stillWanted && n.chargeId !== null && isCollectionContact(n.kind)) {
      const reason = await deps.stillWanted(n, merchant, at);
      if (reason !== null) {
        await deps.store.failNotification(n.id, `withdrawn: ${reason}`, at, () => []);
        deps.observe?.(n, 'failed', null);
        return 'failed';
      }
    }

    const tz = merchant.timezone;
    const day = calendarDateIn(tz, at);
    const week = weekStart(day);
    const law = merchant.country === 'CO' && isCollectionContact(n.kind);
    const history = law
      ? await deps.store.contactHistory({
          merchantId: n.merchantId,
          payerKey: n.payerKey,
          day,
          week,
          notificationId: n.id,
        })
      : { contactedToday: false, weekChannel: null };
    const decision = decideSend({
      now: at,
      timeZone: tz,
      country: merchant.country,
      kind: n.kind,
      channel: n.channel,
      history,
    });
    if (!decision.send) {
      await deps.store.holdNotification(n.id, decision.reason, decision.detail, decision.notBefore, at);
      deps.observe?.(n, 'deferred', decision.reason);
      return 'held';
    }
    if (law) {
      const took = await deps.store.takeContactSlot({
        merchantId: n.merchantId,
        payerKey: n.payerKey,
        day,
        week,
        channel: n.channel,
        notificationId: n.id,
        now: at,
      });
      if (!took) {
        const until = nextAllowedMinute(tz, at, addDays(day, 1));
        await deps.store.holdNotification(
          n.id,
          'daily_limit',
          `the payer was already contacted today; waits until ${until.toISOString()}`,
          until,
          at,
        );
        deps.observe?.(n, 'deferred', 'daily_limit');
        return 'held';
      }
    }

    const outcome = await sender.send(n, message, merchant);
    const after = now();
    if (outcome.ok) {
      await deps.store.markNotificationSent(n.id, outcome.providerId, after);
      deps.onSent?.(n);
      deps.observe?.(n, 'sent', null);
      deps.logger.info(
        { merchant: n.merchantId, notification: n.id, kind: n.kind, channel: n.channel },
        'notification sent',
      );
      return 'sent';
    }
    if (outcome.permanent || n.attempts + 1 >= maxAttempts) {
      return fail(n, merchant, outcome.permanent ? outcome.error : `gave_up: ${outcome.error}`, after);
    }
    const next = new Date(after.getTime() + backoffDelay(n.attempts + 1, baseMs, maxMs, random));
    await deps.store.retryNotification(n.id, next, outcome.error, after);
    deps.observe?.(n, 'deferred', 'retry');
    deps.logger.warn(
      { merchant: n.merchantId, notification: n.id, attempt: n.attempts + 1, error: outcome.error },
      'notification will be retried',
    );
    return 'retry';
  }

  /** Processes everything due now; returns how many rows were handled. */
  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      if (runner.isStopped()) return total;
      const batch = await deps.store.claimNotifications(now(), batchSize, leaseMs);
      if (batch.length === 0) return total;
      for (const n of batch) {
        try {
          await process(n);
        } catch (err) {
          // The lease runs out and another run takes the row again: nothing is lost.
          deps.logger.error(
            { notification: n.id, err: { message: (err as Error).message } },
            'notification processing error',
          );
        }
      }
      total += batch.length;
      if (batch.length < batchSize) return total;
    }
  }

  const runner = createPollingRunner(runOnce, {
    intervalMs: deps.pollIntervalMs ?? 5_000,
    onError: (err) =>
      deps.logger.error({ err: { message: (err as Error).message } }, 'notification job error'),
  });

  return {
    kick: runner.kick,
    runOnce,
    process,
    /** Waits for the run a kick started (if any), then runs once more: everything due is handled on return. */
    async drain(): Promise<number> {
      await runner.idle();
      return runOnce();
    },
    start: runner.start,
    /** Stops polling and waits for the run in progress to finish its current row. */
    stop: runner.stop,
  };
}

export type NotificationJob = ReturnType<typeof createNotificationJob>;
