import type { AppDeps } from '../../bff/app-deps';
import { noRateLimit, noopMetrics } from '../../bff/app-deps';
import { parseConfig } from '../../bff/config/load-config';
import type { Config } from '../../bff/config/config-schema';
import { createLinkSealer } from '../../bff/links/link-token';
import { createSilentLogger } from '../../bff/observability/logger';
import type { ErpFetchResult, ErpPort } from '../../bff/services/ports';
import { createSqliteStore } from '../../bff/store/sqlite-store';
import type { Store } from '../../bff/store/store';

export const TEST_PAYU = {
  mode: 'simulator',
  merchantId: '508029',
  accountId: '512321',
  apiKey: '4Vj8eK4rloUd272L48hsrarnUA',
  apiLogin: 'pRRXKOl8ikMmt9u',
  algorithm: 'SHA256',
} as const;

export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('test-webhook-secret-32-bytes-long').toString('base64')}`;

/** A config with one merchant `acme`, overridable per test. */
export function testConfig(
  overrides: { merchant?: Record<string, unknown>; root?: Record<string, unknown> } = {},
): Config {
  return parseConfig({
    publicUrl: 'http://127.0.0.1:8787',
    linkSecret: 'test-link-secret-0123456789abcdef0123456789',
    ...overrides.root,
    merchants: [
      {
        id: 'acme',
        name: 'ACME S.A.S.',
        apiToken: 'acme-api-token-0123456789',
        erp: { url: 'http://127.0.0.1:9/get-recaudas' },
        payu: TEST_PAYU,
        minimumPayment: { COP: '10000' },
        webhook: { url: 'http://127.0.0.1:9/merchant-events', secret: TEST_WEBHOOK_SECRET },
        returnUrl: 'https://www.acme.co',
        ...overrides.merchant,
      },
    ],
  });
}

/** A fake ERP: answers from a table of id → body (or a fixed failure), and counts its calls. */
export function fakeErp(table: Record<string, unknown> | ((idNumber: string) => ErpFetchResult)) {
  const calls: string[] = [];
  const port: ErpPort = {
    async fetchPendingPayments(_merchant, idNumber) {
      calls.push(idNumber);
      if (typeof table === 'function') return table(idNumber);
      return { ok: true, body: table[idNumber] ?? { payments: [] } };
    },
  };
  return { port, calls };
}

export interface FakeDeps extends AppDeps {
  readonly store: Store;
  setNow(date: Date): void;
  readonly outboxKicks: { count: number };
}

export async function fakeDeps(
  options: { config?: Config; erp?: ErpPort; store?: Store; now?: Date } = {},
): Promise<FakeDeps> {
  const config = options.config ?? testConfig();
  const store = options.store ?? createSqliteStore(':memory:');
  await store.migrate();
  let now = options.now ?? new Date('2025-03-10T15:00:00Z');
  const outboxKicks = { count: 0 };
  return {
    config,
    merchants: new Map(config.merchants.map((m) => [m.id, m])),
    erp: options.erp ?? fakeErp({}).port,
    store,
    clock: { now: () => now },
    logger: createSilentLogger(),
    links: createLinkSealer(config.linkSecret),
    rateLimiter: noRateLimit,
    metrics: noopMetrics,
    onOutboxWritten: () => {
      outboxKicks.count++;
    },
    production: false,
    staticDir: null,
    setNow(date: Date) {
      now = date;
    },
    outboxKicks,
  };
}
