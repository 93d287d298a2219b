import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { createCachedErpClient } from '../../../bff/erp/cached-erp-client';
import type { ErpClient } from '../../../bff/erp/erp-client';
import type { ErpFetchResult } from '../../../bff/erp/erp-port';
import { createMetrics } from '../../../bff/observability/metrics';
import { createSqliteStore } from '../../../bff/store/sqlite-store';
import { fakeDeps, fakeErp, testConfig } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { PAYER, erpBody } from './support';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The value of one sample in the exposition, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return undefined;
}

async function appWithMetrics(erpTable: Parameters<typeof fakeErp>[0] = { [PAYER.id]: erpBody }) {
  const store = createSqliteStore(':memory:');
  const metrics = createMetrics({ outboxBacklog: () => store.outboxBacklog() });
  const deps = await fakeDeps({ store, erp: metrics.observeErp(fakeErp(erpTable).port) });
  cleanups.push(() => store.close());
  const app = createApp({ ...deps, metrics, renderMetrics: () => metrics.render() });
  const scrape = async () => {
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  return { app, deps, metrics, scrape };
}

const lookup = (app: ReturnType<typeof createApp>, idNumber: string) =>
  app.request('/api/v1/merchants/acme/lookup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber }),
  });

describe('/metrics', () => {
  test('is 404 when the app has no metrics (tests, embedded uses that do not want them)', async () => {
    const deps = await fakeDeps();
    cleanups.push(() => deps.store.close());
    expect((await createApp(deps).request('/metrics')).status).toBe(404);
  });

  test('counts lookups by outcome and times the ERP by outcome', async () => {
    const { app, scrape } = await appWithMetrics((id) =>
      id === PAYER.id ? { ok: true, body: erpBody } : { ok: false, error: 'erp_timeout', detail: 'timeout' },
    );
    expect((await lookup(app, PAYER.id)).status).toBe(200);
    expect((await lookup(app, PAYER.id)).status).toBe(200);
    expect((await lookup(app, '70451382')).status).toBe(504);
    expect((await lookup(app, 'not an id')).status).toBe(400);
    const text = await scrape();
    expect(sample(text, 'saldo_lookups_total', { outcome: 'ok' })).toBe(2);
    expect(sample(text, 'saldo_lookups_total', { outcome: 'erp_timeout' })).toBe(1);
    expect(
      sample(text, 'saldo_erp_request_duration_seconds_count', { merchant: 'acme', outcome: 'ok' }),
    ).toBe(2);
    expect(
      sample(text, 'saldo_erp_request_duration_seconds_count', { merchant: 'acme', outcome: 'erp_timeout' }),
    ).toBe(1);
    expect(
      sample(text, 'saldo_erp_errors_total', { merchant: 'acme', code: 'erp_timeout', detail: 'timeout' }),
    ).toBe(1);
    // A malformed id never reaches the ERP, but is counted.
    expect(sample(text, 'saldo_lookups_total', { outcome: 'invalid_id_number' })).toBe(1);
    expect(
      sample(text, 'saldo_erp_request_duration_seconds_count', { merchant: 'acme', outcome: 'ok' }),
    ).toBe(2);
    // Nothing about the payer: label values come from closed sets only. (Sample values are floats whose
    // digits could spell anything, so only the labels are searched.)
    const labels = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).join('\n');
    expect(labels).not.toContain(PAYER.id);
    expect(labels).not.toContain('70451382');
  });

  test('counts checkouts and confirmations by outcome, and reports the webhook backlog at scrape time', async () => {
    const { app, scrape } = await appWithMetrics();
    const key = randomUUID();
    const body = {
      idNumber: PAYER.id,
      items: [{ ref: 'ADM-03', amount: '20000' }],
      buyer: { email: PAYER.email, fullName: PAYER.name, phone: PAYER.phone },
    };
    const checkout = () =>
      app.request('/api/v1/merchants/acme/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const created = await checkout();
    expect(created.status).toBe(201);
    expect((await checkout()).status).toBe(201);
    const { reference } = (await created.json()) as { reference: string };
    expect(sample(await scrape(), 'saldo_webhook_outbox_backlog')).toBe(0);

    const form = confirmationForm({ reference, value: '20000.00', currency: 'COP', statePol: '4' });
    const confirm = (f: URLSearchParams) =>
      app.request('/payu/acme/confirmation', { method: 'POST', body: f });
    expect((await confirm(form)).status).toBe(200);
    expect((await confirm(form)).status).toBe(200);
    expect((await confirm(new URLSearchParams({ junk: '1' }))).status).toBe(400);
    const text = await scrape();
    expect(sample(text, 'saldo_checkouts_total', { outcome: 'created' })).toBe(1);
    expect(sample(text, 'saldo_checkouts_total', { outcome: 'replay' })).toBe(1);
    expect(sample(text, 'saldo_payu_confirmations_total', { outcome: 'applied' })).toBe(1);
    expect(sample(text, 'saldo_payu_confirmations_total', { outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'saldo_payu_confirmations_total', { outcome: 'invalid_request' })).toBe(1);
    // One event to the merchant's webhook.url, not yet delivered.
    expect(sample(text, 'saldo_webhook_outbox_backlog')).toBe(1);
  });

  test('times HTTP requests by route pattern, never by the raw path', async () => {
    const { app, scrape } = await appWithMetrics();
    expect((await app.request('/api/v1/merchants/acme/payments/ref-does-not-exist')).status).toBe(404);
    expect((await app.request('/healthz')).status).toBe(200);
    const text = await scrape();
    expect(
      sample(text, 'saldo_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/merchants/:merchantId/payments/:reference',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sample(text, 'saldo_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/healthz',
        status: '200',
      }),
    ).toBe(1);
    expect(text).not.toContain('ref-does-not-exist');
  });

  test('a failing database makes the backlog NaN instead of failing the scrape', async () => {
    const metrics = createMetrics({
      outboxBacklog: () => Promise.reject(new Error('database is down')),
    });
    const text = (await metrics.render()).body;
    expect(sample(text, 'saldo_webhook_outbox_backlog')).toBeNaN();
  });

  test('two apps in one process keep separate counts (no global registry)', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.lookup('ok');
    a.lookup('ok');
    b.lookup('ok');
    expect(sample((await a.render()).body, 'saldo_lookups_total', { outcome: 'ok' })).toBe(2);
    expect(sample((await b.render()).body, 'saldo_lookups_total', { outcome: 'ok' })).toBe(1);
  });

  test('process metrics are there only when asked for', async () => {
    expect((await createMetrics().render()).body).not.toContain('process_cpu_seconds_total');
    expect((await createMetrics({ processMetrics: true }).render()).body).toContain(
      'process_cpu_seconds_total',
    );
  });
});

describe('ERP breaker state', () => {
  test('follows the cached ERP client: closed, open after consecutive outages, one series per state', async () => {
    let fail = false;
    const inner: ErpClient = {
      async fetchPendingPayments(): Promise<ErpFetchResult> {
        return fail
          ? { ok: false, error: 'erp_unavailable', detail: 'http_status', status: 503 }
          : { ok: true, body: erpBody };
      },
      close() {},
    };
    const client = createCachedErpClient(inner, { breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    const metrics = createMetrics({ breakerStates: () => client.getBreakerStates() });
    const config = testConfig();
    const m = config.merchants[0]!;
    const merchant = { id: m.id, erp: m.erp! };
    const erp = metrics.observeErp(client);

    // Before any call the merchant has no breaker yet: no series.
    expect(
      sample((await metrics.render()).body, 'saldo_erp_breaker_state', { merchant: 'acme', state: 'closed' }),
    ).toBeUndefined();
    await erp.fetchPendingPayments(merchant, PAYER.id);
    let text = (await metrics.render()).body;
    expect(sample(text, 'saldo_erp_breaker_state', { merchant: 'acme', state: 'closed' })).toBe(1);
    expect(sample(text, 'saldo_erp_breaker_state', { merchant: 'acme', state: 'open' })).toBe(0);

    fail = true;
    await erp.fetchPendingPayments(merchant, '11111111');
    await erp.fetchPendingPayments(merchant, '22222222');
    const shortCircuited = await erp.fetchPendingPayments(merchant, '33333333');
    expect(shortCircuited).toMatchObject({ ok: false, detail: 'circuit_open' });
    text = (await metrics.render()).body;
    expect(sample(text, 'saldo_erp_breaker_state', { merchant: 'acme', state: 'open' })).toBe(1);
    expect(sample(text, 'saldo_erp_breaker_state', { merchant: 'acme', state: 'closed' })).toBe(0);
    expect(sample(text, 'saldo_erp_breaker_state', { merchant: 'acme', state: 'half-open' })).toBe(0);
    expect(
      sample(text, 'saldo_erp_errors_total', {
        merchant: 'acme',
        code: 'erp_unavailable',
        detail: 'circuit_open',
      }),
    ).toBe(1);
    expect(
      sample(text, 'saldo_erp_errors_total', {
        merchant: 'acme',
        code: 'erp_unavailable',
        detail: 'http_status',
      }),
    ).toBe(2);
    client.close();
  });

  test('an ERP port that throws is timed, counted and rethrown', async () => {
    const metrics = createMetrics();
    const erp = metrics.observeErp({
      fetchPendingPayments: () => Promise.reject(new Error('bug')),
    });
    const m = testConfig().merchants[0]!;
    await expect(erp.fetchPendingPayments({ id: m.id, erp: m.erp! }, PAYER.id)).rejects.toThrow('bug');
    const text = (await metrics.render()).body;
    expect(
      sample(text, 'saldo_erp_errors_total', { merchant: 'acme', code: 'exception', detail: 'exception' }),
    ).toBe(1);
  });

  test('counts reconciliations by PayU status and result', async () => {
    const metrics = createMetrics();
    metrics.reconciliation('approved', 'applied');
    metrics.reconciliation('pending', 'held');
    const text = (await metrics.render()).body;
    expect(sample(text, 'saldo_reconciliations_total', { payu_status: 'approved', result: 'applied' })).toBe(
      1,
    );
    expect(sample(text, 'saldo_reconciliations_total', { payu_status: 'pending', result: 'held' })).toBe(1);
  });
});
