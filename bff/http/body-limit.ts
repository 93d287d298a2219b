import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiError } from './api-error';

/**
 * Request-body sizes by what each route needs (issue 9.1: one 200 MB POST stalled the process). A PayU
 * confirmation is some sixty short form fields; a lookup is an id number or a statement token; a checkout
 * holds at most 50 items and a buyer; the merchant API (charges) takes documents up to 1 MiB.
 */
export const BODY_LIMITS = {
  payuCallback: 8 * 1024,
  small: 16 * 1024,
  checkout: 64 * 1024,
  merchantApi: 1024 * 1024,
  /** Everything else, mounted demo apps included: nothing the portal serves needs more. */
  backstop: 1024 * 1024,
} as const;

/**
 * 413 `payload_too_large` when the body is over `maxBytes`: at once from Content-Length, or while reading a
 * body sent without one (chunked), before anything parses it. Hono's bodyLimit stops reading at the limit,
 * so no more than `maxBytes` is ever held. Place it first on a route, before auth and validation.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    apiError(c, 413, 'payload_too_large', `The request body may not exceed ${maxBytes} bytes.`, {
      Connection: 'close',
    });
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  // Decided from the headers when they say it all, as bodyLimit itself would, but without touching
  // `c.req.raw.body`: on @hono/node-server that builds a full web Request with a ReadableStream over the
  // socket and an AbortController for every request (GETs too), and the JSON validator then reads through
  // it instead of node-server's direct read (README "Performance").
  return (c, next) => {
    const method = c.req.method;
    // Requests without a body (node-server gives GET and HEAD none, as fetch does).
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
    }
    return streamed(c, next);
  };
}
