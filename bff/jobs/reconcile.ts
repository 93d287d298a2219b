import type { PaymentStatus } from '../../shared/api/schemas';
import { createScheduledJob } from './scheduled-job';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import { queryOrderByReference, type QueryOrderResult } from '../payu/queries-client';
import type { NewNotification } from '../store/notification-records';
import type { CheckoutRecord, Store } from '../store/store';
import { paymentEventMessages } from '../webhooks/payment-event';

/**
 * Reconciliation of checkouts whose confirmation never arrived (docs/spec/payu-webcheckout.md "Reconciliation"):
 * PayU gives up after a few attempts, and the portal may have been down for all of them. Every few minutes
 * the checkouts still pending after their hold are looked up in the PayU Queries API, and a final state is
 * settled through the same store path as a confirmation, with the same merchant event.
 *
 * Exactly once holds because store.applyConfirmation decides, in one transaction, on a transaction id:
 * the job uses `reconcile:<PayU transaction id>` (or `reconcile:<reference>` when PayU has no order), a
 * key PayU's own ids can never take (the confirmation route only accepts [A-Za-z0-9-]). When the real
 * confirmation arrives later under PayU's transaction_id, it is recorded, but approved is final and a
 * repeated status is no change, so the store answers `final`: no second credit, no second event. Two
 * instances reconciling the same checkout use the same key, so the second one is a `duplicate`.
 */

export interface ReconcileDeps {
  readonly store: Store;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly logger: Logger;
  /** Wakes the webhook dispatcher after a committed state change (the outbox rows are already durable). */
  readonly onOutboxWritten: () => void;
  /** Payer messages (the receipt) committed with a settled state change. */
  readonly paymentNotifications?: (
    merchant: MerchantConfig,
    checkout: CheckoutRecord,
    status: PaymentStatus,
    at: Date,
  ) => readonly NewNotification[];
  /** The simulator's `…/reports-api/4.0/service.cgi`, for merchants whose payu.mode is "simulator". */
  readonly simulatorQueriesUrl?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly metrics?: { reconciliation(payuStatus: string, result: string): void };
  /** Between the end of one run and the start of the next. Default 5 min. */
  readonly intervalMs?: number;
  /** After start(). Default 30 s, so a restart soon catches up on what happened while the portal was down. */
  readonly firstRunDelayMs?: number;
  /** Checkouts looked at per run. Default 50. */
  readonly batchSize?: number;
  /** PayU has no order for the reference this long after the checkout was created: expired. Default 2 h. */
  readonly notFoundGraceMs?: number;
  /** PayU says pending (cash, PSE, review): the items stay held this much longer. Default 24 h. */
  readonly pendingHoldMs?: number;
  /** A checkout whose query failed is tried again after this. Default 15 min. */
  readonly retryAfterErrorMs?: number;
  readonly queryTimeoutMs?: number;
  /** Queries in flight at once. Default 4. */
  readonly concurrency?: number;
}

export type ReconcileResult =
  | 'applied'
  | 'duplicate'
  | 'final'
  | 'not_found'
  /** Still pending at PayU: hold extended. */
  | 'held'
  /** No order yet and still inside the grace period. */
  | 'waiting'
  /** The query failed or the merchant is gone; tried again later. */
  | 'failed';

export interface ReconcileOutcome {
  readonly merchantId: string;
  readonly reference: string;
  /** What PayU said, or `query_error` / `unknown_merchant`. */
  readonly payuStatus: string;
  readonly result: ReconcileResult;
  /** The state recorded, when the job settled one. */
  readonly status?: Exclude<PaymentStatus, 'pending'>;
}

const MINUTE = 60_000;
/** However many checkouts are deferred, one run never reads more rows than this. */
const MAX_SCAN = 1000;

export function createReconciler(deps: ReconcileDeps) {
  const now = deps.now ?? (() => new Date());
  const doFetch = deps.fetch ?? fetch;
  const intervalMs = deps.intervalMs ?? 5 * MINUTE;
  const firstRunDelayMs = deps.firstRunDelayMs ?? 30_000;
  const batchSize = deps.batchSize ?? 50;
  const graceMs = deps.notFoundGraceMs ?? 120 * MINUTE;
  const pendingHoldMs = deps.pendingHoldMs ?? 24 * 60 * MINUTE;
  const retryAfterErrorMs = deps.retryAfterErrorMs ?? 15 * MINUTE;
  const concurrency = Math.max(1, deps.concurrency ?? 4);

  // listStalePending returns the oldest holds first. Checkouts that cannot be decided yet (no order inside
  // the grace period, a failing query) would come back first on every run and, once there are batchSize
  // of them, hide every other stale checkout; so they are set aside until they are worth asking again.
  // In memory only: after a restart they are simply asked once more.
  const deferred = new Map<string, number>();
  const lifetime = new AbortController();

  async function query(merchant: MerchantConfig, reference: string): Promise<QueryOrderResult> {
    try {
      return await queryOrderByReference({
        mode: merchant.payu.mode,
        ...(deps.simulatorQueriesUrl ? { simulatorUrl: deps.simulatorQueriesUrl } : {}),
        apiLogin: merchant.payu.apiLogin,
        apiKey: merchant.payu.apiKey,
        reference,
        fetch: doFetch,
        signal: lifetime.signal,
        ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
      });
    } catch (err) {
      // payuQueriesUrl throws on a simulator merchant without a simulator URL: a setup error, reported
      // like a failed query so one merchant cannot stop the run for the others.
      return { ok: false, error: 'network', message: err instanceof Error ? err.message : String(err) };
    }
  }

  async function settle(
    merchant: MerchantConfig,
    checkout: CheckoutRecord,
    status: Exclude<PaymentStatus, 'pending'>,
    payuStatus: string,
    transactionKey: string,
    orderId: string | null,
  ): Promise<ReconcileOutcome> {
    const at = now();
    const result = await deps.store.applyConfirmation({
      merchantId: merchant.id,
      reference: checkout.reference,
      transactionId: `reconcile:${transactionKey}`,
      status,
      payuReference: orderId,
      now: at,
      event: (updated, s) => paymentEventMessages(merchant, updated, s, at),
      notifications: (updated, s) => deps.paymentNotifications?.(merchant, updated, s, at) ?? [],
    });
    if (result.kind === 'applied') {
      deps.logger.info(
        { merchant: merchant.id, reference: checkout.reference, from: result.previous, to: status },
        'payment state reconciled from the PayU Queries API',
      );
      deps.onOutboxWritten();
    }
    return {
      merchantId: merchant.id,
      reference: checkout.reference,
      payuStatus,
      result: result.kind,
      status,
    };
  }

  async function reconcileOne(checkout: CheckoutRecord): Promise<ReconcileOutcome> {
    const base = { merchantId: checkout.merchantId, reference: checkout.reference };
    const merchant = deps.merchants.get(checkout.merchantId);
    if (!merchant) {
      deferred.set(checkout.reference, now().getTime() + retryAfterErrorMs);
      return { ...base, payuStatus: 'unknown_merchant', result: 'failed' };
    }
    const answer = await query(merchant, checkout.reference);
    if (!answer.ok) {
      if (!lifetime.signal.aborted) {
        deps.logger.warn(
          {
            merchant: merchant.id,
            reference: checkout.reference,
            error: answer.error,
            status: answer.httpStatus,
          },
          'reconciliation: PayU Queries API failed',
        );
      }
      deferred.set(checkout.reference, now().getTime() + retryAfterErrorMs);
      return { ...base, payuStatus: 'query_error', result: 'failed' };
    }
    const key = answer.transactionId ?? answer.orderId ?? checkout.reference;
    const expiresAt = checkout.createdAt.getTime() + graceMs;
    const pastGrace = now().getTime() >= expiresAt;
    switch (answer.status) {
      case 'approved':
      case 'declined':
      case 'expired':
      case 'error':
        return settle(merchant, checkout, answer.status, answer.status, key, answer.orderId);
      case 'pending':
        if (answer.transactionId === null) {
          // An order without a single transaction is a payment page opened and not (yet) used: no money is
          // on its way, so the items are not held for it; past the grace period PayU's session is long gone.
          if (pastGrace)
            return settle(merchant, checkout, 'expired', 'pending', checkout.reference, answer.orderId);
          deferred.set(checkout.reference, expiresAt);
          return { ...base, payuStatus: 'pending', result: 'waiting' };
        }
        // The same as PayU saying pending on the response page: the payer is paying (cash, PSE), so the
        // items stay held; the checkout comes back here when the longer hold ends.
        await deps.store.extendHold(
          merchant.id,
          checkout.reference,
          new Date(now().getTime() + pendingHoldMs),
        );
        return { ...base, payuStatus: 'pending', result: 'held' };
      case 'not_found':
        if (pastGrace) {
          // The payer never reached PayU's payment step: nothing can be paid any more under a form this old.
          // Should PayU still confirm an approval later, approved replaces expired.
          return settle(merchant, checkout, 'expired', 'not_found', checkout.reference, null);
        }
        deferred.set(checkout.reference, expiresAt);
        return { ...base, payuStatus: 'not_found', result: 'waiting' };
    }
  }

  async function run(): Promise<ReconcileOutcome[]> {
    const at = now();
    const nowMs = at.getTime();
    const rows = await deps.store.listStalePending(at, Math.min(MAX_SCAN, batchSize + deferred.size));
    const listed = new Set(rows.map((r) => r.reference));
    for (const [reference, until] of deferred) {
      if (until <= nowMs || !listed.has(reference)) deferred.delete(reference);
    }
    const due = rows.filter((r) => !deferred.has(r.reference)).slice(0, batchSize);
    const outcomes: ReconcileOutcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < due.length && !lifetime.signal.aborted) {
        const checkout = due[next++]!;
        let outcome: ReconcileOutcome;
        try {
          outcome = await reconcileOne(checkout);
        } catch (err) {
          // A store error on one checkout (say, the database restarting) must not end the run for the rest.
          deps.logger.warn(
            {
              merchant: checkout.merchantId,
              reference: checkout.reference,
              err: { message: (err as Error).message },
            },
            'reconciliation failed for a checkout',
          );
          deferred.set(checkout.reference, now().getTime() + retryAfterErrorMs);
          outcome = {
            merchantId: checkout.merchantId,
            reference: checkout.reference,
            payuStatus: 'store_error',
            result: 'failed',
          };
        }
        deps.metrics?.reconciliation(outcome.payuStatus, outcome.result);
        outcomes.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    if (outcomes.length > 0) {
      const counts: Record<string, number> = {};
      for (const o of outcomes) counts[o.result] = (counts[o.result] ?? 0) + 1;
      deps.logger.info({ checked: outcomes.length, ...counts }, 'reconciliation run');
    }
    return outcomes;
  }

  const job = createScheduledJob(run, {
    intervalMs,
    firstDelayMs: firstRunDelayMs,
    idle: [],
    onError: (err) =>
      deps.logger.warn({ err: { message: (err as Error).message } }, 'reconciliation run failed'),
    // Aborts the queries in flight, so stop() does not wait for PayU.
    onStop: () => lifetime.abort(),
  });

  return {
    /** One pass now (a pass already under way is joined, not doubled). Rejects only if listing fails. */
    runOnce: job.runOnce,
    start: job.start,
    /** Stops the schedule, aborts the queries in flight and waits for the run under way. */
    stop: job.stop,
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
