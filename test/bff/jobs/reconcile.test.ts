import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createApp } from '../../../bff/app';
import { createReconciler, type ReconcileDeps } from '../../../bff/jobs/reconcile';
import { createSilentLogger } from '../../../bff/observability/logger';
import { createMetrics } from '../../../bff/observability/metrics';
import { createPayuSimulator } from '../../../bff/demo/payu-simulator/simulator';
import { createWebhookDispatcher } from '../../../bff/webhooks/dispatcher';
import { fakeDeps, fakeErp, TEST_PAYU, TEST_WEBHOOK_SECRET } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { PAYER, erpBody } from '../observability/support';

const MINUTE = 60_000;
const CREATED = new Date('2025-03-10T15:00:00Z');
const QUERIES_URL = 'http://127.0.0.1:8787/payu-sim/reports-api/4.0/service.cgi';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Options {
  /** Fails the Queries API call for these references. */
  readonly queryFails?: (reference: string) => boolean;
  readonly reconciler?: Partial<ReconcileDeps>;
}

async function setup(options: Options = {}) {
  const deps = await fakeDeps({ erp: fakeErp({ [PAYER.id]: erpBody }).port, now: CREATED });
  closers.push(() => deps.store.close());
  const app = createApp(deps);
  // PayU that takes the payment but whose confirmation never reaches the portal.
  const simulator = createPayuSimulator({
    basePath: '/payu-sim',
    merchants: (id) =>
      id === TEST_PAYU.merchantId
        ? { apiKey: TEST_PAYU.apiKey, accountId: TEST_PAYU.accountId, apiLogin: TEST_PAYU.apiLogin }
        : undefined,
    merchantIdByApiLogin: (login) => (login === TEST_PAYU.apiLogin ? TEST_PAYU.merchantId : undefined),
    fetch: () => Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED')),
    retryDelaysMs: [1, 1],
    pendingDelayMs: 60 * MINUTE,
  });
  closers.push(() => simulator.close());

  const queried: string[] = [];
  const metrics = createMetrics();
  const reconciler = createReconciler({
    store: deps.store,
    merchants: deps.merchants,
    logger: createSilentLogger(),
    onOutboxWritten: deps.onOutboxWritten,
    simulatorQueriesUrl: QUERIES_URL,
    fetch: async (input, init) => {
      const reference = (JSON.parse(String(init?.body)) as { details: { referenceCode: string } }).details
        .referenceCode;
      queried.push(reference);
      if (options.queryFails?.(reference)) throw new TypeError('fetch failed');
      return simulator.app.request(String(input), init);
    },
    now: () => deps.clock.now(),
    metrics,
    ...options.reconciler,
  });
  closers.push(() => reconciler.stop());

  const delivered: { headers: Record<string, string>; body: string }[] = [];
  const dispatcher = createWebhookDispatcher({
    store: deps.store,
    merchants: deps.merchants,
    logger: createSilentLogger(),
    now: () => new Date(),
    fetch: async (_url, init) => {
      delivered.push({
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        body: String(init?.body),
      });
      return new Response('ok', { status: 200 });
    },
  });

  const checkout = async (ref = 'ADM-03', amount = '20000') => {
    const res = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        idNumber: PAYER.id,
        items: [{ ref, amount }],
        buyer: { email: PAYER.email, fullName: PAYER.name, phone: PAYER.phone },
      }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { reference: string; fields: Record<string, string> };
  };
  const status = async (reference: string) => {
    const res = await app.request(`/api/v1/merchants/acme/payments/${reference}`);
    return (await res.json()) as { status: string; payuReference: string | null };
  };
  const item = async (ref: string) => {
    const res = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER.id }),
    });
    const body = (await res.json()) as {
      items: { ref: string; paid: string; balance: string; blockedReason: string | null }[];
    };
    return body.items.find((i) => i.ref === ref);
  };
  const at = (minutesAfterCreation: number) =>
    deps.setNow(new Date(CREATED.getTime() + minutesAfterCreation * MINUTE));
  const events = async () => {
    await dispatcher.runOnce();
    return delivered.map((d) => ({
      id: d.headers['webhook-id'],
      event: new Webhook(TEST_WEBHOOK_SECRET).verify(d.body, d.headers) as {
        type: string;
        data: {
          reference: string;
          status: string;
          transactionId: string | null;
          payuReference: string | null;
        };
      },
    }));
  };
  return { deps, app, simulator, reconciler, queried, metrics, checkout, status, item, at, events };
}

describe('reconciliation through the PayU Queries API (simulator)', () => {
  test('an approved payment whose confirmation never arrives is settled approved once, and the late confirmation changes nothing', async () => {
    const s = await setup();
    const form = await s.checkout();
    const paid = s.simulator.pay(form.fields, 'approved');
    expect(await paid.confirmation).toMatchObject({ delivered: false });

    // Inside the hold the job does not even ask.
    s.at(10);
    expect(await s.reconciler.runOnce()).toEqual([]);
    expect(s.queried).toEqual([]);
    expect((await s.status(form.reference)).status).toBe('pending');

    s.at(31);
    expect(await s.reconciler.runOnce()).toEqual([
      {
        merchantId: 'acme',
        reference: form.reference,
        payuStatus: 'approved',
        result: 'applied',
        status: 'approved',
      },
    ]);
    expect(await s.status(form.reference)).toMatchObject({ status: 'approved', payuReference: paid.orderId });
    expect(s.deps.outboxKicks.count).toBe(1);
    expect(await s.item('ADM-03')).toMatchObject({ paid: '20000', balance: '0', blockedReason: 'paid' });

    // Nothing pending any more: the next run has nothing to ask.
    s.at(40);
    expect(await s.reconciler.runOnce()).toEqual([]);

    // PayU's own confirmation finally gets through, with its transaction_id: recorded, nothing changes.
    const late = confirmationForm(
      {
        reference: form.reference,
        value: '20000.00',
        currency: 'COP',
        statePol: '4',
        transactionId: paid.transactionId,
      },
      { reference_pol: paid.orderId },
    );
    const res = await s.app.request('/payu/acme/confirmation', { method: 'POST', body: late });
    expect(res.status).toBe(200);
    // And PayU retries it (it does not know the first got through).
    expect((await s.app.request('/payu/acme/confirmation', { method: 'POST', body: late })).status).toBe(200);
    expect(s.deps.outboxKicks.count).toBe(1);
    expect(await s.item('ADM-03')).toMatchObject({ paid: '20000', balance: '0' });

    // One merchant event, built like a confirmation's, naming the PayU transaction it was reconciled from.
    const events = await s.events();
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toMatchObject({
      type: 'payment.approved',
      data: {
        reference: form.reference,
        status: 'approved',
        payuReference: paid.orderId,
        transactionId: `reconcile:${paid.transactionId}`,
      },
    });
    const metrics = (await s.metrics.render()).body;
    expect(metrics).toContain('saldo_reconciliations_total{payu_status="approved",result="applied"} 1');
  });

  test('a reconciliation racing the real confirmation credits the payment exactly once', async () => {
    const s = await setup();
    const form = await s.checkout();
    const paid = s.simulator.pay(form.fields, 'approved');
    await paid.confirmation;
    s.at(31);
    const late = confirmationForm({
      reference: form.reference,
      value: '20000.00',
      currency: 'COP',
      statePol: '4',
      transactionId: paid.transactionId,
    });
    const [outcomes, res] = await Promise.all([
      s.reconciler.runOnce(),
      s.app.request('/payu/acme/confirmation', { method: 'POST', body: late }),
    ]);
    expect(res.status).toBe(200);
    // Whichever commits second is told the payment is already approved.
    expect(outcomes).toHaveLength(1);
    expect(['applied', 'final']).toContain(outcomes[0]!.result);
    expect((await s.status(form.reference)).status).toBe('approved');
    expect(s.deps.outboxKicks.count).toBe(1);
    expect(await s.events()).toHaveLength(1);
    expect(await s.item('ADM-03')).toMatchObject({ paid: '20000' });
  });

  test('two instances reconciling the same checkout settle it once', async () => {
    const s = await setup();
    const other = createReconciler({
      store: s.deps.store,
      merchants: s.deps.merchants,
      logger: createSilentLogger(),
      onOutboxWritten: s.deps.onOutboxWritten,
      simulatorQueriesUrl: QUERIES_URL,
      fetch: (input, init) => Promise.resolve(s.simulator.app.request(String(input), init)),
      now: () => s.deps.clock.now(),
    });
    closers.push(() => other.stop());
    const form = await s.checkout();
    await s.simulator.pay(form.fields, 'approved').confirmation;
    s.at(31);
    const [a, b] = await Promise.all([s.reconciler.runOnce(), other.runOnce()]);
    expect([...a, ...b].map((o) => o.result).sort()).toEqual(['applied', 'duplicate']);
    expect(await s.events()).toHaveLength(1);
  });

  test('a checkout never taken to PayU waits out the grace period, then expires and frees its items', async () => {
    const s = await setup();
    const form = await s.checkout();
    s.at(31);
    expect(await s.reconciler.runOnce()).toMatchObject([{ payuStatus: 'not_found', result: 'waiting' }]);
    expect((await s.status(form.reference)).status).toBe('pending');
    // The hold is over, so the payer may already start another payment of the item.
    expect(await s.item('ADM-03')).toMatchObject({ blockedReason: null });

    // Set aside until the grace period ends: not asked again on every run.
    s.at(60);
    expect(await s.reconciler.runOnce()).toEqual([]);
    expect(s.queried).toEqual([form.reference]);

    s.at(121);
    expect(await s.reconciler.runOnce()).toMatchObject([
      { payuStatus: 'not_found', result: 'applied', status: 'expired' },
    ]);
    expect((await s.status(form.reference)).status).toBe('expired');
    const events = await s.events();
    expect(events.map((e) => e.event.type)).toEqual(['payment.expired']);
  });

  test('a payment PayU still has pending stays pending, with its items held longer', async () => {
    const s = await setup({ reconciler: { pendingHoldMs: 24 * 60 * MINUTE } });
    const form = await s.checkout();
    const paying = s.simulator.pay(form.fields, 'pending-then-approved');
    s.at(31);
    expect(await s.reconciler.runOnce()).toMatchObject([{ payuStatus: 'pending', result: 'held' }]);
    expect((await s.status(form.reference)).status).toBe('pending');
    expect(await s.item('ADM-03')).toMatchObject({ blockedReason: 'payment_pending' });
    // The longer hold keeps it out of the next runs.
    s.at(180);
    expect(await s.reconciler.runOnce()).toEqual([]);
    expect(s.queried).toHaveLength(1);
    expect(await s.events()).toEqual([]);
    s.simulator.close();
    await paying.confirmation;
  });

  test('a payment page opened and never used does not hold the items, and expires after the grace period', async () => {
    const s = await setup();
    const form = await s.checkout();
    // The payer opens PayU's page (the order exists) and leaves without choosing anything.
    const page = await s.simulator.app.request('/payu-sim/checkout', {
      method: 'POST',
      body: new URLSearchParams(form.fields),
    });
    expect(page.status).toBe(200);
    s.at(31);
    expect(await s.reconciler.runOnce()).toMatchObject([{ payuStatus: 'pending', result: 'waiting' }]);
    expect(await s.item('ADM-03')).toMatchObject({ blockedReason: null });
    s.at(125);
    expect(await s.reconciler.runOnce()).toMatchObject([{ result: 'applied', status: 'expired' }]);
  });

  test('declined at PayU is settled declined, and a later approval of a retry still wins', async () => {
    const s = await setup();
    const form = await s.checkout();
    await s.simulator.pay(form.fields, 'declined').confirmation;
    s.at(31);
    expect(await s.reconciler.runOnce()).toMatchObject([
      { payuStatus: 'declined', status: 'declined', result: 'applied' },
    ]);
    expect(await s.item('ADM-03')).toMatchObject({ paid: '0', blockedReason: null });

    // The payer retried inside the same PayU checkout and paid; this time the confirmation arrives.
    const retry = s.simulator.pay(form.fields, 'approved');
    const approved = confirmationForm({
      reference: form.reference,
      value: '20000.00',
      currency: 'COP',
      statePol: '4',
      transactionId: retry.transactionId,
    });
    expect((await s.app.request('/payu/acme/confirmation', { method: 'POST', body: approved })).status).toBe(
      200,
    );
    expect((await s.status(form.reference)).status).toBe('approved');
    expect((await s.events()).map((e) => e.event.type)).toEqual(['payment.declined', 'payment.approved']);
  });

  test('a failing query leaves the checkout pending and does not starve the others', async () => {
    let first = '';
    const s = await setup({ queryFails: (ref) => ref === first, reconciler: { batchSize: 1 } });
    const a = await s.checkout('ADM-03', '20000');
    first = a.reference;
    s.at(1);
    const b = await s.checkout('FE-1043', '50000');
    await s.simulator.pay(b.fields, 'approved').confirmation;

    s.at(40);
    expect(await s.reconciler.runOnce()).toMatchObject([
      { reference: a.reference, payuStatus: 'query_error', result: 'failed' },
    ]);
    s.at(41);
    expect(await s.reconciler.runOnce()).toMatchObject([{ reference: b.reference, result: 'applied' }]);
    expect((await s.status(a.reference)).status).toBe('pending');
    expect((await s.status(b.reference)).status).toBe('approved');
    // After the back-off the failed one is asked again.
    s.at(56);
    first = '';
    expect(await s.reconciler.runOnce()).toMatchObject([{ reference: a.reference, payuStatus: 'not_found' }]);
  });

  test('a checkout of a merchant no longer in the config is skipped, not thrown on', async () => {
    const s = await setup();
    const form = await s.checkout();
    const reconciler = createReconciler({
      store: s.deps.store,
      merchants: new Map(),
      logger: createSilentLogger(),
      onOutboxWritten: () => {},
      now: () => s.deps.clock.now(),
    });
    s.at(31);
    expect(await reconciler.runOnce()).toMatchObject([
      { reference: form.reference, payuStatus: 'unknown_merchant', result: 'failed' },
    ]);
    await reconciler.stop();
  });

  test('runs on its own schedule, and stop() aborts a query in flight and waits for the run', async () => {
    let started!: () => void;
    const queryStarted = new Promise<void>((resolve) => (started = resolve));
    const s = await setup({
      reconciler: {
        firstRunDelayMs: 0,
        intervalMs: 60_000,
        fetch: (_input, init) =>
          new Promise<Response>((_resolve, reject) => {
            started();
            init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      },
    });
    await s.checkout();
    s.at(31);
    s.reconciler.start();
    await queryStarted;
    const t0 = Date.now();
    await s.reconciler.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    // Stopped for good: no run starts afterwards.
    expect(await s.reconciler.runOnce()).toEqual([]);
  });
});
