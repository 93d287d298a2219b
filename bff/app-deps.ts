import type { Context } from 'hono';
import type { Config, MerchantConfig } from './config/config-schema';
import type { LinkSealer } from './links/link-token';
import type { PayerKeys } from './notifications/payer-key';
import type { Logger } from './observability/logger';
import type { Clock, ErpPort } from './services/ports';
import type { NotificationChannel, NotificationKind } from './store/notification-records';
import type { Store } from './store/store';
import type { ReturnsService } from './money-back/returns-service';

/** A refusal by a rate limit: the 429's `Retry-After`. */
export interface RateLimited {
  readonly retryAfterSeconds: number;
}

/** The portal's rate limits (429 `rate_limited`); each method answers null when the request may go ahead. */
export interface RateLimiter {
  /** Lookups and checkouts: per client address and per merchant + id number. */
  consumeLookup(c: Context, merchantId: string, idNumber: string): Promise<RateLimited | null>;
  /** `GET …/payments/{reference}`: per client address, so references cannot be guessed at speed. */
  consumePaymentRead(c: Context): Promise<RateLimited | null>;
  /** Merchant-authenticated routes: is this client address refused after too many failed attempts? */
  merchantAuthBlocked(c: Context): Promise<RateLimited | null>;
  /** Counts one failed merchant authentication against the client address. */
  merchantAuthFailed(c: Context): Promise<void>;
}

/** What the routes report to /metrics; a no-op in tests that do not look. */
export interface MetricsPort {
  lookup(outcome: string): void;
  confirmation(outcome: string): void;
  checkout(outcome: string): void;
  /** One finished HTTP request, by route pattern: never the raw path, which may carry a statement token. */
  request?(method: string, route: string, status: number, seconds: number): void;
}

/** The payer notifications (bff/notifications/): which channels this portal can send on, and the job's wake-up. */
export interface NotificationsPort {
  readonly payerKeys: PayerKeys;
  /** Whether `channel` can carry `kind` for this merchant (SMTP configured; WhatsApp credentials and template). */
  available(merchant: MerchantConfig, channel: NotificationChannel, kind: NotificationKind): boolean;
  /** Wakes the notification job after rows were committed. */
  kick(): void;
}

/** Everything createApp needs; server.ts builds the real ones, tests pass fakes. No module singletons. */
export interface AppDeps {
  readonly config: Config;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly erp: ErpPort;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly links: LinkSealer;
  readonly rateLimiter: RateLimiter;
  readonly metrics: MetricsPort;
  /** Wakes the webhook dispatcher after a committed state change (outbox rows are already durable). */
  readonly onOutboxWritten: () => void;
  /** Payer notifications; absent when the portal sends none (tests that do not look). */
  readonly notifications?: NotificationsPort;
  /** Production mode (NODE_ENV=production): https-only, HSTS. */
  readonly production: boolean;
  /** Absolute path of the built SPA (dist/web) or null when only the API is served (tests). */
  readonly staticDir: string | null;
  /** Sub-apps mounted in the embedded demo: the demo ERP and the PayU simulator. */
  readonly mounts?: readonly {
    path: string;
    app: { fetch: (req: Request) => Response | Promise<Response> };
  }[];
  /** Money back: the returns service server.ts builds with PayU Payouts/Refunds clients; absent → no clients. */
  readonly returns?: ReturnsService;
  /**
   * Renders /metrics in Prometheus text format, served on this app (behind config `metrics.token` when set);
   * absent → /metrics is 404 here (not configured, or served on its own port by server.ts).
   */
  readonly renderMetrics?: () => Promise<{ contentType: string; body: string }>;
}

export const noopMetrics: MetricsPort = { lookup() {}, confirmation() {}, checkout() {} };
export const noRateLimit: RateLimiter = {
  consumeLookup: async () => null,
  consumePaymentRead: async () => null,
  merchantAuthBlocked: async () => null,
  merchantAuthFailed: async () => undefined,
};
