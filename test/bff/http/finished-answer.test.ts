import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compressApi } from '../../../bff/http/compress-api';
import { isFinished, jsonAnswer } from '../../../bff/http/finished-answer';
import { securityHeaders } from '../../../bff/http/security-headers';
import { testConfig } from './support/app-fixture';

/**
 * An answer built whole (jsonAnswer) must reach the client exactly as the same object answered with c.json
 * and dressed by the middleware afterwards: same status, same headers, same bytes.
 */
const config = testConfig();
const answer = {
  items: Array.from({ length: 40 }, (_, i) => ({ ref: `R-${i}`, description: 'Cuota de administración' })),
};

function app() {
  return new Hono()
    .use(
      securityHeaders({
        production: false,
        merchants: new Map(config.merchants.map((m) => [m.id, m])),
        publicUrl: config.publicUrl,
      }),
    )
    .use('/api/*', compressApi())
    .use(requestId())
    .post('/api/whole', (c) => jsonAnswer(c, answer, 200))
    .post('/api/dressed', (c) => c.json(answer, 200))
    .post('/api/small', (c) => jsonAnswer(c, { ok: true }, 201))
    .post('/elsewhere', (c) => jsonAnswer(c, answer, 200));
}

/** The headers of an answer without the one that differs on every request. */
const headersOf = (res: Response) => {
  const all = Object.fromEntries(res.headers);
  delete all['x-request-id'];
  return all;
};

describe('jsonAnswer', () => {
  let a: ReturnType<typeof app>;
  beforeAll(async () => {
    a = app();
    // The security headers' dry run settles in the first microtasks after the middleware is built.
    await new Promise((resolve) => setImmediate(resolve));
  });

  test.each([
    ['no Accept-Encoding', null],
    ['a browser', 'gzip, deflate, br, zstd'],
    ['gzip only', 'gzip'],
  ])('for %s: the headers and bytes of the answer dressed afterwards', async (_name, encoding) => {
    const headers: Record<string, string> = encoding ? { 'accept-encoding': encoding } : {};
    const whole = await a.request('/api/whole', { method: 'POST', headers });
    const dressed = await a.request('/api/dressed', { method: 'POST', headers });
    expect(isFinished(whole)).toBe(true);
    expect(isFinished(dressed)).toBe(false);
    expect(whole.status).toBe(200);
    expect(headersOf(whole)).toEqual(headersOf(dressed));
    expect(whole.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(whole.headers.get('cache-control')).toBe('no-store');
    expect(whole.headers.get('x-frame-options')).toBe('DENY');
    expect(whole.headers.get('vary')).toBe('Accept-Encoding');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(Buffer.from(await dressed.arrayBuffer()));
  });

  test('an answer under 1 KB is sent as it is, with its status', async () => {
    const res = await a.request('/api/small', { method: 'POST', headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ ok: true });
  });

  test('outside /api/ it is an ordinary c.json answer, dressed by the middleware', async () => {
    const res = await a.request('/elsewhere', { method: 'POST' });
    expect(isFinished(res)).toBe(false);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBeNull();
  });

  test('an X-Request-Id the client sent is the one echoed', async () => {
    const res = await a.request('/api/whole', { method: 'POST', headers: { 'x-request-id': 'edge-42' } });
    expect(isFinished(res)).toBe(true);
    expect(res.headers.get('x-request-id')).toBe('edge-42');
  });
});

describe('jsonAnswer through @hono/node-server', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    const a = app();
    server = await new Promise<http.Server>((resolve) => {
      const s = serve({ fetch: a.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as http.Server));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** The raw answer as node:http hands it over: headers as written, body bytes as sent. */
  const post = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = http.request({ port, host: '127.0.0.1', path, method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end();
    });

  test('is written with a Content-Length that matches its bytes, plain and compressed', async () => {
    const plain = await post('/api/whole', {});
    expect(plain.status).toBe(200);
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.headers['transfer-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(answer);
    const br = await post('/api/whole', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(answer);
    const dressed = await post('/api/dressed', { 'accept-encoding': 'br' });
    const comparable = (h: http.IncomingHttpHeaders) =>
      Object.fromEntries(Object.entries(h).filter(([name]) => name !== 'x-request-id' && name !== 'date'));
    expect(comparable(br.headers)).toEqual(comparable(dressed.headers));
  });
});
