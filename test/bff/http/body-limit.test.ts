import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { noopMetrics, type MetricsPort } from '../../../bff/app-deps';
import { BODY_LIMITS } from '../../../bff/http/body-limit';
import { json, PAYER_ID, testApp } from './support/app-fixture';

type App = Awaited<ReturnType<typeof testApp>>;
type AppOf = ReturnType<typeof createApp>;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The app with metrics that count what the handlers got to see. */
async function setup() {
  const t: App = await testApp();
  cleanups.push(() => t.close());
  let confirmations = 0;
  let lookups = 0;
  const metrics: MetricsPort = {
    ...noopMetrics,
    confirmation: () => void confirmations++,
    lookup: () => void lookups++,
  };
  const app = createApp({ ...t.deps, metrics });
  return { app, handled: () => ({ confirmations, lookups }) };
}

async function listen(app: AppOf): Promise<number> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/**
 * Streams a chunked body (no Content-Length) of up to `chunks` × 16 KiB and stops writing as soon as an
 * answer arrives; resolves with the status and how many chunks had been written by then.
 */
function streamChunked(
  port: number,
  path: string,
  chunks: number,
): Promise<{ status: number; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, written }));
      },
    );
    // The server may close the connection while we still write: that is the refusal, not a test failure.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    req.write('{"idNumber":"');
    const pump = () => {
      while (!answered && written < chunks) {
        written++;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end('"}');
    };
    pump();
  });
}

describe('request bodies are limited per route (issue 9.1)', () => {
  test.each([
    ['/payu/acme/confirmation', BODY_LIMITS.payuCallback, 'application/x-www-form-urlencoded'],
    ['/api/v1/merchants/acme/lookup', BODY_LIMITS.small, 'application/json'],
    ['/api/v1/merchants/acme/checkout', BODY_LIMITS.checkout, 'application/json'],
    ['/api/v1/merchants/acme/links', BODY_LIMITS.small, 'application/json'],
  ])('%s: one byte over %i by Content-Length → 413 before anything reads it', async (path, limit, type) => {
    const { app, handled } = await setup();
    const res = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': type, 'content-length': String(limit + 1) },
      body: 'x'.repeat(limit + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(handled()).toEqual({ confirmations: 0, lookups: 0 });
  });

  test('a body at the limit is read as usual', async () => {
    const { app } = await setup();
    const body = JSON.stringify({ idNumber: PAYER_ID });
    const padded = body.slice(0, -1) + ' '.repeat(BODY_LIMITS.small - body.length) + '}';
    expect(padded.length).toBe(BODY_LIMITS.small);
    const res = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: padded,
    });
    expect(res.status).toBe(200);
  });

  test('a declared size above the limit is refused even if the client never sends it', async () => {
    const { app } = await setup();
    const res = await app.request('/api/v1/merchants/acme/lookup', {
      ...json({ idNumber: PAYER_ID }),
      headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
  });

  test('a chunked body without Content-Length is cut off at the limit while it streams', async () => {
    const { app, handled } = await setup();
    const port = await listen(app);
    // 640 chunks × 16 KiB = 10 MiB offered; the 16 KiB limit is crossed in the second chunk.
    const { status, written } = await streamChunked(port, '/api/v1/merchants/acme/lookup', 640);
    expect(status).toBe(413);
    expect(written).toBeLessThan(640);
    expect(handled().lookups).toBe(0);
    // The server still answers others.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });

  test('routes without their own limit (mounted demo apps) have the 1 MiB backstop', async () => {
    const { app } = await setup();
    const res = await app.request('/anything', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(BODY_LIMITS.backstop + 1) },
      body: 'x'.repeat(BODY_LIMITS.backstop + 1),
    });
    expect(res.status).toBe(413);
  });
});
