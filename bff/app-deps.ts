import type { Context } from 'hono';
import type { Config, MerchantConfig } from './config/config-schema';
import type { LinkSealer } from './links/link-token';
import type { Logger } from './observability/logger';
import type { Clock, ErpPort } from './services/ports';
import type { Store } from './store/store';

/** Per-client and per-id lookup limits (http-api.md 429); null when the lookup may go ahead. */
export interface LookupRateLimiter {
  consumeLookup(
    c: Context,
    merchantId: string,
    idNumber: string,
  ): Promise<{ retryAfterSeconds: number } | null>;
}

/** What the routes report to /metrics; a no-op in tests that do not look. */
export interface MetricsPort {
  lookup(outcome: string): void;
  confirmation(outcome: string): void;
  checkout(outcome: string): void;
  /** One finished HTTP request, by route pattern: never the raw path, which may carry a statement token. */
  request?(method: string, route: string, status: number, seconds: number): void;
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
  readonly rateLimiter: LookupRateLimiter;
  readonly metrics: MetricsPort;
  /** Wakes the webhook dispatcher after a committed state change (outbox rows are already durable). */
  readonly onOutboxWritten: () => void;
  /** Production mode (NODE_ENV=production): https-only, HSTS. */
  readonly production: boolean;
  /** Absolute path of the built SPA (dist/web) or null when only the API is served (tests). */
  readonly staticDir: string | null;
  /** Sub-apps mounted in the embedded demo: the demo ERP and the PayU simulator. */
  readonly mounts?: readonly {
    path: string;
    app: { fetch: (req: Request) => Response | Promise<Response> };
  }[];
  /** Renders /metrics in Prometheus text format. */
  readonly renderMetrics?: () => Promise<{ contentType: string; body: string }>;
}

export const noopMetrics: MetricsPort = { lookup() {}, confirmation() {}, checkout() {} };
export const noRateLimit: LookupRateLimiter = { consumeLookup: async () => null };
