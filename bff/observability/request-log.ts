import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from './logger';

/**
 * The logger of the request a route is serving: the app's logger with the request's id bound (a pino child,
 * made once per request by the request-log middleware in app.ts), so every line logged for the request
 * carries the id echoed in X-Request-Id.
 *
 * Passed explicitly rather than found through AsyncLocalStorage: on Node 20 an AsyncLocalStorage in use
 * runs JavaScript hooks for every promise the process creates (~50 µs of a ~1 ms lookup, README
 * "Performance", issue 11). Routes log through `requestLog(c, …)` and hand `withRequestLog(c, deps)` to the
 * services they call. What runs beside or after requests (the ERP client, whose one call serves every lookup
 * of a payer in flight; the webhook dispatcher; the jobs) logs without a request id.
 */

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the request-log middleware (app.ts). */
    log: Logger;
    /** The request's id (`requestIds`), echoed in X-Request-Id. */
    requestId: string;
  }
}

/** What an id given by the caller (a proxy's, a load balancer's) may be: Hono's requestId() rule. */
const GIVEN_ID = /^[\w\-=]{1,255}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is 1–255 characters of letters, digits, `_`, `-` and
 * `=`, else a new UUID. Hono's requestId() with one difference: it does not put the header on the response
 * before the route runs. On @hono/node-server `c.header()` there builds a web `Headers` for every request,
 * which an answer built whole (`jsonAnswer`) never uses; the request-log middleware in app.ts adds the header
 * to every other answer once it is made.
 */
export function requestIds(): MiddlewareHandler {
  return (c, next) => {
    const given = c.req.header('X-Request-Id');
    c.set('requestId', given !== undefined && GIVEN_ID.test(given) ? given : crypto.randomUUID());
    return next();
  };
}

/** The request's logger, or `fallback` outside the app (a route mounted on its own in a test). */
export function requestLog(c: Context, fallback: Logger): Logger {
  return c.get('log') ?? fallback;
}

/** `deps` with the request's logger in place of the app's, for a service called by a route. */
export function withRequestLog<D extends { readonly logger: Logger }>(c: Context, deps: D): D {
  const log = c.get('log');
  return log === undefined || log === deps.logger ? deps : { ...deps, logger: log };
}
