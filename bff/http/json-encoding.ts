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

export const MIN_BYTES = 1024;
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

export function compressBytes(bytes: Uint8Array | string, encoding: ApiEncoding): Uint8Array<ArrayBuffer> {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  const fast = size <= FAST_UP_TO;
  const out =
    encoding === 'gzip'
      ? gzipSync(bytes, { level: fast ? 1 : 6 })
      : brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: fast ? 1 : 4,
            [constants.BROTLI_PARAM_SIZE_HINT]: size,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          },
        });
  // zlib's sync calls return a Buffer over an ArrayBuffer of their own (never a shared pool slice).
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
}

/**
 * A JSON answer's body as sent to a client that sent `acceptEncoding`: compressed when it accepts br or gzip
 * and the answer is 1 KB or more, else the text itself. zlib reads the string directly (no copy into bytes).
 */
export function encodeJson(
  text: string,
  acceptEncoding: string | undefined,
): { readonly body: string | Uint8Array<ArrayBuffer>; readonly encoding: ApiEncoding | null } {
  const encoding = pickEncoding(acceptEncoding);
  if (!encoding || Buffer.byteLength(text) < MIN_BYTES) return { body: text, encoding: null };
  return { body: compressBytes(text, encoding), encoding };
}
