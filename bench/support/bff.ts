import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../bff/app';
import { noRateLimit, noopMetrics, type AppDeps } from '../../bff/app-deps';
import type { Config } from '../../bff/config/config-schema';
import { parseConfig } from '../../bff/config/load-config';
import { createErpClient } from '../../bff/erp/erp-client';
import { createCachedErpClient } from '../../bff/erp/cached-erp-client';
import { createLinkSealer } from '../../bff/links/link-token';
import { createSilentLogger } from '../../bff/observability/logger';
import type { ErpPort } from '../../bff/services/ports';
import { createSqliteStore } from '../../bff/store/sqlite-store';
import type { Store } from '../../bff/store/store';

export const BENCH_MERCHANT = 'bench';

/** PayU's public sandbox account (the demo's); the simulator mode keeps every URL on this machine. */
export const BENCH_PAYU = {
  mode: 'simulator',
  merchantId: '508029',
  accountId: '512321',
  apiKey: '4Vj8eK4rloUd272L48hsrarnUA',
  apiLogin: 'pRRXKOl8ikMmt9u',
  algorithm: 'SHA256',
} as const;

export function benchConfig(erpUrl: string): Config {
  return parseConfig({
    publicUrl: 'http://127.0.0.1:8787',
    linkSecret: 'bench-link-secret-0123456789abcdef0123456789',
    merchants: [
      {
        id: BENCH_MERCHANT,
        name: 'Inversiones Bench S.A.S.',
        apiToken: 'bench-api-token-0123456789',
        timezone: 'America/Bogota',
        erp: { url: erpUrl },
        payu: BENCH_PAYU,
        minimumPayment: { COP: '10000' },
        webhook: {
          url: 'http://127.0.0.1:9/merchant-events',
          secret: `whsec_${Buffer.from('bench-webhook-secret-32-bytes-long').toString('base64')}`,
        },
      },
    ],
  });
}

/**
 * Dependencies as bff/server.ts builds them, minus what a benchmark must not measure or touch: the real
 * ERP client (production: false, so loopback is allowed) behind the cached client (single flight, breaker,
 * stale-if-error), a store (in-memory SQLite unless given), no rate limit, a silent logger, no metrics.
 */
export async function benchDeps(options: { erpUrl: string; store?: Store; erp?: ErpPort }): Promise<{
  deps: AppDeps;
  close(): Promise<void>;
}> {
  const config = benchConfig(options.erpUrl);
  const store = options.store ?? createSqliteStore(':memory:');
  await store.migrate();
  const erpClient = createCachedErpClient(createErpClient({ production: false }));
  const deps: AppDeps = {
    config,
    merchants: new Map(config.merchants.map((m) => [m.id, m])),
    erp: options.erp ?? erpClient,
    store,
    clock: { now: () => new Date() },
    logger: createSilentLogger(),
    links: createLinkSealer(config.linkSecret),
    rateLimiter: noRateLimit,
    metrics: noopMetrics,
    onOutboxWritten: () => {},
    production: false,
    staticDir: null,
  };
  return {
    deps,
    async close() {
      erpClient.close();
      await store.close();
    },
  };
}

/** The BFF served with @hono/node-server on a loopback port, as in production. */
export async function startBff(erpPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const { deps, close } = await benchDeps({ erpUrl: `http://127.0.0.1:${erpPort}/get-recaudas` });
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => void close().then(resolve));
      }),
  };
}
