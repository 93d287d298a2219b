import { afterEach, describe, expect, test } from 'vitest';
import {
  createCachedErpClient,
  type CachedErpClient,
  type CachedErpOptions,
} from '../../../bff/erp/cached-erp-client';
import { createErpClient, type ErpClient } from '../../../bff/erp/erp-client';
import type { ErpFetchResult } from '../../../bff/erp/erp-port';
import { testConfig } from '../../support/fake-deps';
import { json, sleep, startLoopback, type Handler, type LoopbackServer } from './loopback';

const body = (id: string) => ({ payments: [{ recauda_information: { ref_payment: `R-${id}` } }] });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function server(handler: Handler): Promise<LoopbackServer> {
  const s = await startLoopback(handler);
  cleanups.push(() => s.close());
  return s;
}

function cached(options: CachedErpOptions = {}, inner?: ErpClient): CachedErpClient {
  // No answer cache unless a test asks for one: most tests are about what reaches the ERP on every call.
  const c = createCachedErpClient(inner ?? createErpClient({ production: false, random: () => 0 }), {
    cacheTtlMs: 0,
    ...options,
  });
  cleanups.push(() => c.close());
  return c;
}

const idOf = (url: string | undefined) => new URL(url ?? '/', 'http://x').searchParams.get('id_number') ?? '';

describe('single flight', () => {
  test('100 concurrent lookups of the same id make one upstream request', async () => {
    const s = await server((req, res) => setTimeout(() => json(res, 200, body(idOf(req.url))), 50));
    const erp = { url: s.origin };
    const c = cached();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => c.fetchPendingPayments({ id: 'acme', erp }, '12345678')),
    );
    expect(s.requests()).toBe(1);
    for (const r of results) expect(r).toMatchObject({ ok: true, body: body('12345678') });
  });

  test('different ids, and the same id at different merchants, are separate calls', async () => {
    const s = await server((req, res) => setTimeout(() => json(res, 200, body(idOf(req.url))), 50));
    const erp = { url: s.origin };
    const c = cached();
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => c.fetchPendingPayments({ id: 'acme', erp }, '111111')),
      ...Array.from({ length: 10 }, () => c.fetchPendingPayments({ id: 'acme', erp }, '222222')),
      c.fetchPendingPayments({ id: 'other', erp: { url: s.origin } }, '111111'),
    ]);
    expect(s.requests()).toBe(3);
    expect(results[0]).toMatchObject({ ok: true, body: body('111111') });
    expect(results[10]).toMatchObject({ ok: true, body: body('222222') });
  });

  test('a call after the previous one settled asks the ERP again (cacheTtlMs 0)', async () => {
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = cached();
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    expect(s.requests()).toBe(2);
  });

  test('one caller giving up does not cancel the shared call for the others', async () => {
    const s = await server((req, res) => setTimeout(() => json(res, 200, body(idOf(req.url))), 100));
    const erp = { url: s.origin };
    const c = cached();
    const leaving = new AbortController();
    const first = c.fetchPendingPayments({ id: 'acme', erp }, '1', leaving.signal);
    const second = c.fetchPendingPayments({ id: 'acme', erp }, '1');
    leaving.abort();
    expect(await first).toEqual({ ok: false, error: 'erp_unavailable', detail: 'aborted' });
    expect(await second).toMatchObject({ ok: true, body: body('1') });
    expect(s.requests()).toBe(1);
  });
});

describe('short cache', () => {
  test('with cacheTtlMs, a repeat lookup inside the TTL is served without a call', async () => {
    let now = 1_000_000;
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = cached({ cacheTtlMs: 5000, now: () => now });
    const erp = { url: s.origin };
    await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    now += 4999;
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({
      ok: true,
      body: body('1'),
    });
    expect(s.requests()).toBe(1);
    now += 2;
    await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(s.requests()).toBe(2);
  });

  test('an answer asked for again while fresh is parsed once for its next hits, and only while fresh', async () => {
    let now = 1_000_000;
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = cached({ cacheTtlMs: 2000, now: () => now });
    const erp = { url: s.origin };
    const first = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    const hit1 = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    const hit2 = await c.fetchPendingPayments({ id: 'acme', erp }, '2'); // another payer: its own call
    const hit3 = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(s.requests()).toBe(2);
    // The first hit parses the kept bytes again; the next hit shares that parse and its read slot.
    expect(first.ok && hit1.ok && hit1.body !== first.body).toBe(true);
    expect(hit1.ok && hit3.ok && hit3.body === hit1.body && hit3.shared === hit1.shared).toBe(true);
    expect(hit2.ok && hit2.body).toEqual(body('2'));
    // Past the fresh window the ERP is asked again, and the new answer is parsed anew on its hits.
    now += 2001;
    const again = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(s.requests()).toBe(3);
    const hit4 = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(again.ok && hit4.ok && hit1.ok && hit4.body !== hit1.body).toBe(true);
    expect(hit4).toMatchObject({ ok: true, body: body('1') });
  });

  test('the endpoint’s own cacheTtlMs overrides the default', async () => {
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = cached();
    const erp = { url: s.origin, cacheTtlMs: 60_000 };
    await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(s.requests()).toBe(1);
  });

  test('another ERP token is another cache key', async () => {
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = cached({ cacheTtlMs: 60_000 });
    await c.fetchPendingPayments(
      { id: 'acme', erp: { url: s.origin, headers: { Authorization: 'a' } } },
      '1',
    );
    await c.fetchPendingPayments(
      { id: 'acme', erp: { url: s.origin, headers: { Authorization: 'b' } } },
      '1',
    );
    expect(s.requests()).toBe(2);
  });
});

describe('defaults', () => {
  test('without options or endpoint settings, a repeat inside 2 s is served from the cache', async () => {
    let now = 1_000_000;
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = createCachedErpClient(createErpClient({ production: false }), { now: () => now });
    cleanups.push(() => c.close());
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    now += 1999;
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    expect(s.requests()).toBe(1);
    now += 2;
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    expect(s.requests()).toBe(2);
  });

  test('a merchant config that does not set the cache leaves the options given to the client in force', async () => {
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const m = testConfig({ merchant: { erp: { url: s.origin } } }).merchants[0]!;
    const merchant = { id: m.id, erp: m.erp! };
    expect(merchant.erp.cacheTtlMs).toBeUndefined();
    expect(merchant.erp.staleIfErrorMs).toBeUndefined();
    const c = cached({ cacheTtlMs: 0, staleIfErrorMs: 0 });
    await c.fetchPendingPayments(merchant, '1');
    await c.fetchPendingPayments(merchant, '1');
    expect(s.requests()).toBe(2);
    healthy = false;
    expect(await c.fetchPendingPayments(merchant, '1')).toMatchObject({ ok: false });
  });

  test('a merchant config that sets them overrides the client’s options', async () => {
    const s = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const m = testConfig({ merchant: { erp: { url: s.origin, cacheTtlMs: 60_000 } } }).merchants[0]!;
    const merchant = { id: m.id, erp: m.erp! };
    const c = cached({ cacheTtlMs: 0 });
    await c.fetchPendingPayments(merchant, '1');
    await c.fetchPendingPayments(merchant, '1');
    expect(s.requests()).toBe(1);
  });
});

describe('what is kept', () => {
  test('callers of one flight share one answer and one read slot; the next flight has its own', async () => {
    const s = await server((req, res) => setTimeout(() => json(res, 200, body(idOf(req.url))), 50));
    const c = cached();
    const erp = { url: s.origin };
    const [a, b] = await Promise.all([
      c.fetchPendingPayments({ id: 'acme', erp }, '1'),
      c.fetchPendingPayments({ id: 'acme', erp }, '1'),
    ]);
    expect(a.ok && b.ok && a.shared !== undefined && a.shared === b.shared && a.body === b.body).toBe(true);
    const later = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(later.ok && a.ok && later.shared !== a.shared).toBe(true);
  });

  test('answers are kept as bytes: a stale answer is parsed again, equal but not the same object', async () => {
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const c = cached();
    const erp = { url: s.origin };
    const first = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    healthy = false;
    const stale = await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    expect(stale).toMatchObject({ ok: true, stale: true, body: body('1') });
    expect(first.ok && stale.ok && stale.body !== first.body).toBe(true);
    // The kept bytes are a view into the cache's ring, which later answers overwrite: they are not handed out.
    expect(stale.ok && stale.bytes).toBeUndefined();
  });

  test('the kept bytes are bounded in total: the oldest go first, an answer above the bound is not kept', async () => {
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const size = Buffer.byteLength(JSON.stringify(body('1')));
    const c = cached({ maxRememberedBytes: 2 * size, breaker: { threshold: 100 } });
    const erp = { url: s.origin };
    for (const id of ['1', '2', '3']) await c.fetchPendingPayments({ id: 'acme', erp }, id);
    const small = cached({ maxRememberedBytes: size - 1, breaker: { threshold: 100 } });
    await small.fetchPendingPayments({ id: 'acme', erp }, '1');
    healthy = false;
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({ ok: false });
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '2')).toMatchObject({ ok: true, stale: true });
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '3')).toMatchObject({ ok: true, stale: true });
    expect(await small.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({ ok: false });
  });
});

describe('circuit breaker', () => {
  test('after 5 failures it fails fast without calling, then a probe after halfOpenAfter closes it', async () => {
    let healthy = false;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const c = cached({ breaker: { threshold: 5, halfOpenAfterMs: 200 } });
    const erp = { url: s.origin };
    for (let i = 0; i < 5; i++) {
      expect(await c.fetchPendingPayments({ id: 'acme', erp }, String(i))).toMatchObject({
        error: 'erp_unavailable',
      });
    }
    expect(s.requests()).toBe(5);
    expect(c.getBreakerStates()).toEqual({ acme: 'open' });

    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const r = await c.fetchPendingPayments({ id: 'acme', erp }, `x${i}`);
      expect(performance.now() - started).toBeLessThan(50);
      expect(r).toEqual({ ok: false, error: 'erp_unavailable', detail: 'circuit_open' });
    }
    expect(s.requests()).toBe(5);

    healthy = true;
    await sleep(250);
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, 'probe')).toMatchObject({
      ok: true,
      body: body('probe'),
    });
    expect(s.requests()).toBe(6);
    expect(c.getBreakerStates()).toEqual({ acme: 'closed' });
    await c.fetchPendingPayments({ id: 'acme', erp }, 'after');
    expect(s.requests()).toBe(7);
  });

  test('a failed probe opens it again; only the probe reaches the ERP while half-open', async () => {
    const s = await server((_req, res) => setTimeout(() => json(res, 500, {}), 50));
    const c = cached({ breaker: { threshold: 2, halfOpenAfterMs: 200 } });
    const erp = { url: s.origin };
    await c.fetchPendingPayments({ id: 'acme', erp }, 'a');
    await c.fetchPendingPayments({ id: 'acme', erp }, 'b');
    expect(c.getBreakerStates()).toEqual({ acme: 'open' });
    await sleep(250);
    const probe = c.fetchPendingPayments({ id: 'acme', erp }, 'probe');
    await sleep(10);
    expect(c.getBreakerStates()).toEqual({ acme: 'half-open' });
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, 'meanwhile')).toMatchObject({
      detail: 'circuit_open',
    });
    expect(await probe).toMatchObject({ ok: false, status: 500 });
    expect(c.getBreakerStates()).toEqual({ acme: 'open' });
    expect(s.requests()).toBe(3);
  });

  test('timeouts count as failures', async () => {
    const s = await server(() => undefined);
    const c = cached({ breaker: { threshold: 2 } });
    const erp = { url: s.origin, timeoutMs: 100 };
    await c.fetchPendingPayments({ id: 'acme', erp }, 'a');
    await c.fetchPendingPayments({ id: 'acme', erp }, 'b');
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, 'c')).toMatchObject({
      detail: 'circuit_open',
    });
    expect(s.requests()).toBe(2);
  });

  test('4xx answers and bad bodies do not open it: the ERP is up', async () => {
    const s = await server((req, res) => {
      if (idOf(req.url).startsWith('bad')) {
        res.writeHead(200);
        res.end('<html>');
      } else json(res, 404, {});
    });
    const c = cached({ breaker: { threshold: 2 } });
    for (let i = 0; i < 4; i++) await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, `n${i}`);
    for (let i = 0; i < 4; i++)
      await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, `bad${i}`);
    expect(c.getBreakerStates()).toEqual({ acme: 'closed' });
    expect(s.requests()).toBe(8);
  });

  test('each merchant has its own breaker', async () => {
    const down = await server((_req, res) => json(res, 500, {}));
    const up = await server((req, res) => json(res, 200, body(idOf(req.url))));
    const c = cached({ breaker: { threshold: 2 } });
    await c.fetchPendingPayments({ id: 'acme', erp: { url: down.origin } }, 'a');
    await c.fetchPendingPayments({ id: 'acme', erp: { url: down.origin } }, 'b');
    expect(await c.fetchPendingPayments({ id: 'beta', erp: { url: up.origin } }, 'a')).toMatchObject({
      ok: true,
    });
    expect(c.getBreakerStates()).toEqual({ acme: 'open', beta: 'closed' });
  });

  test('an open breaker is never retried: one failed call is one failure even with a 503', async () => {
    const s = await server((_req, res) => json(res, 503, {}));
    const c = cached({ breaker: { threshold: 1, halfOpenAfterMs: 10_000 } });
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin, timeoutMs: 2000 } }, 'a');
    expect(s.requests()).toBe(2);
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin, timeoutMs: 2000 } }, 'b');
    expect(s.requests()).toBe(2);
  });
});

describe('stale if error', () => {
  test('when the ERP fails, the last good body comes back marked stale', async () => {
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const c = cached();
    const erp = { url: s.origin };
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({
      ok: true,
      body: body('1'),
    });
    healthy = false;
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({
      ok: true,
      body: body('1'),
      stale: true,
    });
    // Another payer has nothing to fall back on.
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '2')).toMatchObject({
      ok: false,
      error: 'erp_unavailable',
    });
  });

  test('stale bodies also cover an open breaker and timeouts', async () => {
    let mode: 'ok' | 'hang' = 'ok';
    const s = await server((req, res) => {
      if (mode === 'ok') json(res, 200, body(idOf(req.url)));
    });
    const c = cached({ breaker: { threshold: 1, halfOpenAfterMs: 10_000 } });
    const erp = { url: s.origin, timeoutMs: 100 };
    await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    mode = 'hang';
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({
      ok: true,
      body: body('1'),
      stale: true,
    });
    expect(c.getBreakerStates()).toEqual({ acme: 'open' });
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({
      ok: true,
      body: body('1'),
      stale: true,
    });
  });

  test('a stale body is served only for staleIfErrorMs', async () => {
    let now = 5_000_000;
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const c = cached({ staleIfErrorMs: 60_000, now: () => now });
    const erp = { url: s.origin };
    await c.fetchPendingPayments({ id: 'acme', erp }, '1');
    healthy = false;
    now += 60_001;
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({
      ok: false,
      error: 'erp_unavailable',
    });
  });

  test('a bad response is not papered over with a stale body', async () => {
    let healthy = true;
    const s = await server((req, res) => {
      if (healthy) return json(res, 200, body(idOf(req.url)));
      res.writeHead(200);
      res.end('not json');
    });
    const c = cached();
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    healthy = false;
    expect(await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1')).toMatchObject({
      ok: false,
      error: 'erp_bad_response',
    });
  });

  test('staleIfErrorMs 0 turns it off', async () => {
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const c = cached({ staleIfErrorMs: 0 });
    await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1');
    healthy = false;
    expect(await c.fetchPendingPayments({ id: 'acme', erp: { url: s.origin } }, '1')).toMatchObject({
      ok: false,
    });
  });

  test('remembered bodies are bounded', async () => {
    let healthy = true;
    const s = await server((req, res) =>
      healthy ? json(res, 200, body(idOf(req.url))) : json(res, 500, {}),
    );
    const c = cached({ maxRememberedBodies: 2, breaker: { threshold: 100 } });
    const erp = { url: s.origin };
    for (const id of ['1', '2', '3']) await c.fetchPendingPayments({ id: 'acme', erp }, id);
    healthy = false;
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '1')).toMatchObject({ ok: false });
    expect(await c.fetchPendingPayments({ id: 'acme', erp }, '3')).toMatchObject({
      ok: true,
      stale: true,
    });
  });
});

test('an inner client that throws becomes erp_unavailable, never a rejection', async () => {
  const inner: ErpClient = {
    fetchPendingPayments: (): Promise<ErpFetchResult> => Promise.reject(new Error('bug')),
    close: () => undefined,
  };
  const c = cached({}, inner);
  expect(await c.fetchPendingPayments({ id: 'acme', erp: { url: 'http://127.0.0.1:1/' } }, '1')).toEqual({
    ok: false,
    error: 'erp_unavailable',
    detail: 'unexpected',
  });
});
