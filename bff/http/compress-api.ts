import type { Context, MiddlewareHandler } from 'hono';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Compression of the API's JSON answers, in one synchronous call per answer. Hono's compress() pipes every
 * body through a CompressionStream (gzip at zlib's default level 6): for a 50-item lookup answer (23 KB)
 * that cost ~520 µs of CPU against ~40 µs here, a third of what the whole lookup costs without it
 * (README "Performance"). Measured on that answer: brotli quality 1 → 3.3 KB in ~38 µs, gzip level 1 →
 * 3.1 KB in ~48 µs, gzip 6 → 2.5 KB in ~140 µs, brotli 4 → 2.4 KB in ~139 µs. Up to 64 KB an answer fits a
 * first TCP window whatever the level, so the fastest level is used; above, where a few KB fewer save
 * round trips, brotli 4 / gzip 6. Brotli when the client accepts it (every browser over https), else gzip.
 * Answers under 1 KB are sent as they are. Static assets come precompressed; HTML goes through compress().
 */

const MIN_BYTES = 1024;
const FAST_UP_TO = 64 * 1024;

export type ApiEncoding = 'br' | 'gzip';

/** The encoding to answer with: br when accepted (q > 0), else gzip when accepted, else none. */
export function pickEncoding(acceptEncoding: string | undefined): ApiEncoding | null {
  if (!acceptEncoding) return null;
  let gzip = false;
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
    if (refused) continue;
    if (name === 'br') return 'br';
    if (name === 'gzip' || name === '*') gzip = true;
  }
  return gzip ? 'gzip' : null;
}

export function compressBytes(bytes: Uint8Array, encoding: ApiEncoding): Uint8Array<ArrayBuffer> {
  const fast = bytes.byteLength <= FAST_UP_TO;
  const out =
    encoding === 'gzip'
      ? gzipSync(bytes, { level: fast ? 1 : 6 })
      : brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: fast ? 1 : 4,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          },
        });
  // zlib's sync calls return a Buffer over an ArrayBuffer of their own (never a shared pool slice).
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
}

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

/** For /api/*: compresses JSON answers of 1 KB and more for clients that accept br or gzip. */
export function compressApi(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (
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
