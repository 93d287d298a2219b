import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from '../../bff/app';
import { noRateLimit, noopMetrics, type AppDeps } from '../../bff/app-deps';
import type { Config } from '../../bff/config/config-schema';
import { parseConfig } from '../../bff/config/load-config';
import { createErpClient } from '../../bff/erp/erp-client';
import { createCachedErpClient } from '../../bff/erp/cached-erp-client';
import { createRateLimiter } from '../../bff/http/rate-limit';
import { createLinkSealer } from '../../bff/links/link-token';
import { createLogger, createSilentLogger } from '../../bff/observability/logger';
import { createMetrics } from '../../bff/observability/metrics';
import type { ErpPort } from '../../bff/services/ports';
import { createPostgresStore } from '../../bff/store/postgres-store';
import { createSqliteStore } from '../../bff/store/sqlite-store';
import type { Store } from '../../bff/store/store';
import { createCharge } from '../../bff/charges/charge-service';
import { calendarDateIn } from '../../shared/dates';
import { benchChargeBody } from './charge-payload';

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

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function benchConfig(erpUrl: string, erp: { maxBytes?: number; cacheTtlMs?: number } = {}): Config {
  return parseConfig({
    publicUrl: 'http://127.0.0.1:8787',
    linkSecret: 'bench-link-secret-0123456789abcdef0123456789',
    // The load comes from one address (and single flight asks one id 1,000 times): limits it cannot reach
    // keep the limiter's work in every lookup without refusing any.
    rateLimits: { lookupsPerIpPerMinute: 1_000_000_000, lookupsPerIdPer10Minutes: 1_000_000_000 },
    merchants: [
      {
        id: BENCH_MERCHANT,
        name: 'Inversiones Bench S.A.S.',
        apiToken: 'bench-api-token-0123456789',
        timezone: 'America/Bogota',
        erp: { url: erpUrl, ...erp },
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

export interface ServedBffOptions {
  /** The store engine; PostgreSQL gets a schema of its own at PG_URL, dropped on close. */
  readonly engine?: 'sqlite' | 'postgres';
  /** The merchant's erp.maxBytes (the scaling row's 5,000-item answer is 3.3 MB). */
  readonly maxBytes?: number;
  /** The merchant's erp.cacheTtlMs: 0 when payers are asked again within the default 2 s (charges row). */
  readonly cacheTtlMs?: number;
}

/** The BFF of the benchmarks and what a bench may do to its store from outside. */
export interface ServedBff {
  readonly port: number;
  /** Creates `perPayer` charges for each payer through the charge service (the API's own path). */
  seedCharges(payers: readonly string[], perPayer: number): Promise<number>;
  /** The merchant's stored charges, every status. */
  countCharges(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The BFF served with @hono/node-server on a loopback port, as bff/server.ts builds it: request logs at info
 * (written to /dev/null: the cost of a log line is in making it), Prometheus metrics with the ERP timed, and
 * the in-memory lookup rate limiter.
 */
export async function startBff(erpPort: number, options: ServedBffOptions = {}): Promise<ServedBff> {
  const erpUrl = `http://127.0.0.1:${erpPort}/get-recaudas`;
  const config = benchConfig(erpUrl, {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.cacheTtlMs === undefined ? {} : { cacheTtlMs: options.cacheTtlMs }),
  });
  const schema = `bench_lookup_${process.pid}`;
  const store =
    options.engine === 'postgres' ? createPostgresStore(PG_URL, { schema }) : createSqliteStore(':memory:');
  await store.migrate();
  const logger = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null' }) });
  const erpClient = createCachedErpClient(createErpClient({ production: false, logger }), { logger });
  const metrics = createMetrics({ breakerStates: () => erpClient.getBreakerStates() });
  const deps: AppDeps = {
    config,
    merchants: new Map(config.merchants.map((m) => [m.id, m])),
    erp: metrics.observeErp(erpClient),
    store,
    clock: { now: () => new Date() },
    logger,
    links: createLinkSealer(config.linkSecret),
    rateLimiter: createRateLimiter({
      rateLimits: config.rateLimits,
      proxies: { hops: config.trustedProxies, addresses: null },
      idHashSecret: config.linkSecret,
    }),
    metrics,
    renderMetrics: () => metrics.render(),
    onOutboxWritten: () => {},
    production: false,
    staticDir: null,
  };
  const close = async () => {
    erpClient.close();
    await store.close();
    if (options.engine === 'postgres') await dropSchema(schema).catch(() => undefined);
  };
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const merchant = config.merchants[0]!;
  return {
    port: (server.address() as AddressInfo).port,
    async seedCharges(payers, perPayer) {
      const today = calendarDateIn(merchant.timezone, new Date());
      let created = 0;
      for (const payer of payers) {
        for (let i = 0; i < perPayer; i++) {
          const r = await createCharge(deps, merchant, benchChargeBody(i, payer, today), null);
          if (!r.ok) throw new Error(`seed charge ${i}: ${r.code} ${JSON.stringify(r.fields ?? [])}`);
          created++;
        }
      }
      return created;
    },
    async countCharges() {
      let n = 0;
      let after: { createdAt: Date; externalReference: string } | undefined;
      for (;;) {
        const page = await store.listCharges(merchant.id, { limit: 500, ...(after ? { after } : {}) });
        n += page.length;
        const last = page.at(-1);
        if (page.length < 500 || !last) return n;
        after = { createdAt: last.createdAt, externalReference: last.externalReference };
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => void close().then(resolve));
      }),
  };
}

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL cannot be used for a bench (null when it answers): its rows are skipped, not failed. */
export async function postgresUnreachable(): Promise<string | null> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
