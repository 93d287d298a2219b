import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './app-deps';
import { embedScript } from './embed/embed-script';
import { apiError } from './http/api-error';
import { compressApi } from './http/compress-api';
import { isFinished } from './http/finished-answer';
import { BODY_LIMITS, limitBody } from './http/body-limit';
import { metricsAuth, metricsHandler } from './http/metrics-endpoint';
import { openApiRoutes } from './http/openapi';
import { securityHeaders } from './http/security-headers';
import { requestIds } from './observability/request-log';
import { createSpaRenderer } from './http/spa-html';
import { allocateRoutes } from './routes/allocate-routes';
import { linkRoutes } from './routes/link-routes';
import { chargeLinkRoutes } from './routes/charge-link-routes';
import { merchantChargeRoutes } from './routes/merchant-charge-routes';
import { lookupRoutes } from './routes/lookup-routes';
import { merchantNotificationRoutes, statementRoutes } from './routes/notification-routes';
import { paymentRoutes } from './routes/payment-routes';
import { whatsappRoutes } from './routes/whatsapp-routes';
import { payuRoutes } from './routes/payu-routes';
import { returnRoutes } from './routes/return-routes';
import { createReturnsService } from './money-back/returns-service';
import { isColombianHoliday } from '../shared/calendar/colombian-holidays';
import { receiptRoutes } from './routes/receipt-routes';

/** Polled every few seconds by orchestrators and Prometheus: logged at debug only, so they do not drown the rest. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** An Accept-Encoding that may accept what compress() sends (it weighs the q-values itself). */
const ACCEPTS_GZIP = /\b(?:gzip|deflate)\b|\*/i;

/**
 * The BFF: one Hono app built from its dependencies (README "Layout"). Routes are chained so their types
 * flow into the SPA's `hc<AppType>` client.
 */
export function createApp(deps: AppDeps) {
  const textCompress = compress();
  const returns =
    deps.returns ??
    createReturnsService({
      ...deps,
      ports: { payouts: () => null, refunds: () => null, isHoliday: isColombianHoliday },
    });
  const money = returnRoutes(deps, returns);
  const api = new Hono()
    .route('/', lookupRoutes(deps))
    .route('/', paymentRoutes(deps))
    .route('/', allocateRoutes(deps))
    .route('/', linkRoutes(deps))
    .route('/', statementRoutes(deps))
    .route('/', chargeLinkRoutes(deps));

  const app = new Hono()
    // First, so its headers land on every response: API, static, SPA, redirects, errors and 404s.
    .use(
      securityHeaders({
        production: deps.production,
        merchants: deps.merchants,
        publicUrl: deps.config.publicUrl,
      }),
    )
    // HTML and JSON over 1 KB are compressed when the client accepts it; static assets come precompressed
    // (vite.config.ts), and compress() leaves a response that already has a Content-Encoding alone. Only
    // asked when the client names gzip, deflate or *: otherwise compress() still adds Vary through c.header(),
    // which re-wraps the answer around a web ReadableStream (a PayU confirmation's "OK" included: README
    // "Performance"), and an answer sent as it is needs no Vary.
    .use(async (c, next) => {
      if (!ACCEPTS_GZIP.test(c.req.header('Accept-Encoding') ?? '')) return next();
      await next();
      // compress() does all of its work after next(): run now, on this answer. An answer built whole
      // (finished-answer.ts) is JSON that was encoded when it was built.
      if (!isFinished(c.res)) await textCompress(c, async () => {});
    })
    // API answers: one synchronous brotli/gzip call at a fast level instead of a stream (http/compress-api.ts).
    .use('/api/*', compressApi())
    .use(requestIds())
    // Everything logged for the request goes through its own logger, which carries its id
    // (observability/request-log.ts); the request line last, with the route pattern and the time taken.
    .use(async (c, next) => {
      const log = deps.logger.child({ requestId: c.get('requestId') });
      c.set('log', log);
      const started = performance.now();
      await next();
      if (!isFinished(c.res) && !c.res.headers.has('X-Request-Id')) {
        // Every answer but one built whole gets the id here (requestIds() prepares no header). Mounted
        // sub-apps (PayU simulator, demo ERP) answer with a Response from fetch(), whose headers are
        // immutable, hence the re-wrap.
        try {
          c.res.headers.set('X-Request-Id', c.get('requestId'));
        } catch {
          c.res = new Response(c.res.body, c.res);
          c.res.headers.set('X-Request-Id', c.get('requestId'));
        }
      }
      const seconds = (performance.now() - started) / 1000;
      // The route pattern, never the path: a statement link's path is a bearer token.
      const line = { method: c.req.method, route: c.req.routePath, status: c.res.status };
      deps.metrics.request?.(line.method, line.route, line.status, seconds);
      if (line.status >= 500) {
        log.error(line, 'request failed');
      } else if (PROBES.has(c.req.path)) {
        log.debug({ ...line, ms: Math.round(seconds * 1000) }, 'request');
      } else {
        log.info({ ...line, ms: Math.round(seconds * 1000) }, 'request');
      }
    })
    // No route reads more than this; routes that need less set their own (bff/http/body-limit.ts).
    .use(limitBody(BODY_LIMITS.backstop))
    .route('/', openApiRoutes(deps.config.publicUrl))
    .get('/healthz', (c) => c.json({ status: 'ok' }, 200))
    .get('/readyz', async (c) => {
      const ok = await deps.store.ping().catch(() => false);
      return c.json({ status: ok ? 'ok' : 'database_unavailable' }, ok ? 200 : 503);
    })
    .route('/api/v1', api)
    .route('/api/v1', money.payerApi)
    .route('/', money.merchantApi)
    .route('/v1', merchantChargeRoutes(deps))
    .route('/payu', money.payuNotices)
    .route('/payu', payuRoutes(deps, returns))
    .route('/', receiptRoutes(deps))
    .route('/', merchantNotificationRoutes(deps))
    .route('/whatsapp', whatsappRoutes(deps));

  // Registered even when absent, so the SPA fallback below never answers /metrics with a page.
  if (deps.renderMetrics) {
    const metricsConfig = deps.config.metrics;
    const token = metricsConfig && 'token' in metricsConfig ? metricsConfig.token : null;
    if (token) app.get('/metrics', metricsAuth(token), metricsHandler(deps.renderMetrics));
    else app.get('/metrics', metricsHandler(deps.renderMetrics));
  } else {
    app.get('/metrics', (c) => apiError(c, 404, 'not_found'));
  }
  const embedJs = embedScript(deps.config.publicUrl);
  app.get('/embed.js', (c) =>
    c.body(embedJs, 200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );
  // Sub-apps see the full path (their own routes carry the prefix).
  for (const mount of deps.mounts ?? []) app.mount(mount.path, mount.app.fetch, { replaceRequest: false });

  if (deps.staticDir) {
    const root = deps.staticDir;
    const renderSpa = createSpaRenderer(readFileSync(join(root, 'index.html'), 'utf8'), deps.merchants);
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.ok) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
    });
    // A directory is never a file to send (with index '' serveStatic would stream the directory itself and
    // fail with EISDIR): `/` and other directory paths go on to the SPA fallback below.
    const files = serveStatic({ root, index: 'index.html', precompressed: true });
    app.use('/*', (c, next) => (c.req.path.endsWith('/') ? next() : files(c, next)));
    // Every other GET is a route of the SPA (/:merchant, /:merchant/s/:token, /:merchant/pay/result/:ref).
    app.get('*', (c) => {
      // An unknown API path is an API 404, not the SPA shell with a 200.
      if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return apiError(c, 404, 'not_found');
      c.header('Cache-Control', 'no-cache');
      return c.html(renderSpa(c.req.url), 200);
    });
  }

  app.notFound((c) => apiError(c, 404, 'not_found'));
  app.onError((err, c) => {
    // A middleware that prepared its own answer (bearerAuth's 401) gives it; Hono's other 4xx (a body that
    // is not JSON) stay 4xx with our error shape.
    if (err instanceof HTTPException && err.status < 500) {
      if (err.res) return err.getResponse();
      return apiError(c, 400, 'invalid_request', 'The request body is not valid JSON.');
    }
    // The request's logger carries its id; a fault before the request-log middleware ran names it here.
    const log = c.get('log');
    (log ?? deps.logger).error(
      {
        ...(log ? {} : { requestId: c.get('requestId') }),
        err: { name: err.name, message: err.message },
      },
      'unhandled',
    );
    return apiError(c, 500, 'internal_error');
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;
