import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed, JSONValue } from 'hono/utils/types';
import { encodeJson } from './json-encoding';

/**
 * API answers built whole: every header the middleware would add afterwards (security headers, Cache-Control,
 * Vary, X-Request-Id, Content-Encoding) is in the answer when the route returns it, as a plain record.
 *
 * Why: the middleware that add headers after the route (securityHeaders, compressApi, the request log's
 * X-Request-Id check) read and write `c.res.headers`, which turns @hono/node-server's lightweight response
 * into a web `Headers` object that is then copied, sorted and iterated again to write the answer. A plain
 * record goes straight to `writeHead` (README "Performance", issue 11). The middleware see a finished
 * answer (`isFinished`) and leave it alone, so each header still has one place that decides it:
 * securityHeaders gives the record of an API answer's headers (`answerHeaders`), encodeJson the encoding.
 *
 * A route answering with jsonAnswer sets no header of its own through `c.header()` (it would be ignored).
 */

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by securityHeaders on /api/ requests: the security and cache headers of every API answer. */
    answerHeaders: Readonly<Record<string, string>>;
  }
}

const finished = new WeakSet<Response>();

/** Whether `res` was built by jsonAnswer with all of its headers. */
export function isFinished(res: Response): boolean {
  return finished.has(res);
}

/**
 * `c.json(object, status)`, built whole when securityHeaders gave the request its API headers (else exactly
 * `c.json`, and the middleware add the headers as for any answer).
 */
export function jsonAnswer<T extends JSONValue | object, U extends ContentfulStatusCode>(
  c: Context,
  object: T,
  status: U,
): Response & TypedResponse<JSONParsed<T>, U, 'json'> {
  const base = c.get('answerHeaders');
  const requestId = c.get('requestId');
  if (!base || !requestId) return c.json(object as JSONValue, status) as never;
  const { body, encoding } = encodeJson(JSON.stringify(object), c.req.header('Accept-Encoding'));
  const headers: Record<string, string> = {
    ...base,
    'content-type': 'application/json',
    // Whatever this client sent, a cache between must not hand one client's encoding to another.
    vary: 'Accept-Encoding',
    'x-request-id': requestId,
  };
  if (encoding) headers['content-encoding'] = encoding;
  const res = new Response(body, { status, headers });
  finished.add(res);
  return res as never;
}
