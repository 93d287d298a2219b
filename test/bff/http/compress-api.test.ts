import { readFileSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { compressBytes, pickEncoding } from '../../../bff/http/json-encoding';
import { fakeDeps, fakeErp } from '../../support/fake-deps';

const seed = JSON.parse(readFileSync(new URL('../../fixtures/seed-003.json', import.meta.url), 'utf8')) as {
  payments: Array<{ recauda_information: Record<string, unknown> }>;
};

/** Seed 003's item 30 times under distinct refs: an answer of several KB, like a real statement. */
function payload(count: number) {
  const item = seed.payments[0]!;
  return {
    payments: Array.from({ length: count }, (_, i) => ({
      ...item,
      recauda_information: { ...item.recauda_information, ref_payment: `R-${i}` },
    })),
  };
}

async function lookup(acceptEncoding: string | null, items = 30) {
  const deps = await fakeDeps({ erp: fakeErp({ '12345678': payload(items) }).port });
  const app = createApp(deps);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (acceptEncoding !== null) headers['accept-encoding'] = acceptEncoding;
  const res = await app.request('/api/v1/merchants/acme/lookup', {
    method: 'POST',
    headers,
    body: JSON.stringify({ idNumber: '12345678' }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  await deps.store.close();
  return { res, bytes };
}

describe('API answers', () => {
  test('a browser’s Accept-Encoding gets brotli that decodes to the very answer sent plain', async () => {
    const plain = await lookup(null);
    expect(plain.res.headers.get('Content-Encoding')).toBeNull();
    // Set on the plain answer too: a cache between must not hand it to a client that accepts brotli.
    expect(plain.res.headers.get('Vary')).toContain('Accept-Encoding');
    const br = await lookup('gzip, deflate, br, zstd');
    expect(br.res.status).toBe(200);
    expect(br.res.headers.get('Content-Encoding')).toBe('br');
    expect(br.res.headers.get('Vary')).toContain('Accept-Encoding');
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString('utf8'))).toEqual(
      JSON.parse(plain.bytes.toString('utf8')),
    );
    // Every other header survives the re-wrap.
    expect(br.res.headers.get('Cache-Control')).toBe('no-store');
    expect(br.res.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    expect(br.res.headers.get('X-Request-Id')).toBeTruthy();
  });

  test('gzip when brotli is not accepted; nothing when no encoding is', async () => {
    const gz = await lookup('gzip');
    expect(gz.res.headers.get('Content-Encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.bytes).toString('utf8'))).toMatchObject({ asOf: expect.any(String) });
    const refused = await lookup('br;q=0, gzip;q=0');
    expect(refused.res.headers.get('Content-Encoding')).toBeNull();
    expect(JSON.parse(refused.bytes.toString('utf8'))).toMatchObject({ asOf: expect.any(String) });
  });

  test('an answer under 1 KB is sent as it is', async () => {
    const small = await lookup('br', 0);
    expect(small.bytes.length).toBeLessThan(1024);
    expect(small.res.headers.get('Content-Encoding')).toBeNull();
    expect(JSON.parse(small.bytes.toString('utf8'))).toMatchObject({ items: [] });
  });

  test('errors are JSON too and keep their status', async () => {
    const deps = await fakeDeps();
    const res = await createApp(deps).request('/api/v1/merchants/nobody/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'br' },
      body: JSON.stringify({ idNumber: '12345678' }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_merchant' } });
    await deps.store.close();
  });
});

describe('answers outside the API (compress())', () => {
  test('gzip for a client that accepts it, with Vary; as they are, without Vary, for one that names no encoding', async () => {
    const deps = await fakeDeps();
    const app = createApp(deps);
    const gz = await app.request('/embed.js', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gz.headers.get('Content-Encoding')).toBe('gzip');
    expect(gz.headers.get('Vary')).toContain('Accept-Encoding');
    const unzipped = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8');
    const plain = await app.request('/embed.js');
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    expect(plain.headers.get('Vary')).toBeNull();
    expect(await plain.text()).toBe(unzipped);
    await deps.store.close();
  });
});

describe('pickEncoding', () => {
  test.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip, deflate, br, zstd', 'br'],
    ['BR', 'br'],
    ['gzip', 'gzip'],
    ['*', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.0, gzip;q=0', null],
    ['br;q=0.5', 'br'],
  ] as const)('%s → %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});

test('above 64 KB the slower level is used: smaller than the fast level makes the same bytes', () => {
  const text = Buffer.from(JSON.stringify(payload(400)));
  expect(text.length).toBeGreaterThan(64 * 1024);
  const slow = compressBytes(text, 'br');
  expect(Buffer.from(brotliDecompressSync(slow)).equals(text)).toBe(true);
  const fast = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  expect(slow.byteLength).toBeLessThan(fast.byteLength);
  const small = text.subarray(0, 32 * 1024);
  const smallFast = brotliCompressSync(small, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  expect(compressBytes(small, 'br').byteLength).toBe(smallFast.byteLength);
});
