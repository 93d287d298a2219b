import { Hono, type Handler, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';

export type RenderMetrics = () => Promise<{ contentType: string; body: string }>;

/** GET /metrics in Prometheus text format. */
export function metricsHandler(render: RenderMetrics): Handler {
  return async (c) => {
    const { contentType, body } = await render();
    return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  };
}

/**
 * config `metrics.token`: the scraper sends `Authorization: Bearer <token>` (Prometheus'
 * `authorization.credentials`). One fixed secret in one header is what Hono's bearerAuth is for; it compares
 * in constant time. Its refusals are made one 401 with the API's error shape (it would answer a malformed
 * header with 400).
 */
export function metricsAuth(token: string): MiddlewareHandler {
  const refused = () =>
    new Response(
      JSON.stringify({ error: { code: 'unauthorized', message: 'A valid metrics token is required.' } }),
      { status: 401, headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' } },
    );
  return bearerAuth({
    token,
    noAuthenticationHeader: { message: refused },
    invalidAuthenticationHeader: { message: refused },
    invalidToken: { message: refused },
  });
}

/**
 * config `metrics.port`: /metrics alone on its own listener (server.ts binds it to `metrics.host`), so the
 * public port never serves it and the network decides who may scrape.
 */
export function createMetricsApp(render: RenderMetrics) {
  return new Hono().get('/metrics', metricsHandler(render));
}
