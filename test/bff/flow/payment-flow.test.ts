import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { createPayuSimulator } from '../../../bff/demo/payu-simulator/simulator';
import { verifyResponsePage, parseResponsePage } from '../../../bff/payu/response-page';
import { createWebhookDispatcher } from '../../../bff/webhooks/dispatcher';
import { fakeDeps, fakeErp, TEST_PAYU, TEST_WEBHOOK_SECRET } from '../../support/fake-deps';
import { createSilentLogger } from '../../../bff/observability/logger';

const ID = '52123456';
const erpBody = {
  payments: [
    {
      recauda_information: {
        description: 'Factura FE-1043',
        amount: '50000',
        currency_type: 'COP',
        id_number: ID,
        payer_name: 'Laura Gómez',
        ref_payment: 'FE-1043',
        advance: { type: 'Porcentaje Minimo', value: 30 },
        metadata: { contrato: 'C-77' },
      },
      advanced_options: {
        limit_date: '2025-03-20',
        result_urls: { webhook: 'http://127.0.0.1:9/item-hook' },
        has_comments: true,
        comments_label: 'Notas para el domicilio',
        request_address_delivery: true,
        delivery_service: { type: 'Con Valor', value: 7000 },
      },
    },
    {
      recauda_information: {
        description: 'Cuota de administración marzo',
        amount: 20000,
        currency_type: 'COP',
        id_number: ID,
        ref_payment: 'ADM-03',
      },
      advanced_options: null,
    },
  ],
};

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function setup() {
  const deps = await fakeDeps({ erp: fakeErp({ [ID]: erpBody }).port });
  const app = createApp(deps);
  // The simulator calls the portal back in-process, as PayU would over the network.
  const simulator = createPayuSimulator({
    basePath: '/payu-sim',
    merchants: (id) =>
      id === TEST_PAYU.merchantId ? { apiKey: TEST_PAYU.apiKey, accountId: TEST_PAYU.accountId } : undefined,
    fetch: (input, init) =>
      Promise.resolve(app.request(input instanceof Request ? input : String(input), init)),
    retryDelaysMs: [10, 10, 10],
    pendingDelayMs: 20,
  });
  closers.push(() => simulator.close());
  const delivered: { url: string; headers: Record<string, string>; body: string }[] = [];
  const dispatcher = createWebhookDispatcher({
    store: deps.store,
    merchants: deps.merchants,
    logger: createSilentLogger(),
    // Signed with the real time: verifiers reject timestamps older than five minutes.
    now: () => new Date(),
    fetch: async (url, init) => {
      delivered.push({
        url: String(url),
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        body: String(init?.body),
      });
      return new Response('ok', { status: 200 });
    },
  });
  const lookup = async () => {
    const res = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: ID }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      items: {
        ref: string;
        balance: string;
        paid: string;
        payable: boolean;
        blockedReason: string | null;
        minimum: string;
      }[];
    };
  };
  const checkout = async (items: { ref: string; amount: string }[], key = randomUUID(), extra: object = {}) =>
    app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({
        idNumber: ID,
        items,
        buyer: { email: 'laura@example.co', fullName: 'Laura Gómez', phone: '+57 300 123 4567' },
        comment: 'Dejar en portería',
        deliveryAddress: { street: 'Calle 10 # 5-20', city: 'Bogotá', country: 'CO' },
        ...extra,
      }),
    });
  return { deps, app, simulator, dispatcher, delivered, lookup, checkout };
}

describe('lookup → checkout → PayU simulator → confirmation → result → webhook', () => {
  test('a partial payment of one item is recorded once, shown in the next lookup, and announced to the merchant', async () => {
    const s = await setup();
    const before = await s.lookup();
    const fe = before.items.find((i) => i.ref === 'FE-1043');
    // G = 50000 + 7000 = 57000; M = roundUp(57000 × 30 %) = 17100; E = max(17100, 10000).
    expect(fe).toMatchObject({ balance: '57000', minimum: '17100', payable: true });

    const res = await s.checkout([{ ref: 'FE-1043', amount: '20000' }]);
    expect(res.status).toBe(201);
    const form = (await res.json()) as { reference: string; action: string; fields: Record<string, string> };
    expect(form.action).toBe('http://127.0.0.1:8787/payu-sim/checkout');
    expect(form.fields).toMatchObject({
      amount: '20000',
      currency: 'COP',
      tax: '0',
      taxReturnBase: '0',
      referenceCode: form.reference,
      algorithmSignature: 'SHA256',
      buyerEmail: 'laura@example.co',
      responseUrl: 'http://127.0.0.1:8787/payu/acme/response',
      confirmationUrl: 'http://127.0.0.1:8787/payu/acme/confirmation',
      shippingAddress: 'Calle 10 # 5-20',
      shippingCity: 'Bogotá',
      shippingCountry: 'CO',
    });

    // While the payment is at PayU the item is held.
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-1043')).toMatchObject({
      payable: false,
      blockedReason: 'payment_pending',
    });

    const paid = s.simulator.pay(form.fields, 'approved');
    const confirmation = await paid.confirmation;
    expect(confirmation).toMatchObject({ delivered: true, status: 200, attempts: 1 });

    // The payer's browser comes back through the response page, which only redirects.
    const redirect = new URL(paid.redirectUrl);
    const page = parseResponsePage(redirect.searchParams);
    expect(page.ok && verifyResponsePage(page.value, TEST_PAYU.apiKey)).toBe(true);
    const back = await s.app.request(`${redirect.pathname}${redirect.search}`);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/acme/pay/result/${form.reference}?payu=approved&lng=es`);

    const result = await s.app.request(`/api/v1/merchants/acme/payments/${form.reference}`);
    expect(result.status).toBe(200);
    expect(await result.json()).toMatchObject({
      reference: form.reference,
      status: 'approved',
      amount: '20000',
      currency: 'COP',
      items: [{ ref: 'FE-1043', amount: '20000' }],
    });

    const after = (await s.lookup()).items.find((i) => i.ref === 'FE-1043');
    expect(after).toMatchObject({ paid: '20000', balance: '37000', payable: true, blockedReason: null });

    // The outbox delivers one event to the merchant's URL and to the item's URL, same id, verifiable.
    expect(await s.dispatcher.runOnce()).toBe(2);
    expect(s.delivered.map((d) => d.url).sort()).toEqual([
      'http://127.0.0.1:9/item-hook',
      'http://127.0.0.1:9/merchant-events',
    ]);
    const [first, second] = s.delivered;
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    const event = new Webhook(TEST_WEBHOOK_SECRET).verify(first?.body ?? '', first?.headers ?? {}) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event.type).toBe('payment.approved');
    expect(event.data).toMatchObject({
      reference: form.reference,
      status: 'approved',
      amount: '20000',
      currency: 'COP',
      items: [{ ref_payment: 'FE-1043', amount: '20000', metadata: { contrato: 'C-77' } }],
      comment: 'Dejar en portería',
      deliveryAddress: { street: 'Calle 10 # 5-20', city: 'Bogotá', country: 'CO' },
    });
    expect(await s.deps.store.outboxBacklog()).toBe(0);
  });

  test('several items of one currency are paid in one PayU transaction with amounts recorded per item', async () => {
    const s = await setup();
    const res = await s.checkout([
      { ref: 'FE-1043', amount: '57000' },
      { ref: 'ADM-03', amount: '20000' },
    ]);
    expect(res.status).toBe(201);
    const form = (await res.json()) as { reference: string; fields: Record<string, string> };
    expect(form.fields.amount).toBe('77000');
    await s.simulator.pay(form.fields, 'approved').confirmation;
    const items = (await s.lookup()).items;
    expect(items.find((i) => i.ref === 'FE-1043')).toMatchObject({ balance: '0', blockedReason: 'paid' });
    expect(items.find((i) => i.ref === 'ADM-03')).toMatchObject({ balance: '0', blockedReason: 'paid' });
  });

  test('a declined payment releases the hold and leaves the balance', async () => {
    const s = await setup();
    const form = (await (await s.checkout([{ ref: 'ADM-03', amount: '20000' }])).json()) as {
      reference: string;
      fields: Record<string, string>;
    };
    await s.simulator.pay(form.fields, 'declined').confirmation;
    const status = (await (
      await s.app.request(`/api/v1/merchants/acme/payments/${form.reference}`)
    ).json()) as {
      status: string;
    };
    expect(status.status).toBe('declined');
    expect((await s.lookup()).items.find((i) => i.ref === 'ADM-03')).toMatchObject({
      balance: '20000',
      payable: true,
    });
  });

  test('pending at PayU, then approved: the result is pending first and approved after the confirmation', async () => {
    const s = await setup();
    const form = (await (await s.checkout([{ ref: 'ADM-03', amount: '20000' }])).json()) as {
      reference: string;
      fields: Record<string, string>;
    };
    const paid = s.simulator.pay(form.fields, 'pending-then-approved');
    const redirect = new URL(paid.redirectUrl);
    const back = await s.app.request(`${redirect.pathname}${redirect.search}`);
    expect(back.headers.get('location')).toBe(`/acme/pay/result/${form.reference}?payu=pending&lng=es`);
    const pending = (await (
      await s.app.request(`/api/v1/merchants/acme/payments/${form.reference}`)
    ).json()) as {
      status: string;
    };
    expect(pending.status).toBe('pending');
    await paid.confirmation;
    const done = (await (
      await s.app.request(`/api/v1/merchants/acme/payments/${form.reference}`)
    ).json()) as {
      status: string;
    };
    expect(done.status).toBe('approved');
  });

  test('checkout refuses amounts outside [minimum, balance], unknown items, mixed currencies and held items', async () => {
    const s = await setup();
    const below = await s.checkout([{ ref: 'FE-1043', amount: '17099' }]);
    expect(below.status).toBe(422);
    expect(await below.json()).toMatchObject({ error: { code: 'amount_out_of_range' } });
    const above = await s.checkout([{ ref: 'FE-1043', amount: '57001' }]);
    expect(above.status).toBe(422);
    // Without an advance only the whole balance can be paid.
    const partial = await s.checkout([{ ref: 'ADM-03', amount: '15000' }]);
    expect(partial.status).toBe(422);
    const fraction = await s.checkout([{ ref: 'ADM-03', amount: '20000.5' }]);
    expect(fraction.status).toBe(422);
    const unknown = await s.checkout([{ ref: 'NOPE', amount: '20000' }]);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_item' } });
    expect((await s.checkout([{ ref: 'ADM-03', amount: '20000' }])).status).toBe(201);
    const held = await s.checkout([{ ref: 'ADM-03', amount: '20000' }]);
    expect(held.status).toBe(409);
    expect(await held.json()).toMatchObject({ error: { code: 'payment_pending' } });
  });

  test('the same Idempotency-Key returns the same checkout; with another body it is 422', async () => {
    const s = await setup();
    const key = randomUUID();
    const first = (await (await s.checkout([{ ref: 'ADM-03', amount: '20000' }], key)).json()) as {
      reference: string;
      fields: Record<string, string>;
    };
    const again = await s.checkout([{ ref: 'ADM-03', amount: '20000' }], key);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual({ ...first, method: 'POST', action: expect.any(String) });
    const other = await s.checkout([{ ref: 'FE-1043', amount: '57000' }], key);
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    const missing = await s.app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        idNumber: ID,
        items: [{ ref: 'ADM-03', amount: '20000' }],
        buyer: { email: 'a@b.co', fullName: 'Ana Pérez', phone: '3001234567' },
      }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'idempotency_key_required' } });
  });

  test('ten concurrent checkouts of one item with different keys create exactly one', async () => {
    const s = await setup();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => s.checkout([{ ref: 'ADM-03', amount: '20000' }])),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(9);
  });

  test('a response page with a bad signature redirects without a status hint and changes nothing', async () => {
    const s = await setup();
    const form = (await (await s.checkout([{ ref: 'ADM-03', amount: '20000' }])).json()) as {
      reference: string;
    };
    const res = await s.app.request(
      `/payu/acme/response?merchantId=508029&referenceCode=${form.reference}&TX_VALUE=20000.00&currency=COP&transactionState=4&signature=${'0'.repeat(64)}`,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/acme/pay/result/${form.reference}`);
    const status = (await (
      await s.app.request(`/api/v1/merchants/acme/payments/${form.reference}`)
    ).json()) as { status: string };
    expect(status.status).toBe('pending');
  });
});
