import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsPort } from '../app-deps';
import type { ErpPort } from '../services/ports';
import type { NotificationBacklog } from '../store/notification-records';

/**
 * Prometheus metrics for /metrics (decision 0007). Every label value comes from a closed set — outcome
 * codes, merchant ids from the config, route patterns — never from request data, so a caller cannot grow
 * the series count and no personal data can reach a label.
 *
 * A Registry of our own rather than prom-client's global one: tests build several apps in one process, and
 * each must see only its own counts.
 */

export type BreakerStateName = 'closed' | 'open' | 'half-open';
const BREAKER_STATES: readonly BreakerStateName[] = ['closed', 'half-open', 'open'];

export interface MetricsSources {
  /** Undelivered outbox messages (Store.outboxBacklog), read at scrape time. */
  readonly outboxBacklog?: () => Promise<number>;
  /** Per-merchant ERP circuit breaker state (CachedErpClient.getBreakerStates), read at scrape time. */
  readonly breakerStates?: () => Readonly<Record<string, BreakerStateName>>;
  /** The notification outbox's waiting rows and oldest due row (Store.notificationBacklog), at scrape time. */
  readonly notificationBacklog?: () => Promise<NotificationBacklog>;
  /** The clock the outbox age is measured with (default: the system clock). */
  readonly now?: () => Date;
  /** Node process metrics (CPU, memory, event loop lag, GC). Off by default: tests do not need them. */
  readonly processMetrics?: boolean;
}

export interface Metrics extends MetricsPort {
  readonly registry: Registry;
  /** The ErpPort with each call timed and each failure counted. */
  observeErp(erp: ErpPort): ErpPort;
  /** One checkout looked at by the reconciliation job: what PayU said and what the store did with it. */
  reconciliation(payuStatus: string, result: string): void;
  /**
   * One notification handled by this instance's job: `sent`, `failed` (permanent, or gave up) or `deferred`
   * (held by the collection law, or a transient failure to retry), with the hold reason or `retry`.
   */
  notification(
    kind: string,
    channel: string,
    outcome: 'sent' | 'failed' | 'deferred',
    reason?: string | null,
  ): void;
  /** For AppDeps.renderMetrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

// Seconds. The ERP budget is 5 s by default and at most 60 s; the PayU callback and API routes are faster.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  if (sources.processMetrics) collectDefaultMetrics({ register: registry });

  const lookups = new Counter({
    name: 'saldo_lookups_total',
    help: 'Payer lookups by outcome (ok or the error code answered).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const checkouts = new Counter({
    name: 'saldo_checkouts_total',
    help: 'Checkout requests by outcome (created, replay or the error code answered).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const confirmations = new Counter({
    name: 'saldo_payu_confirmations_total',
    help: 'PayU confirmations by outcome (applied, duplicate, final or why they were refused).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reconciliations = new Counter({
    name: 'saldo_reconciliations_total',
    help: 'Stale pending checkouts checked against the PayU Queries API, by PayU status and store result.',
    labelNames: ['payu_status', 'result'] as const,
    registers: [registry],
  });
  const erpDuration = new Histogram({
    name: 'saldo_erp_request_duration_seconds',
    help: 'Time to get a payer’s items from the merchant ERP (after single flight, cache and breaker).',
    labelNames: ['merchant', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const erpErrors = new Counter({
    name: 'saldo_erp_errors_total',
    help: 'Failed ERP calls by error code and detail.',
    labelNames: ['merchant', 'code', 'detail'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'saldo_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  new Gauge({
    name: 'saldo_erp_breaker_state',
    help: 'ERP circuit breaker per merchant: 1 for the current state, 0 for the others.',
    labelNames: ['merchant', 'state'] as const,
    registers: [registry],
    collect() {
      if (!sources.breakerStates) return;
      // Reset first so a merchant removed from the client stops being reported.
      this.reset();
      for (const [merchant, current] of Object.entries(sources.breakerStates())) {
        for (const state of BREAKER_STATES) this.set({ merchant, state }, state === current ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'saldo_webhook_outbox_backlog',
    help: 'Merchant webhook messages not yet delivered.',
    registers: [registry],
    async collect() {
      if (!sources.outboxBacklog) return;
      try {
        this.set(await sources.outboxBacklog());
      } catch {
        // A scrape must not fail because the database does (readyz reports that); NaN says "unknown"
        // instead of repeating the last value as if it were current.
        this.set(Number.NaN);
      }
    },
  });

  const notifications = new Counter({
    name: 'saldo_notifications_total',
    help: 'Payer notifications handled by this instance, by kind, channel and outcome (sent, failed, deferred).',
    labelNames: ['kind', 'channel', 'outcome'] as const,
    registers: [registry],
  });
  const deferred = new Counter({
    name: 'saldo_notifications_deferred_total',
    help: 'Notifications put off, by kind, channel and reason (a collection-law hold reason, or retry).',
    labelNames: ['kind', 'channel', 'reason'] as const,
    registers: [registry],
  });
  const now = sources.now ?? (() => new Date());
  // A scrape must not fail because the database does (readyz reports that): null → the gauges say unknown.
  const readBacklog = () => (sources.notificationBacklog?.() ?? Promise.resolve(null)).catch(() => null);
  new Gauge({
    name: 'saldo_notifications_queued',
    help: 'Notifications waiting in the outbox (all instances), by kind, channel and status (queued, held).',
    labelNames: ['kind', 'channel', 'status'] as const,
    registers: [registry],
    async collect() {
      if (!sources.notificationBacklog) return;
      const b = await readBacklog();
      this.reset();
      for (const w of b?.waiting ?? [])
        this.set({ kind: w.kind, channel: w.channel, status: w.status }, w.count);
    },
  });
  new Gauge({
    name: 'saldo_notification_outbox_oldest_due_seconds',
    help: 'How long the oldest due notification has been waiting to be sent (0 when none is due; NaN when unknown).',
    registers: [registry],
    async collect() {
      if (!sources.notificationBacklog) return;
      const b = await readBacklog();
      if (b === null) this.set(Number.NaN);
      else this.set(b.oldestDueAt ? Math.max(0, (now().getTime() - b.oldestDueAt.getTime()) / 1000) : 0);
    },
  });

  return {
    registry,
    notification(kind, channel, outcome, reason) {
      notifications.inc({ kind, channel, outcome });
      if (outcome === 'deferred') deferred.inc({ kind, channel, reason: reason ?? 'retry' });
    },
    lookup: (outcome) => lookups.inc({ outcome }),
    checkout: (outcome) => checkouts.inc({ outcome }),
    confirmation: (outcome) => confirmations.inc({ outcome }),
    request: (method, route, status, seconds) =>
      httpDuration.observe({ method, route, status: String(status) }, seconds),
    reconciliation: (payuStatus, result) => reconciliations.inc({ payu_status: payuStatus, result }),
    observeErp(erp) {
      return {
        async fetchPendingPayments(merchant, idNumber) {
          const end = erpDuration.startTimer({ merchant: merchant.id });
          try {
            const result = await erp.fetchPendingPayments(merchant, idNumber);
            if (result.ok) {
              end({ outcome: result.stale ? 'stale' : 'ok' });
            } else {
              end({ outcome: result.error });
              erpErrors.inc({ merchant: merchant.id, code: result.error, detail: result.detail });
            }
            return result;
          } catch (err) {
            end({ outcome: 'exception' });
            erpErrors.inc({ merchant: merchant.id, code: 'exception', detail: 'exception' });
            throw err;
          }
        },
      };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
