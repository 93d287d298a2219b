import type { Context, MiddlewareHandler } from 'hono';
import { isFinished } from './finished-answer';
import { compressBytes, MIN_BYTES, pickEncoding } from './json-encoding';

/** The middleware side of json-encoding.ts: API answers that were not built whole by jsonAnswer. */

/** `Vary: Accept-Encoding` on `res` itself; through c.header() only when its headers are immutable. */
function appendVary(c: Context, res: Response): void {
  try {
    res.headers.append('Vary', 'Accept-Encoding');
  } catch {
    c.header('Vary', 'Accept-Encoding', { append: true });
  }
}

/**
 * `c.res = res`, without Hono's re-wrap: assigning over a response builds `new Response(res.body, res)` and
 * copies the old headers into it, which on @hono/node-server makes a byte body a web ReadableStream that is
 * read back asynchronously. `res` already carries every header of the answer it replaces.
 */
function replaceResponse(c: Context, res: Response): void {
  (c as unknown as { res: Response | undefined }).res = undefined;
  c.res = res;
}

/**
 * For /api/*: compresses JSON answers of 1 KB and more for clients that accept br or gzip. An answer built
 * whole by jsonAnswer (finished-answer.ts) was encoded there, by encodeJson, and is left alone.
 */
export function compressApi(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (
      isFinished(res) ||
      c.req.method === 'HEAD' ||
      res.status === 204 ||
      res.headers.has('Content-Encoding') ||
      !res.headers.get('Content-Type')?.startsWith('application/json')
    ) {
      return;
    }
    // Whatever the client sends, a cache between must not hand one client's encoding to another. Set on the
    // response's own headers: c.header() on a finished response re-wraps it around `res.body`, which on
    // @hono/node-server turns a string body into a web ReadableStream read back asynchronously (~0.3 ms of
    // CPU and most of the young-generation GC of a lookup, README "Performance").
    appendVary(c, res);
    const encoding = pickEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) return;
    const bytes = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    if (bytes.byteLength < MIN_BYTES) {
      replaceResponse(c, new Response(bytes, { status: res.status, statusText: res.statusText, headers }));
      return;
    }
    const body = compressBytes(bytes, encoding);
    headers.set('Content-Encoding', encoding);
    headers.delete('Content-Length');
    replaceResponse(c, new Response(body, { status: res.status, statusText: res.statusText, headers }));
  };
}
