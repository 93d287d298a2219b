import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { signResponsePage } from '../../../bff/payu/signature';
import { fakeDeps, fakeErp, testConfig, TEST_PAYU } from '../../support/fake-deps';

const ID = '52123456';
const OTHER = '79865432';
const item = (ref: string, amount: number, advance = true, id = ID) => ({
  recauda_information: {
    description: `Factura ${ref}`,
    amount,
    currency_type: 'COP',
    id_number: id,
    ref_payment: ref,
    ...(advance ? { advance: { type: 'Valor Minimo', value: 5000 } } : {}),
  },
  advanced_options: null,
});

async function setup() {
  const config = testConfig({ merchant: { embed: { allowedOrigins: ['https://shop.acme.co'] } } });
  const erp = fakeErp({
    [ID]: { payments: [item('FE-1', 20000), item('FE-2', 30000, false)] },
    [OTHER]: { payments: [item('OT-1', 20000, false, OTHER)] },
  });
  const deps = await fakeDeps({ config, erp: erp.port });
  const app = createApp(deps);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(`/api/v1/merchants/acme${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const checkout = (items: { ref: string; amount: string }[], extra: object = {}) =>
    post(
      '/checkout',
      {
        idNumber: ID,
        items,
        buyer: { email: 'laura@example.co', fullName: 'Laura Gómez', phone: '+57 300 123 4567' },
        ...extra,
      },
      { 'idempotency-key': randomUUID() },
    );
  const lookup = async (idNumber = ID) => {
    const res = await post('/lookup', { idNumber });
    return (await res.json()) as {
      items: {
        ref: string;
        payable: boolean;
        blockedReason: string | null;
        maxPartial: string | null;
        hold: { reference: string; until: string } | null;
      }[];
    };
  };
  return { deps, app, post, checkout, lookup };
}

describe('a partial amount may not strand a remainder under the minimum', () => {
  test('15.000 of 20.000 (minimum 10.000) is refused with the largest partial amount; 10.000 passes', async () => {
    const s = await setup();
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-1')?.maxPartial).toBe('10000');
    const refused = await s.checkout([{ ref: 'FE-1', amount: '15000' }]);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      error: { code: 'remainder_below_minimum', ref: 'FE-1', maxAmount: '10000' },
    });
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-1')?.payable).toBe(true);
    expect((await s.checkout([{ ref: 'FE-1', amount: '10000' }])).status).toBe(201);
  });
});

describe('resume and cancel a pending checkout', () => {
  test('the lookup names the holding checkout and when its hold ends', async () => {
    const s = await setup();
    const created = (await (await s.checkout([{ ref: 'FE-2', amount: '30000' }])).json()) as {
      reference: string;
    };
    const fe2 = (await s.lookup()).items.find((i) => i.ref === 'FE-2');
    expect(fe2).toMatchObject({
      blockedReason: 'payment_pending',
      hold: { reference: created.reference, until: '2025-03-10T15:30:00.000Z' },
    });
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-1')?.hold).toBeNull();
  });

  test('resume gives back the same reference and signed form', async () => {
    const s = await setup();
    const created = (await (await s.checkout([{ ref: 'FE-2', amount: '30000' }])).json()) as {
      reference: string;
      fields: Record<string, string>;
    };
    const resumed = await s.post(`/checkouts/${created.reference}/resume`, { idNumber: ID });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toEqual(created);
  });

  test('cancel frees the items at once; a new checkout of them is created', async () => {
    const s = await setup();
    const created = (await (await s.checkout([{ ref: 'FE-2', amount: '30000' }])).json()) as {
      reference: string;
    };
    expect((await s.checkout([{ ref: 'FE-2', amount: '30000' }])).status).toBe(409);
    const cancelled = await s.post(`/checkouts/${created.reference}/cancel`, { idNumber: ID });
    expect(cancelled.status).toBe(200);
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-2')).toMatchObject({
      payable: true,
      hold: null,
    });
    expect((await s.checkout([{ ref: 'FE-2', amount: '30000' }])).status).toBe(201);
    // Cancelled: no longer resumable.
    expect((await s.post(`/checkouts/${created.reference}/resume`, { idNumber: ID })).status).toBe(404);
  });

  test('another payer, or an unknown reference, gets 404 and changes nothing', async () => {
    const s = await setup();
    const created = (await (await s.checkout([{ ref: 'FE-2', amount: '30000' }])).json()) as {
      reference: string;
    };
    for (const [path, body] of [
      [`/checkouts/${created.reference}/resume`, { idNumber: OTHER }],
      [`/checkouts/${created.reference}/cancel`, { idNumber: OTHER }],
      ['/checkouts/SLD-NOPE/cancel', { idNumber: ID }],
    ] as const) {
      const res = await s.post(path, body);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await s.post(`/checkouts/${created.reference}/cancel`, {})).status).toBe(400);
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-2')?.blockedReason).toBe('payment_pending');
  });

  test('the payment shows when its hold ends while pending', async () => {
    const s = await setup();
    const created = (await (await s.checkout([{ ref: 'FE-2', amount: '30000' }])).json()) as {
      reference: string;
    };
    const res = await s.app.request(`/api/v1/merchants/acme/payments/${created.reference}`);
    expect(await res.json()).toMatchObject({ status: 'pending', holdUntil: '2025-03-10T15:30:00.000Z' });
  });
});

describe('a checkout started inside the merchant page returns there after PayU', () => {
  test('extra2 carries the embedding page; the response page redirects there with the result', async () => {
    const s = await setup();
    const res = await s.checkout([{ ref: 'FE-2', amount: '30000' }], {
      returnTo: 'https://shop.acme.co/pagar',
      lng: 'en',
    });
    expect(res.status).toBe(201);
    const form = (await res.json()) as { reference: string; fields: Record<string, string> };
    expect(form.fields.extra2).toBe('https://shop.acme.co/pagar');

    const query = new URLSearchParams({
      merchantId: TEST_PAYU.merchantId,
      referenceCode: form.reference,
      TX_VALUE: '30000.00',
      currency: 'COP',
      transactionState: '4',
      lng: 'en',
      extra2: 'https://shop.acme.co/pagar',
    });
    query.set(
      'signature',
      signResponsePage({
        apiKey: TEST_PAYU.apiKey,
        merchantId: TEST_PAYU.merchantId,
        referenceCode: form.reference,
        txValue: '30000.00',
        currency: 'COP',
        transactionState: '4',
        algorithm: 'SHA256',
      }),
    );
    const back = await s.app.request(`/payu/acme/response?${query.toString()}`);
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.acme.co/pagar');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      saldo_result: form.reference,
      saldo_payu: 'approved',
      saldo_lng: 'en',
    });

    // A tampered extra2 (not signed by PayU) on another origin falls back to the portal's result page.
    query.set('extra2', 'https://evil.example/steal');
    const portal = await s.app.request(`/payu/acme/response?${query.toString()}`);
    expect(portal.headers.get('location')).toBe(`/acme/pay/result/${form.reference}?payu=approved&lng=en`);
  });

  test.each([
    'https://evil.example/pagar',
    'https://shop.acme.co/pagar?id=52123456',
    'https://shop.acme.co/pagar#x',
    'not a url',
  ])('returnTo %s is refused with 400 and creates nothing', async (returnTo) => {
    const s = await setup();
    const res = await s.checkout([{ ref: 'FE-2', amount: '30000' }], { returnTo });
    expect(res.status).toBe(400);
    expect((await s.lookup()).items.find((i) => i.ref === 'FE-2')?.payable).toBe(true);
  });
});
