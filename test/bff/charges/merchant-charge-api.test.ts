import { describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { fakeDeps, fakeErp, testConfig, type FakeDeps } from '../../support/fake-deps';

const TOKEN = 'acme-api-token-0123456789';
const PAYER = '1020304050';

async function setup(overrides: Parameters<typeof testConfig>[0] = {}, erp?: Record<string, unknown>) {
  const deps = await fakeDeps({
    config: testConfig(overrides),
    ...(erp ? { erp: fakeErp(erp).port } : {}),
  });
  const app = createApp(deps);
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return { deps, app, call };
}

const base = {
  amount: 100000,
  currency: 'COP',
  description: 'Servicio de consultoría',
  merchant_id_number: '900123456',
  merchant_phone: '573112229999',
};

const withPayer = {
  ...base,
  payer: { user_id_type: 'CC', user_id_number: PAYER, first_name: 'Camila' },
};

async function outboxBodies(deps: FakeDeps): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const claimed = await deps.store.claimOutbox(new Date('2100-01-01T00:00:00Z'), 100, 60_000);
  return claimed.map((m) => JSON.parse(m.body) as { type: string; data: Record<string, unknown> });
}

describe('POST /v1/merchant/transaction', () => {
  test('creates a charge and answers as seed 002 (channel upper-case, UUID process_id, a 128-bit link)', async () => {
    const { call, deps } = await setup();
    const res = await call('POST', '/v1/merchant/transaction', {
      ...base,
      channel: 'link',
      status: 'PENDING',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(body.external_reference).toMatch(/^[a-z0-9]{12}$/);
    expect(body.channel).toBe('LINK');
    expect(body.process_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const link = new URL(body.link!);
    expect(link.pathname).toMatch(/^\/acme\/c\/[A-Za-z0-9_-]{24}$/);
    expect(Buffer.from(link.pathname.split('/')[3]!, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(new Date(body.created_at!).toISOString()).toBe('2025-03-10T15:00:00.000Z');
    const events = await outboxBodies(deps);
    expect(events.map((e) => e.type)).toEqual(['charge.created']);
    expect(events[0]!.data.external_reference).toBe(body.external_reference);
  });

  test('reports every bad field at once, with paths', async () => {
    const { call, deps } = await setup();
    const res = await call('POST', '/v1/merchant/transaction', {
      amount: -5,
      currency: 'XXX',
      description: 'abc',
      merchant_phone: 'nope',
      reminder_date: '02/10/2025',
      expected_date: '2025-02-30',
      status: 'scheduled',
      channel: 'fax',
      attachment: 'http://insecure.example/file.pdf',
      payer: { user_id_type: 'CC' },
      late_fees: {
        condition_type: 'fixed',
        fixed: [
          { date: '2025/04/01', value: 5000 },
          { date: '2025.04.02', value: 5000, reminder: true },
        ],
      },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; fields: { path: string; message: string }[] };
    };
    expect(body.error.code).toBe('invalid_request');
    const paths = body.error.fields.map((f) => f.path);
    for (const p of [
      'amount',
      'description',
      'merchant_phone',
      'reminder_date',
      'expected_date',
      'channel',
      'attachment',
      'late_fees.fixed[1].date',
      'payer.user_id_number',
      'payer.first_name',
      'merchant_id_number',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(body.error.fields.find((f) => f.path === 'reminder_date')!.message).toBe('use YYYY/MM/DD');
    expect(await deps.store.listCharges('acme', { limit: 10 })).toEqual([]);
  });

  test('currency must be one of the merchant PayU currencies; amounts round half up', async () => {
    const { call } = await setup({
      merchant: { payu: { ...testConfig().merchants[0]!.payu, currencies: ['COP', 'USD'] } },
    });
    const usd = await call('POST', '/v1/merchant/transaction', {
      ...base,
      currency: 'usd',
      amount: '10.005',
    });
    expect(usd.status).toBe(201);
    const ref = ((await usd.json()) as { external_reference: string }).external_reference;
    const got = (await (await call('GET', `/v1/merchant/transaction/${ref}`)).json()) as Record<
      string,
      unknown
    >;
    expect(got.amount).toBe('10.01');
    expect(got.currency).toBe('USD');
    const mxn = await call('POST', '/v1/merchant/transaction', { ...base, currency: 'MXN' });
    expect(mxn.status).toBe(422);
  });

  test('Idempotency-Key: same body → same answer and one charge; another body → 422', async () => {
    const { call, deps } = await setup();
    const h = { 'Idempotency-Key': 'order-0001-abc' };
    const a = await call('POST', '/v1/merchant/transaction', base, h);
    const b = await call('POST', '/v1/merchant/transaction', { ...base }, h);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(await b.json()).toEqual(await a.json());
    const c = await call('POST', '/v1/merchant/transaction', { ...base, amount: 5000 }, h);
    expect(c.status).toBe(422);
    expect(((await c.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    expect(await deps.store.listCharges('acme', { limit: 10 })).toHaveLength(1);
  });

  test('a missing or wrong x-auth-token is 401 and writes nothing; a body over 1 MiB is 413', async () => {
    const { call, deps } = await setup();
    expect(
      (await call('POST', '/v1/merchant/transaction', base, { 'x-auth-token': 'wrong-token-0123456789' }))
        .status,
    ).toBe(401);
    expect((await call('GET', '/v1/merchant/transaction', undefined, { 'x-auth-token': '' })).status).toBe(
      401,
    );
    const big = JSON.stringify({ ...base, comments: 'x'.repeat(1024 * 1024) });
    const res = await call('POST', '/v1/merchant/transaction', big);
    expect(res.status).toBe(413);
    expect(await deps.store.listCharges('acme', { limit: 10 })).toEqual([]);
  });

  test('an incentive that could reach the whole amount is refused (worked example 6)', async () => {
    const { call } = await setup();
    const res = await call('POST', '/v1/merchant/transaction', {
      ...base,
      limit_date: '2025/03/20',
      advance_payment: { condition_type: 'automated', type: 'amount', value: 60000, frequency: 1, limit: 30 },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(['advance_payment.value']);
  });
});

describe('GET, list and PATCH', () => {
  test('GET returns entry ids, priced numbers and payments; PATCH edits fixed entries by id', async () => {
    const { call } = await setup();
    const created = await call('POST', '/v1/merchant/transaction', {
      ...withPayer,
      limit_date: '2025/03/20',
      advance_payment: {
        condition_type: 'fixed',
        fixed: [
          { date: '2025/03/05', value: 5000 },
          { date: '2025/03/12', value: 3000 },
          { date: '2025/03/18', value: 1000 },
        ],
      },
    });
    const ref = ((await created.json()) as { external_reference: string }).external_reference;
    const got = (await (await call('GET', `/v1/merchant/transaction/${ref}`)).json()) as {
      advance_payment: { fixed: { id: string; date: string }[] };
      priced: { discount: string; total: string; discountUntil: string; source: string };
      payments: unknown[];
    };
    expect(got.priced).toMatchObject({
      discount: '3000',
      total: '97000',
      discountUntil: '2025-03-12',
      source: 'charge',
    });
    expect(got.payments).toEqual([]);
    const [first, second] = got.advance_payment.fixed;
    const patched = await call('PATCH', `/v1/merchant/transaction/${ref}`, {
      advance_payment: [
        { action: 'delete', id: second!.id },
        { action: 'edit', id: first!.id, date: '2025/03/11' },
      ],
    });
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as typeof got;
    expect(after.advance_payment.fixed.map((e) => e.date)).toEqual(['2025-03-11', '2025-03-18']);
    expect(after.priced.discount).toBe('5000');

    const unknown = await call('PATCH', `/v1/merchant/transaction/${ref}`, {
      advance_payment: [{ action: 'delete', id: 'nope' }],
    });
    expect(unknown.status).toBe(422);
    expect(
      ((await unknown.json()) as { error: { fields: { path: string; message: string }[] } }).error.fields,
    ).toEqual([{ path: 'advance_payment[0].id', message: 'no entry with id nope' }]);
  });

  test('the list is newest first, 50 per page, with a cursor and filters', async () => {
    const { call, deps } = await setup();
    for (let i = 0; i < 53; i++) {
      deps.setNow(new Date(Date.UTC(2025, 2, 10, 15, 0, i)));
      const res = await call('POST', '/v1/merchant/transaction', {
        ...(i % 2 ? withPayer : base),
        status: i === 0 ? 'created' : 'pending',
      });
      expect(res.status).toBe(201);
    }
    const first = (await (await call('GET', '/v1/merchant/transaction')).json()) as {
      items: { created_at: string }[];
      next_cursor: string;
    };
    expect(first.items).toHaveLength(50);
    expect(first.items[0]!.created_at).toBe('2025-03-10T15:00:52.000Z');
    const second = (await (
      await call('GET', `/v1/merchant/transaction?cursor=${first.next_cursor}`)
    ).json()) as {
      items: { created_at: string }[];
      next_cursor: string | null;
    };
    expect(second.items.map((i) => i.created_at)).toEqual([
      '2025-03-10T15:00:02.000Z',
      '2025-03-10T15:00:01.000Z',
      '2025-03-10T15:00:00.000Z',
    ]);
    expect(second.next_cursor).toBeNull();
    const created = (await (await call('GET', '/v1/merchant/transaction?status=created')).json()) as {
      items: unknown[];
    };
    expect(created.items).toHaveLength(1);
    const byPayer = (await (await call('GET', `/v1/merchant/transaction?payer=${PAYER}`)).json()) as {
      items: unknown[];
    };
    expect(byPayer.items).toHaveLength(26);
    const bad = await call('GET', '/v1/merchant/transaction?status=nope&from=10/03/2025');
    expect(bad.status).toBe(422);
  });

  test('status moves: created → scheduled needs reminder_date; cancelled is final', async () => {
    const { call, deps } = await setup();
    const res = await call('POST', '/v1/merchant/transaction', { ...base, status: 'created' });
    const ref = ((await res.json()) as { external_reference: string }).external_reference;
    const noDate = await call('PATCH', `/v1/merchant/transaction/${ref}`, { status: 'scheduled' });
    expect(noDate.status).toBe(422);
    const ok = await call('PATCH', `/v1/merchant/transaction/${ref}`, { status: 'pending' });
    expect(ok.status).toBe(200);
    const cancel = await call('PATCH', `/v1/merchant/transaction/${ref}`, { status: 'cancelled' });
    expect(((await cancel.json()) as { status: string }).status).toBe('cancelled');
    const back = await call('PATCH', `/v1/merchant/transaction/${ref}`, { status: 'pending' });
    expect(back.status).toBe(422);
    const types = (await outboxBodies(deps)).map((e) => e.type);
    expect(types).toEqual(['charge.created', 'charge.activated', 'charge.cancelled']);
  });

  test('process_type: cash → REVIEW, not payable; express qr → qr_url; nequi → unsupported_method', async () => {
    const { call } = await setup();
    const res = await call('POST', '/v1/merchant/transaction', withPayer);
    const ref = ((await res.json()) as { external_reference: string }).external_reference;
    const cash = (await (
      await call('PATCH', `/v1/merchant/transaction/${ref}`, { process_type: 'CASH' })
    ).json()) as {
      state: string;
      priced: { payable: boolean; blockedReason: string };
    };
    expect(cash.state).toBe('REVIEW');
    expect(cash.priced).toMatchObject({ payable: false, blockedReason: 'in_review' });
    const nequi = await call('PATCH', `/v1/merchant/transaction/${ref}`, {
      process_type: 'express',
      express: { method: 'nequi', reference: '3001234567' },
    });
    expect(nequi.status).toBe(422);
    expect(((await nequi.json()) as { error: { code: string } }).error.code).toBe('unsupported_method');
    const qr = (await (
      await call('PATCH', `/v1/merchant/transaction/${ref}`, {
        process_type: 'express',
        express: { method: 'qr' },
      })
    ).json()) as { state: string; qr_url: string; priced: { payable: boolean } };
    expect(qr.state).toBe('PENDING');
    expect(qr.priced.payable).toBe(true);
    expect(qr.qr_url).toMatch(/\/api\/v1\/merchants\/acme\/charges\/[A-Za-z0-9_-]{24}\/qr\.svg$/);
    const split = (await (
      await call('PATCH', `/v1/merchant/transaction/${ref}`, {
        process_type: 'split',
        split: [
          { amount: 40000, payment_method: 'cash' },
          { amount: 60000, payment_method: 'digital' },
        ],
      })
    ).json()) as { priced: { paid: string; balance: string; payable: boolean } };
    expect(split.priced).toMatchObject({ paid: '40000', balance: '60000', payable: true });
  });
});

describe('charges in the payer lookup and checkout', () => {
  test('a charge shows beside the ERP items with source "charge" and can be paid; then amount is locked (409)', async () => {
    const { call, app, deps } = await setup(
      {},
      {
        [PAYER]: {
          payments: [
            {
              recauda_information: {
                description: 'Factura FE-1',
                amount: 20000,
                currency_type: 'COP',
                id_number: PAYER,
                payer_name: 'Camila Rojas',
                ref_payment: 'FE-1',
              },
              advanced_options: null,
            },
          ],
        },
      },
    );
    const created = await call('POST', '/v1/merchant/transaction', { ...withPayer, reference_one: 'FAC123' });
    const ref = ((await created.json()) as { external_reference: string }).external_reference;
    await call('POST', '/v1/merchant/transaction', { ...withPayer, status: 'created' });

    const lookup = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER }),
    });
    const items = (
      (await lookup.json()) as {
        items: { ref: string; source: string; references: string[]; total: string }[];
      }
    ).items;
    expect(items.map((i) => [i.source, i.ref])).toEqual(
      expect.arrayContaining([
        ['erp', 'FE-1'],
        ['charge', ref],
      ]),
    );
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.source === 'charge')!.references).toEqual(['FAC123']);

    const checkout = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': 'checkout-key-0001' },
      body: JSON.stringify({
        idNumber: PAYER,
        items: [{ ref, amount: '100000', source: 'charge' }],
        buyer: { email: 'camila@example.co', fullName: 'Camila Rojas', phone: '3001234567' },
      }),
    });
    expect(checkout.status).toBe(201);
    const locked = await call('PATCH', `/v1/merchant/transaction/${ref}`, { amount: 120000 });
    expect(locked.status).toBe(409);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('charge_has_payments');
    const description = await call('PATCH', `/v1/merchant/transaction/${ref}`, {
      description: 'Otra descripción',
    });
    expect(description.status).toBe(200);
    const view = (await description.json()) as {
      payments: { status: string; amount: string }[];
      priced: { blockedReason: string };
    };
    expect(view.payments).toMatchObject([{ status: 'pending', amount: '100000' }]);
    expect(view.priced.blockedReason).toBe('payment_pending');
    expect(deps.outboxKicks.count).toBeGreaterThan(0);
  });

  test('the ERP down: a payer with charges still sees and pays them, told the invoices are missing', async () => {
    let erpUp = true;
    const deps = await fakeDeps({
      config: testConfig(),
      erp: fakeErp(() =>
        erpUp
          ? { ok: true, body: { payments: [] } }
          : { ok: false, error: 'erp_timeout', detail: 'timeout', status: 599 },
      ).port,
    });
    const app = createApp(deps);
    const created = await app.request('/v1/merchant/transaction', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN },
      body: JSON.stringify(withPayer),
    });
    const ref = ((await created.json()) as { external_reference: string }).external_reference;
    erpUp = false;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      app.request(`/api/v1/merchants/acme/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    const lookup = await post('lookup', { idNumber: PAYER });
    expect(lookup.status).toBe(200);
    const body = (await lookup.json()) as { items: { source: string; ref: string }[]; erpError?: string };
    expect(body.erpError).toBe('erp_timeout');
    expect(body.items.map((i) => [i.source, i.ref])).toEqual([['charge', ref]]);

    const buyer = { email: 'camila@example.co', fullName: 'Camila Rojas', phone: '3001234567' };
    // An item that is not among the charges may be an ERP invoice: the ERP's own error, not "unknown item".
    const erpItem = await post(
      'checkout',
      { idNumber: PAYER, items: [{ ref: 'FE-1', amount: '20000' }], buyer },
      { 'Idempotency-Key': 'erp-down-erp-item' },
    );
    expect(erpItem.status).toBe(504);
    expect(((await erpItem.json()) as { error: { code: string } }).error.code).toBe('erp_timeout');
    const paid = await post(
      'checkout',
      { idNumber: PAYER, items: [{ ref, amount: '100000', source: 'charge' }], buyer },
      { 'Idempotency-Key': 'erp-down-charge' },
    );
    expect(paid.status).toBe(201);
  });

  test('the ERP down and no charges: the lookup fails with the ERP error, as before', async () => {
    const deps = await fakeDeps({
      config: testConfig(),
      erp: fakeErp(() => ({ ok: false, error: 'erp_unavailable', detail: 'connect_failed', status: 599 }))
        .port,
    });
    const res = await createApp(deps).request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('erp_unavailable');
  });

  test('a merchant without an ERP runs with charges only', async () => {
    const { call, app } = await setup({ merchant: { erp: undefined } });
    await call('POST', '/v1/merchant/transaction', withPayer);
    const lookup = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: PAYER }),
    });
    expect(lookup.status).toBe(200);
    const body = (await lookup.json()) as { items: { source: string }[]; payer: { maskedName: string } };
    expect(body.items.map((i) => i.source)).toEqual(['charge']);
    expect(body.payer.maskedName).toBe('Ca****');
  });
});
