import { readFileSync } from 'node:fs';
import { hc } from 'hono/client';
import { describe, expect, test } from 'vitest';
import { createApp, type AppType } from '../../../bff/app';
import { noRateLimit } from '../../../bff/app-deps';
import { fakeDeps, fakeErp } from '../../support/fake-deps';

const seed003 = JSON.parse(
  readFileSync(new URL('../../fixtures/seed-003.json', import.meta.url), 'utf8'),
) as unknown;

async function setup(erp = fakeErp({ '12345678': seed003 })) {
  const deps = await fakeDeps({ erp: erp.port });
  const app = createApp(deps);
  const client = hc<AppType>('http://portal.test', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init),
  });
  const lookup = (merchantId: string, json: { idNumber: string } | { token: string }) =>
    client.api.v1.merchants[':merchantId'].lookup.$post({ param: { merchantId }, json });
  return { deps, app, client, lookup, erp };
}

describe('POST /api/v1/merchants/:merchantId/lookup', () => {
  test('the seed 003 payload is priced as docs/spec/pricing.md says, through the typed client', async () => {
    const { lookup } = await setup();
    const res = await lookup('acme', { idNumber: '12.345.678' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    if (!('items' in body)) throw new Error('expected items');
    expect(body.merchant).toEqual({ id: 'acme', name: 'ACME S.A.S.' });
    expect(body.asOf).toBe('2025-03-10');
    expect(body.payer.maskedName).toBe('Ef****');
    expect(body.skipped).toBe(0);
    expect(body.duplicates).toBe(0);
    expect(body.items.map((i) => i.ref)).toEqual(['1234567', '7654321', '7654322']);
    expect(body.items[0]).toEqual({
      ref: '1234567',
      source: 'erp',
      description: 'prueba fill out all',
      currency: 'COP',
      amount: '20000',
      discount: '0',
      lateFee: '0',
      delivery: '5000',
      paid: '0',
      total: '25000',
      balance: '25000',
      minimum: '10000',
      // A partial payment must leave at least the minimum: 25000 − 10000.
      maxPartial: '15000',
      payable: true,
      blockedReason: null,
      hold: null,
      limitDate: '2025-03-15',
      discountUntil: null,
      daysOverdue: 0,
      references: ['123456', '323432', '6546456'],
      picture: 'https://efipay.co/images/logo.svg',
      comments: { enabled: false, label: null },
      deliveryAddressRequired: false,
      withheld: '0',
      withholdings: [],
    });
    expect(body.items[1]).toMatchObject({
      total: '20000',
      balance: '20000',
      minimum: '10000',
      limitDate: null,
    });
  });

  test.each([
    ['letters', 'abc12345'],
    ['too short', '1234'],
    ['too long', '1234567890123456'],
    ['empty', ''],
    ['wrong NIT check digit', '900373923-7'],
  ])('a malformed id (%s) is refused with 400 invalid_id_number and no ERP call', async (_name, idNumber) => {
    const { lookup, erp } = await setup();
    const res = await lookup('acme', { idNumber });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_id_number' } });
    expect(erp.calls).toEqual([]);
  });

  test('a NIT with its check digit asks the ERP for the base number', async () => {
    const { lookup, erp } = await setup();
    const res = await lookup('acme', { idNumber: '900.373.923-8' });
    expect(res.status).toBe(200);
    expect(erp.calls).toEqual(['900373923']);
  });

  test('an unknown merchant is 404 unknown_merchant with no ERP call', async () => {
    const { lookup, erp } = await setup();
    const res = await lookup('nope', { idNumber: '12345678' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_merchant' } });
    expect(erp.calls).toEqual([]);
  });

  test('a body that is not JSON of the documented shape is a 400, not a crash', async () => {
    const { app } = await setup();
    const res = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"idNumber":',
    });
    expect(res.status).toBe(400);
  });

  test.each([
    ['erp_unavailable', 502],
    ['erp_bad_response', 502],
    ['erp_timeout', 504],
  ] as const)('an ERP failure %s becomes %i with its code and no internals', async (error, status) => {
    const { lookup } = await setup(
      fakeErp(() => ({ ok: false, error, detail: 'connect_failed', status: 599 })),
    );
    const res = await lookup('acme', { idNumber: '12345678' });
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: error } });
    expect(text).not.toContain('connect_failed');
    expect(text).not.toContain('599');
  });

  test('an ERP answer without a payments array is 502 erp_bad_response', async () => {
    const { lookup } = await setup(fakeErp({ '12345678': { data: [] } }));
    const res = await lookup('acme', { idNumber: '12345678' });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'erp_bad_response' } });
  });

  test('items are sorted by limit date, earliest first and none last, then by ref', async () => {
    const item = (ref: string, limit: string | null) => ({
      recauda_information: {
        description: `Item ${ref}`,
        amount: 20000,
        currency_type: 'COP',
        ref_payment: ref,
      },
      advanced_options: limit ? { limit_date: limit } : null,
    });
    const body = {
      payments: [item('b', null), item('c', '2025-04-01'), item('a', null), item('d', '2025-03-20')],
    };
    const { lookup } = await setup(fakeErp({ '12345678': body }));
    const res = await lookup('acme', { idNumber: '12345678' });
    const json = await res.json();
    if (!('items' in json)) throw new Error('expected items');
    expect(json.items.map((i) => i.ref)).toEqual(['d', 'c', 'a', 'b']);
  });
});

describe('rate limits', () => {
  test('a limited client gets 429 with Retry-After on lookup and on checkout, and the ERP is not asked', async () => {
    const erp = fakeErp({ '12345678': seed003 });
    const deps = await fakeDeps({ erp: erp.port });
    const app = createApp({
      ...deps,
      rateLimiter: { ...noRateLimit, consumeLookup: async () => ({ retryAfterSeconds: 42 }) },
    });
    const lookup = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: '12345678' }),
    });
    expect(lookup.status).toBe(429);
    expect(lookup.headers.get('retry-after')).toBe('42');
    expect(await lookup.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const checkout = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'key-0123456789' },
      body: JSON.stringify({
        idNumber: '12345678',
        items: [{ ref: '1234567', amount: '25000' }],
        buyer: { email: 'ana@example.co', fullName: 'Ana Pérez', phone: '3001234567' },
      }),
    });
    expect(checkout.status).toBe(429);
    expect(checkout.headers.get('retry-after')).toBe('42');
    expect(erp.calls).toEqual([]);
  });
});
