import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import type { AppDeps } from '../../../bff/app-deps';
import { createErpClient } from '../../../bff/erp/erp-client';
import { createCachedErpClient } from '../../../bff/erp/cached-erp-client';
import { createMetrics } from '../../../bff/observability/metrics';
import { createPayuSimulator } from '../../../bff/demo/payu-simulator/simulator';
import { createWebhookDispatcher } from '../../../bff/webhooks/dispatcher';
import { json, startLoopback, type LoopbackServer } from '../erp/loopback';
import { fakeDeps, fakeErp, testConfig, TEST_PAYU } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { PAYER, erpBody, memoryLogger } from './support';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  async function app(erp = fakeErp({ [PAYER.id]: erpBody }).port) {
    const log = memoryLogger();
    const deps = await fakeDeps({ erp });
    cleanups.push(() => deps.store.close());
    const mounted = { fetch: () => new Response('sub-app', { status: 200 }) };
    return { log, app: createApp({ ...deps, logger: log.logger, mounts: [{ path: '/sub', app: mounted }] }) };
  }

  test('every response carries one: API, errors, unknown paths, probes and mounted sub-apps', async () => {
    const { app: a } = await app(
      fakeErp(() => {
        throw new Error('erp adapter bug');
      }).port,
    );
    const responses = await Promise.all([
      a.request('/api/v1/merchants/acme/public'),
      a.request('/api/v1/merchants/acme/lookup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idNumber: 'x' }),
      }),
      a.request('/api/v1/merchants/acme/lookup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idNumber: PAYER.id }),
      }),
      a.request('/no/such/path'),
      a.request('/healthz'),
      a.request('/sub/anything'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 400, 500, 404, 200, 200]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a well-formed id from a proxy is kept; a malformed one is replaced', async () => {
    const { app: a } = await app();
    const kept = await a.request('/healthz', { headers: { 'X-Request-Id': 'edge-1234_abc=' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-1234_abc=');
    const replaced = await a.request('/healthz', { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(UUID);
  });

  test('every line logged while serving a request carries its id, whichever layer logs it', async () => {
    // One entry the reader skips, so the lookup service logs on its own.
    const { app: a, log } = await app(
      fakeErp({ [PAYER.id]: { payments: [...erpBody.payments, 'junk'] } }).port,
    );
    const res = await a.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER.id }),
    });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id');
    const lines = log.lines();
    expect(lines.map((l) => l.msg)).toEqual(['erp items skipped or trimmed', 'request']);
    for (const line of lines) expect(line.requestId).toBe(id);
    expect(lines[1]).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/v1/merchants/:merchantId/lookup',
      status: 200,
      ms: expect.any(Number),
    });
  });

  test('an upstream failure answered 5xx is logged at error with the request id', async () => {
    const { app: a, log } = await app(
      fakeErp(() => ({ ok: false, error: 'erp_timeout', detail: 'timeout' })).port,
    );
    const res = await a.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER.id }),
    });
    expect(res.status).toBe(504);
    const lines = log.lines();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'erp call failed'],
      [50, 'request failed'],
    ]);
    for (const line of lines) expect(line.requestId).toBe(res.headers.get('x-request-id'));
  });

  test('a 500 is logged at error with the request id, and the error message never reaches the client', async () => {
    const { app: a, log } = await app(
      fakeErp(() => {
        throw new Error('erp adapter bug');
      }).port,
    );
    const res = await a.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER.id }),
    });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('erp adapter bug');
    const id = res.headers.get('x-request-id');
    const errors = log.lines().filter((l) => l.level === 50);
    expect(errors.map((l) => l.msg)).toEqual(['unhandled', 'request failed']);
    for (const line of errors) expect(line.requestId).toBe(id);
  });

  test('log lines outside any request have no request id', async () => {
    const log = memoryLogger();
    log.logger.info({ n: 1 }, 'background');
    expect(log.lines()[0]).not.toHaveProperty('requestId');
  });
});

describe('no personal data in the logs', () => {
  let erp: LoopbackServer | undefined;

  test('lookup (typed and by link), checkout, PayU checkout, confirmation, forged callbacks and webhooks log no id number, name, e-mail, phone or link token', async () => {
    // A real ERP on loopback behind the real client, failing once so its retry and failure paths log too.
    let calls = 0;
    erp = await startLoopback((_req, res) => {
      calls++;
      if (calls === 1) return json(res, 503, { error: 'busy' });
      if (calls === 2) return json(res, 503, { error: 'still busy' });
      return json(res, 200, erpBody);
    });
    const server = erp;
    cleanups.push(() => server.close());

    const log = memoryLogger('trace');
    const logger = log.logger;
    const config = testConfig({
      merchant: { erp: { url: `${server.origin}/get-recaudas`, timeoutMs: 2000 } },
    });
    const merchant = config.merchants[0]!;
    const erpClient = createCachedErpClient(createErpClient({ production: false, logger }), {
      logger,
      staleIfErrorMs: 0,
    });
    cleanups.push(() => erpClient.close());
    const metrics = createMetrics({ breakerStates: () => erpClient.getBreakerStates() });
    const base = await fakeDeps({
      config,
      erp: metrics.observeErp(erpClient),
    });
    cleanups.push(() => base.store.close());

    // The simulator calls the app back in-process; the app is built after it, so it is reached late.
    const inProcess: { app?: ReturnType<typeof createApp> } = {};
    const simulator = createPayuSimulator({
      basePath: '/payu-sim',
      merchants: (id) =>
        id === TEST_PAYU.merchantId
          ? { apiKey: TEST_PAYU.apiKey, accountId: TEST_PAYU.accountId }
          : undefined,
      fetch: (input, init) =>
        Promise.resolve(inProcess.app!.request(input instanceof Request ? input : String(input), init)),
      retryDelaysMs: [5, 5],
      logger,
    });
    cleanups.push(() => simulator.close());
    const deps: AppDeps = {
      ...base,
      logger,
      metrics,
      renderMetrics: () => metrics.render(),
      mounts: [{ path: '/payu-sim', app: simulator.app }],
    };
    const a = createApp(deps);
    inProcess.app = a;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      a.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    // 1. The ERP fails (503, retried, 503): 502 to the payer, then a good lookup with the typed id.
    expect((await post('/api/v1/merchants/acme/lookup', { idNumber: PAYER.typed })).status).toBe(502);
    expect((await post('/api/v1/merchants/acme/lookup', { idNumber: PAYER.typed })).status).toBe(200);
    // A malformed id (that still contains the real one) and a NIT with a wrong check digit.
    expect((await post('/api/v1/merchants/acme/lookup', { idNumber: `${PAYER.id}-x` })).status).toBe(400);
    expect((await post('/api/v1/merchants/acme/lookup', { idNumber: `${PAYER.id}-0` })).status).toBe(400);

    // 2. A statement link, then a lookup through its token, then a tampered token.
    const link = await post(
      '/api/v1/merchants/acme/links',
      { idNumber: PAYER.id, ref: 'FE-1043' },
      { authorization: `Bearer ${merchant.apiToken}` },
    );
    expect(link.status).toBe(201);
    const { url } = (await link.json()) as { url: string };
    const token = url.split('/s/')[1]!;
    expect((await post('/api/v1/merchants/acme/lookup', { token })).status).toBe(200);
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect((await post('/api/v1/merchants/acme/lookup', { token: tampered })).status).toBe(400);
    expect((await post('/api/v1/merchants/acme/links', { idNumber: PAYER.id })).status).toBe(401);

    // 3. Checkout with the buyer's e-mail, name and phone; the payer goes through the simulator's page.
    const checkout = await post(
      '/api/v1/merchants/acme/checkout',
      {
        idNumber: PAYER.typed,
        items: [{ ref: 'ADM-03', amount: '20000' }],
        buyer: { email: PAYER.email, fullName: PAYER.name, phone: PAYER.phone },
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(checkout.status).toBe(201);
    const form = (await checkout.json()) as { reference: string; fields: Record<string, string> };
    // A checkout the gateway refuses (no signature) logs what is wrong without the values.
    const refused = await a.request('/payu-sim/checkout', {
      method: 'POST',
      body: new URLSearchParams({
        ...form.fields,
        signature: 'zz',
        buyerEmail: `not-an-email ${PAYER.email}`,
      }),
    });
    expect(refused.status).toBe(400);
    const page = await a.request('/payu-sim/checkout', {
      method: 'POST',
      body: new URLSearchParams(form.fields),
    });
    expect(page.status).toBe(200);
    const simId = /action="checkout\/([^"]+)"/.exec(await page.text())?.[1];
    expect(simId).toBeDefined();
    const decided = await a.request(`/payu-sim/checkout/${simId}`, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'approved' }),
    });
    expect(decided.status).toBe(303);
    const back = new URL(decided.headers.get('location')!);
    expect((await a.request(`${back.pathname}${back.search}`)).status).toBe(303);

    // 4. The simulator's confirmation arrives in the background; wait for it through the payments API.
    const deadline = Date.now() + 5000;
    for (;;) {
      const status = (await (
        await a.request(`/api/v1/merchants/acme/payments/${form.reference}`)
      ).json()) as {
        status: string;
      };
      if (status.status === 'approved') break;
      if (Date.now() > deadline) throw new Error('the confirmation never arrived');
      await new Promise((r) => setTimeout(r, 10));
    }

    // 5. Forged and mismatched confirmations carrying the buyer's e-mail, and a replay.
    const forged = confirmationForm(
      { reference: form.reference, value: '20000.00', currency: 'COP', statePol: '4' },
      { sign: 'a'.repeat(64), email_buyer: PAYER.email },
    );
    expect((await a.request('/payu/acme/confirmation', { method: 'POST', body: forged })).status).toBe(401);
    const cheaper = confirmationForm(
      { reference: form.reference, value: '10.00', currency: 'COP', statePol: '4' },
      { email_buyer: PAYER.email },
    );
    expect((await a.request('/payu/acme/confirmation', { method: 'POST', body: cheaper })).status).toBe(422);
    const late = confirmationForm(
      { reference: form.reference, value: '20000.00', currency: 'COP', statePol: '4' },
      { email_buyer: PAYER.email, description: PAYER.name },
    );
    expect((await a.request('/payu/acme/confirmation', { method: 'POST', body: late })).status).toBe(200);

    // 6. Webhook delivery that fails (so the dispatcher logs), and a scrape of /metrics.
    const dispatcher = createWebhookDispatcher({
      store: base.store,
      merchants: base.merchants,
      logger,
      fetch: async () => new Response('nope', { status: 500 }),
    });
    expect(await dispatcher.runOnce()).toBeGreaterThan(0);
    const scrape = await a.request('/metrics');
    expect(scrape.status).toBe(200);
    // Only the label values: sample values are floats whose digits could spell anything.
    const exposition = [...(await scrape.text()).matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).join('\n');

    const text = log.text();
    const lines = log.lines();
    expect(lines.length).toBeGreaterThan(20);
    // Every layer had its say: ERP client, lookup, links, checkout, simulator, confirmation, dispatcher.
    const messages = new Set(lines.map((l) => l.msg));
    for (const msg of [
      'erp call retried',
      'erp call failed',
      'statement link created',
      'checkout created',
      'payu-sim: checkout refused',
      'payu-sim: confirmation delivered',
      'payment state changed',
      'confirmation refused: bad signature',
      'confirmation refused: mismatch',
      'webhook delivery failed',
    ]) {
      expect(messages).toContain(msg);
    }
    // Epoch-millisecond timestamps are digits too; they are not what this test is about.
    const withoutTimes = text.replace(/"time":\d+/g, '');
    const forbidden = [
      PAYER.id,
      PAYER.typed,
      'Laura',
      'Gómez',
      'Gomez',
      PAYER.email,
      'example.co',
      '300 123 4567',
      '3001234567',
      token,
      token.slice(0, 24),
      merchant.apiToken,
      TEST_PAYU.apiKey,
    ];
    for (const value of forbidden) {
      expect(withoutTimes, `the logs contain ${JSON.stringify(value)}`).not.toContain(value);
      expect(exposition, `/metrics contains ${JSON.stringify(value)}`).not.toContain(value);
    }
    // Request lines carry the id echoed to the client; no line carries a raw path (a token is a path).
    for (const line of lines.filter((l) => l.msg === 'request')) {
      expect(line.requestId).toEqual(expect.any(String));
      expect(String(line.route)).not.toContain('/s/');
    }
  });
});
