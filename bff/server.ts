import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { calendarDateIn } from '../shared/dates';
import { createApp } from './app';
import type { AppDeps } from './app-deps';
import type { Config } from './config/config-schema';
import { DEMO_WEBHOOK_SECRET, demoConfig } from './config/demo-config';
import { ConfigError, loadConfigFile } from './config/load-config';
import { seedDemoCharges } from './demo/demo-charges';
import { createDemoErp } from './demo/demo-erp';
import { notificationDemo } from './demo/notification-demo';
import { assertErpUrlAllowed, createErpClient } from './erp/erp-client';
import { createCachedErpClient } from './erp/cached-erp-client';
import { proxyAllowList } from './http/client-ip';
import { createMetricsApp } from './http/metrics-endpoint';
import { createRateLimiter, createRateLimitRedis } from './http/rate-limit';
import { createChargeSchedule } from './jobs/charge-schedule';
import { createReconciler } from './jobs/reconcile';
import { createLinkSealer } from './links/link-token';
import { createNotifications } from './notifications/create-notifications';
import { startCaptureServer } from './notifications/email/capture-server';
import { paymentNotifications } from './notifications/receipt';
import { createWhatsappSimulator } from './notifications/whatsapp/simulator';
import { createLogStream } from './observability/log-stream';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { createPayuSimulator } from './demo/payu-simulator/simulator';
import { createMoneyBackSimulator } from './demo/payu-money-back/simulator';
import { createReturnsJob } from './jobs/returns-job';
import { createReturnsService } from './money-back/returns-service';
import { createPayoutsClient, PAYU_PAYOUTS_URLS, type PayoutsClient } from './payu/payouts-client';
import { createRefundsClient, PAYU_API_BASES, type RefundsClient } from './payu/refunds-client';
import { isColombianHoliday } from '../shared/calendar/colombian-holidays';
import { armExitWatchdog } from './process/exit-watchdog';
import { createStore } from './store/create-store';
import { createWebhookDispatcher } from './webhooks/dispatcher';
import { createWebhookUrlGuard } from './webhooks/url-guard';

/**
 * The only module with side effects (README "Layout"): reads the environment and the config, builds the
 * real dependencies, serves, and shuts down cleanly on SIGTERM/SIGINT (in-flight requests drain first).
 * Logging can fail, exiting cannot: a dead log reader never blocks or crashes the process (log-stream.ts),
 * and the exit is forced after DRAIN_LIMIT_MS even when the main thread is blocked (exit-watchdog.ts).
 */
const env = process.env;
const production = env.NODE_ENV === 'production';
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const DRAIN_LIMIT_MS = 10_000;
/** The watchdog's SIGKILL comes later than the main thread's own forced exit, which can still log why. */
const WATCHDOG_MS = DRAIN_LIMIT_MS + 2_000;
/** How long a clean exit waits for queued log lines to reach the OS ("bye" included). */
const LOG_DRAIN_MS = 1_000;
// Anything else written to stderr (a start-up error, a Node warning) must not crash the process on EPIPE.
process.stderr.on('error', () => undefined);
const logStream = createLogStream(process.stdout);
const logger = createLogger({ level: env.LOG_LEVEL ?? 'info', destination: logStream });

async function exitAfterLogs(code: number): Promise<never> {
  await logStream.drain(LOG_DRAIN_MS);
  process.exit(code);
}

function loadConfig(smtpPort?: number): { config: Config; demo: boolean } {
  if (env.SALDO_CONFIG) return { config: loadConfigFile(env.SALDO_CONFIG), demo: false };
  if (production) {
    // The demo's secrets are public and its pages show payers' comments and addresses to anyone.
    throw new ConfigError([
      'SALDO_CONFIG: required with NODE_ENV=production (without it the built-in demo would start, whose secrets are public)',
    ]);
  }
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = env.PUBLIC_URL ?? `http://${publicHost}:${port}`;
  const embedOrigins = env.SALDO_DEMO_EMBED_ORIGINS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    config: demoConfig({
      publicUrl,
      ...(embedOrigins ? { embedOrigins } : {}),
      ...(smtpPort === undefined ? {} : { smtpPort }),
      // The browser tests send statements at any hour: outside Colombia the law's hours do not apply.
      ...(env.SALDO_DEMO_COUNTRY ? { country: env.SALDO_DEMO_COUNTRY } : {}),
    }),
    demo: true,
  };
}

async function main(): Promise<void> {
  // The demo's mailbox: a local SMTP capture server on a free loopback port (no outside network).
  const mailbox = env.SALDO_CONFIG ? null : await startCaptureServer();
  const { config, demo } = loadConfig(mailbox?.port);
  for (const [i, m] of config.merchants.entries()) {
    if (m.erp) assertErpUrlAllowed(m.erp.url, { production, path: `merchants[${i}].erp.url` });
  }
  if (production) {
    // Production is https end to end: PayU's callbacks, links and webhooks must never travel in clear.
    const problems = [
      ...(config.publicUrl.startsWith('https://') ? [] : ['publicUrl: must be https in production']),
      ...config.merchants.flatMap((m, i) =>
        m.webhook && !m.webhook.url.startsWith('https://')
          ? [`merchants[${i}].webhook.url: must be https in production`]
          : [],
      ),
    ];
    if (problems.length > 0) throw new ConfigError(problems);
  }

  const store = createStore(env.DATABASE_URL, {
    onError: (err) => logger.error({ err: { message: err.message } }, 'database pool error'),
  });
  await store.migrate();

  const merchants = new Map(config.merchants.map((m) => [m.id, m]));
  const erpClient = createCachedErpClient(createErpClient({ production, logger }), { logger });
  const dispatcher = createWebhookDispatcher({
    store,
    merchants,
    logger,
    ...(production ? { urlAllowed: createWebhookUrlGuard() } : {}),
  });
  const metrics = createMetrics({
    outboxBacklog: () => store.outboxBacklog(),
    notificationBacklog: () => store.notificationBacklog(new Date()),
    breakerStates: () => erpClient.getBreakerStates(),
    processMetrics: true,
  });

  const mounts: NonNullable<AppDeps['mounts']>[number][] = [];
  let simulator: ReturnType<typeof createPayuSimulator> | null = null;
  if (config.merchants.some((m) => m.payu.mode === 'simulator')) {
    simulator = createPayuSimulator({
      basePath: '/payu-sim',
      // Without it the simulator only knows the logins of merchants it has seen an order for since start, and
      // answers "Invalid credentials" instead of "no such order" to the reconciliation of a never-paid checkout.
      merchantIdByApiLogin: (apiLogin) =>
        config.merchants.find((x) => x.payu.mode === 'simulator' && x.payu.apiLogin === apiLogin)?.payu
          .merchantId,
      merchants: (merchantId) => {
        const m = config.merchants.find(
          (x) => x.payu.mode === 'simulator' && x.payu.merchantId === merchantId,
        );
        return m
          ? { apiKey: m.payu.apiKey, accountId: m.payu.accountId, apiLogin: m.payu.apiLogin }
          : undefined;
      },
      // PayU does not sign responseUrl/confirmationUrl: the simulator only calls back this portal.
      isAllowedCallbackUrl: (u) => u.origin === new URL(config.publicUrl).origin,
      logger,
    });
    mounts.push({ path: '/payu-sim', app: simulator.app });
  }
  const whatsappSimPrefix = `${config.publicUrl}/whatsapp-sim/`;
  const whatsappSim = config.merchants.some((m) =>
    m.whatsapp?.apiUrl.startsWith(whatsappSimPrefix.slice(0, -1)),
  )
    ? createWhatsappSimulator({
        basePath: '/whatsapp-sim',
        numbers: (id) => {
          const m = config.merchants.find((x) => x.whatsapp?.phoneNumberId === id);
          if (!m?.whatsapp) return undefined;
          return {
            phoneNumberId: id,
            accessToken: m.whatsapp.accessToken,
            appSecret: m.whatsapp.appSecret,
            webhookUrl: `${config.publicUrl}/whatsapp/${m.id}/webhook`,
            templates: Object.values(m.whatsapp.templates).map((t) => t.name),
          };
        },
        // Status webhooks come back to this same process.
        deliver: async (req) => (lateApp ? lateApp.fetch(req) : new Response(null, { status: 503 })),
      })
    : null;
  if (whatsappSim) mounts.push({ path: '/whatsapp-sim', app: whatsappSim.app });
  const notifications = createNotifications({
    config,
    store,
    merchants,
    logger,
    onOutboxWritten: () => dispatcher.kick(),
    job: { observe: (n, outcome, reason) => metrics.notification(n.kind, n.channel, outcome, reason) },
    fetch: (input, init) =>
      whatsappSim && String(input).startsWith(whatsappSimPrefix)
        ? Promise.resolve(whatsappSim.app.fetch(new Request(input, init)))
        : fetch(input, init),
  });
  if (demo) {
    // Two exact prefixes: `/demo` itself and `/demo/s/…` are the demo merchant's portal pages.
    const pages = notificationDemo({ mail: mailbox, whatsapp: whatsappSim });
    mounts.push({ path: '/demo/mail', app: pages }, { path: '/demo/whatsapp', app: pages });
  }

  const simulatorPrefix = `${config.publicUrl}/payu-sim/`;
  const chargeSchedule = createChargeSchedule({
    store,
    merchants,
    publicUrl: config.publicUrl,
    logger,
    onOutboxWritten: () => dispatcher.kick(),
    notifications: notifications.port,
  });
  const reconciler = createReconciler({
    store,
    merchants,
    logger,
    metrics,
    onOutboxWritten: () => dispatcher.kick(),
    simulatorQueriesUrl: `${simulatorPrefix}reports-api/4.0/service.cgi`,
    // The simulator lives in this process: ask it directly, whether or not publicUrl leads back here.
    fetch: (input, init) =>
      simulator && String(input).startsWith(simulatorPrefix)
        ? Promise.resolve(simulator.app.fetch(new Request(input, init)))
        : fetch(input, init),
    pendingHoldMs: config.pendingHoldMinutes * 60_000,
    paymentNotifications: (m, checkout, status, at) =>
      paymentNotifications({ config, notifications: notifications.port }, m, checkout, status, at),
  });
  if (demo) {
    const demoErp = createDemoErp({
      today: () => calendarDateIn('America/Bogota', new Date()),
      webhookSecret: DEMO_WEBHOOK_SECRET,
    });
    mounts.push({ path: '/demo/erp', app: new Hono().route('/demo/erp', demoErp) });
  }

  const redis = env.REDIS_URL
    ? createRateLimitRedis(env.REDIS_URL, (err) =>
        logger.warn({ err: { message: err.message } }, 'rate-limit redis error'),
      )
    : undefined;
  const rateLimiter = createRateLimiter({
    rateLimits: config.rateLimits,
    proxies: { hops: config.trustedProxies, addresses: proxyAllowList(config.trustedProxyAddresses) },
    idHashSecret: config.linkSecret,
    ...(redis ? { redis } : {}),
  });

  // Money back (docs/spec/money-back.md): PayU Payouts and Refunds clients per merchant; in simulator mode
  // both APIs are the local simulator at /payu-apis-sim, asked in process like the WebCheckout simulator.
  const moneySimPrefix = `${config.publicUrl}/payu-apis-sim`;
  const simMerchant = config.merchants.find((m) => m.payu.mode === 'simulator');
  let lateApp: { fetch: (req: Request) => Response | Promise<Response> } | null = null;
  const moneySim =
    simulator && simMerchant
      ? createMoneyBackSimulator({
          now: () => new Date(),
          isHoliday: isColombianHoliday,
          apiKey: simMerchant.payu.apiKey,
          apiLogin: simMerchant.payu.apiLogin,
          publicKey: simMerchant.payouts?.publicKey ?? 'demo-payouts-public-key',
          findOrder: (id) => simulator?.orderById(id) ?? null,
          // The demo's PayU reviews a card refund in two minutes, not 1–3 business days.
          refundReviewMs: 2 * 60_000,
          payoutStepMs: 3_000,
          deliver: async (url, body) => {
            await lateApp?.fetch(
              new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
            );
          },
        })
      : null;
  if (moneySim)
    mounts.push({ path: '/payu-apis-sim', app: new Hono().route('/payu-apis-sim', moneySim.app) });
  const moneyFetch: typeof fetch = (input, init) =>
    moneySim && String(input).startsWith(moneySimPrefix)
      ? Promise.resolve(
          moneySim.app.fetch(new Request(`http://sim${String(input).slice(moneySimPrefix.length)}`, init)),
        )
      : fetch(input, init);
  const payoutClients = new Map<string, PayoutsClient>();
  const refundClients = new Map<string, RefundsClient>();
  const payoutsFor = (m: (typeof config.merchants)[number]): PayoutsClient | null => {
    if (!m.payouts) return null;
    let client = payoutClients.get(m.id);
    if (!client) {
      const baseUrl =
        m.payouts.apiUrl ?? (m.payu.mode === 'simulator' ? moneySimPrefix : PAYU_PAYOUTS_URLS[m.payu.mode]);
      client = createPayoutsClient(
        {
          baseUrl,
          merchantId: m.payu.merchantId,
          accountId: m.payu.accountId,
          apiKey: m.payu.apiKey,
          apiLogin: m.payu.apiLogin,
          publicKey: m.payouts.publicKey,
        },
        { fetch: moneyFetch, now: () => new Date() },
      );
      payoutClients.set(m.id, client);
    }
    return client;
  };
  const returns = createReturnsService({
    store,
    clock: { now: () => new Date() },
    logger,
    merchants,
    config,
    onOutboxWritten: () => dispatcher.kick(),
    onWork: () => returnsJob.kick(),
    notifications: notifications.port,
    ports: {
      isHoliday: isColombianHoliday,
      payouts: payoutsFor,
      refunds: (m) => {
        let client = refundClients.get(m.id);
        if (!client) {
          const baseUrl = m.payu.mode === 'simulator' ? moneySimPrefix : PAYU_API_BASES[m.payu.mode];
          client = createRefundsClient(
            { baseUrl, apiKey: m.payu.apiKey, apiLogin: m.payu.apiLogin, test: m.payu.mode !== 'production' },
            { fetch: moneyFetch },
          );
          refundClients.set(m.id, client);
        }
        return client;
      },
    },
  });
  const returnsJob = createReturnsJob({ service: returns, logger });

  const staticDir = resolve('dist/web');
  const deps: AppDeps = {
    config,
    merchants,
    erp: metrics.observeErp(erpClient),
    store,
    clock: { now: () => new Date() },
    logger,
    links: createLinkSealer(config.linkSecret),
    rateLimiter,
    metrics,
    // The demo shows them on its own (loopback) port; a real config says where (README "Operations").
    ...(demo || (config.metrics && 'token' in config.metrics)
      ? { renderMetrics: () => metrics.render() }
      : {}),
    onOutboxWritten: () => dispatcher.kick(),
    notifications: notifications.port,
    production,
    staticDir: existsSync(resolve(staticDir, 'index.html')) ? staticDir : null,
    mounts,
    returns,
  };
  if (!deps.staticDir) logger.warn('dist/web is not built: serving the API only (run npm run build)');

  if (demo) {
    const seeded = await seedDemoCharges(deps);
    if (seeded > 0) logger.info({ charges: seeded }, 'demo charges created');
  }
  const app = createApp(deps);
  lateApp = app;
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
    logger.info({ port: info.port, host, demo, engine: store.engine }, 'saldo listening');
    // `npm start` (scripts/start.mjs) prints the address to open; the port may have been chosen by the OS.
    const base =
      demo && !env.PUBLIC_URL ? config.publicUrl.replace(/:\d+$/, `:${info.port}`) : config.publicUrl;
    const url = `${base}/${demo ? 'demo' : config.merchants[0]?.id}`;
    process.send?.({ type: 'saldo:listening', url }, undefined, undefined, () => undefined);
  });
  const metricsListen = config.metrics && 'port' in config.metrics ? config.metrics : null;
  const metricsServer = metricsListen
    ? serve(
        {
          fetch: createMetricsApp(() => metrics.render()).fetch,
          port: metricsListen.port,
          hostname: metricsListen.host,
        },
        (info) => logger.info({ port: info.port, host: metricsListen.host }, 'metrics listening'),
      )
    : null;
  dispatcher.start();
  reconciler.start();
  returnsJob.start();
  // PayU's payout notices come to a secret URL per merchant; PayU refuses a second webhook with the same URL,
  // so registering at every start is harmless. PayU does not sign them: the secret segment is the proof.
  for (const m of config.merchants) {
    const client = payoutsFor(m);
    if (!client || !m.payouts) continue;
    void client
      .registerWebhook(`${config.publicUrl}/payu/${m.id}/payouts/${m.payouts.webhookSecret}`)
      .then((r) => logger.info({ merchant: m.id, registered: r.ok }, 'payout webhook registration'));
  }
  const moneySimTimer = moneySim
    ? setInterval(() => void moneySim.tick().catch(() => undefined), 5000)
    : null;
  moneySimTimer?.unref();
  notifications.job.start();
  chargeSchedule.start();

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    // Both armed before the first write of the shutdown: whatever blocks or throws later, the process ends.
    armExitWatchdog(WATCHDOG_MS);
    const force = setTimeout(() => {
      logger.error({ signal, drainLimitMs: DRAIN_LIMIT_MS }, 'drain limit reached: forcing the exit');
      process.exit(1);
    }, DRAIN_LIMIT_MS);
    force.unref();
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    // At once, so no new run starts and PayU queries in flight are abandoned; awaited before the store closes.
    const reconcilerStopped = reconciler.stop();
    const returnsStopped = returnsJob.stop();
    if (moneySimTimer) clearInterval(moneySimTimer);
    const chargeScheduleStopped = chargeSchedule.stop();
    // close() drops the connections idle at this moment only; a keep-alive connection whose response is
    // still being written goes idle later and would hold the exit back until its keepAliveTimeout.
    const idleSweep = setInterval(() => {
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    }, 100);
    idleSweep.unref();
    metricsServer?.close();
    server.close(() => {
      clearInterval(idleSweep);
      void (async () => {
        let code = 0;
        try {
          await reconcilerStopped;
          await returnsStopped;
          await notifications.close();
          await chargeScheduleStopped;
          await dispatcher.stop();
          await mailbox?.close();
          simulator?.close();
          erpClient.close();
          await store.close();
          await redis?.quit().catch(() => undefined);
          logger.info('bye');
        } catch (err) {
          code = 1;
          logger.error(
            { err: { name: (err as Error).name, message: (err as Error).message } },
            'shutdown failed',
          );
        }
        await exitAfterLogs(code);
      })();
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by `npm start` (an IPC channel to scripts/start.mjs): the server does not outlive its wrapper.
  process.channel?.unref();
  process.on('disconnect', () => shutdown('disconnect'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    logger.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'start-up failed');
  }
  void exitAfterLogs(1);
});
