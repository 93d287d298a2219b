import { describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { demoConfig } from '../../../bff/config/demo-config';
import { DEMO_CHARGE_PAYER, seedDemoCharges } from '../../../bff/demo/demo-charges';
import { paymentEventMessages } from '../../../bff/webhooks/payment-event';
import { main as chargeCli } from '../../../scripts/charge';
import { fakeDeps, testConfig } from '../../support/fake-deps';

const TOKEN = 'acme-api-token-0123456789';
const charge = {
  amount: 100000,
  currency: 'COP',
  description: 'Servicio de consultoría',
  merchant_id_number: '900123456',
  merchant_phone: '573112229999',
  reference_one: 'FAC123',
  attachment: 'https://acme.co/soporte.pdf',
  payer: { user_id_type: 'NIT', user_id_number: '900373923-8', first_name: 'Altamira' },
  affiliate: { id_type: 'CC', id_number: '34000000' },
  invoice: { provider: 'alegra', type: 'create', id: 'FV-2-1234', retentions: '[1,2]' },
};

async function setup() {
  const deps = await fakeDeps({ config: testConfig() });
  const app = createApp(deps);
  const api = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const create = async (body: Record<string, unknown> = charge) => {
    const res = await api('POST', '/v1/merchant/transaction', body);
    expect(res.status).toBe(201);
    const created = (await res.json()) as { external_reference: string; link: string };
    return { ...created, linkId: new URL(created.link).pathname.split('/')[3]! };
  };
  return { deps, app, api, create };
}

describe('the charge link', () => {
  test('opens that one charge without an id number: references, attachment, masked name', async () => {
    const { app, create } = await setup();
    const { linkId, external_reference } = await create();
    const res = await app.request(`/api/v1/merchants/acme/charges/${linkId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as {
      items: { ref: string; source: string; references: string[]; attachment: string; payable: boolean }[];
      payer: { maskedName: string };
      linkedRef: string;
    };
    expect(body.items).toEqual([
      expect.objectContaining({
        ref: external_reference,
        source: 'charge',
        references: ['FAC123'],
        attachment: 'https://acme.co/soporte.pdf',
        payable: true,
      }),
    ]);
    expect(body.linkedRef).toBe(external_reference);
    expect(body.payer.maskedName).toBe('Al******');
  });

  test('a draft, another merchant or a wrong link are 404', async () => {
    const { app, create } = await setup();
    const draft = await create({ ...charge, status: 'created' });
    expect((await app.request(`/api/v1/merchants/acme/charges/${draft.linkId}`)).status).toBe(404);
    const live = await create();
    expect((await app.request(`/api/v1/merchants/other/charges/${live.linkId}`)).status).toBe(404);
    expect((await app.request(`/api/v1/merchants/acme/charges/${live.linkId.slice(0, -1)}x`)).status).toBe(
      404,
    );
  });

  test('an express qr charge serves an SVG QR code of its link; others do not', async () => {
    const { app, api, create } = await setup();
    const { linkId, external_reference } = await create();
    expect((await app.request(`/api/v1/merchants/acme/charges/${linkId}/qr.svg`)).status).toBe(404);
    const patched = (await (
      await api('PATCH', `/v1/merchant/transaction/${external_reference}`, {
        process_type: 'express',
        express: { method: 'qr' },
      })
    ).json()) as { qr_url: string };
    const res = await app.request(new URL(patched.qr_url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    // A different link is a different picture.
    const other = await create();
    await api('PATCH', `/v1/merchant/transaction/${other.external_reference}`, {
      process_type: 'express',
      express: { method: 'qr' },
    });
    const otherSvg = await (
      await app.request(`/api/v1/merchants/acme/charges/${other.linkId}/qr.svg`)
    ).text();
    expect(otherSvg).not.toBe(svg);
  });

  test('checkout by charge link; the approval event carries external_reference, affiliate and invoice', async () => {
    const { app, deps, create } = await setup();
    const { linkId, external_reference } = await create();
    const res = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': 'charge-link-key-1' },
      body: JSON.stringify({
        charge: linkId,
        items: [{ ref: external_reference, amount: '100000' }],
        buyer: { email: 'pagos@altamira.co', fullName: 'Inversiones Altamira', phone: '6011234567' },
      }),
    });
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const merchant = deps.merchants.get('acme')!;
    const applied = await deps.store.applyConfirmation({
      merchantId: 'acme',
      reference,
      transactionId: 'tx-1',
      status: 'approved',
      payuReference: '845612378',
      now: new Date('2025-03-10T15:05:00Z'),
      event: (checkout, status) =>
        paymentEventMessages(merchant, checkout, status, new Date('2025-03-10T15:05:00Z')),
    });
    expect(applied.kind).toBe('applied');
    const messages = await deps.store.claimOutbox(new Date('2100-01-01T00:00:00Z'), 100, 60_000);
    const approved = messages
      .map((m) => JSON.parse(m.body) as { type: string; data: { items: Record<string, unknown>[] } })
      .find((e) => e.type === 'payment.approved')!;
    expect(approved.data.items).toEqual([
      {
        ref_payment: external_reference,
        source: 'charge',
        external_reference,
        description: 'Servicio de consultoría',
        amount: '100000',
        affiliate: { id_type: 'CC', id_number: '34000000' },
        invoice: { provider: 'alegra', type: 'create', id: 'FV-2-1234', retentions: [1, 2] },
      },
    ]);
    // Paid: the link now shows it as paid, and the payment page names the charge.
    const after = (await (await app.request(`/api/v1/merchants/acme/charges/${linkId}`)).json()) as {
      items: { blockedReason: string; balance: string }[];
    };
    expect(after.items[0]).toMatchObject({ blockedReason: 'paid', balance: '0' });
    const payment = (await (await app.request(`/api/v1/merchants/acme/payments/${reference}`)).json()) as {
      items: { ref: string; source: string }[];
    };
    expect(payment.items).toMatchObject([{ ref: external_reference, source: 'charge' }]);
  });
});

describe('demo charges and the CLI', () => {
  test('the demo merchant gets its charges once; the payer sees all but the scheduled one', async () => {
    const deps = await fakeDeps({ config: testConfig({ merchant: { id: 'demo', erp: undefined } }) });
    expect(await seedDemoCharges(deps)).toBe(5);
    expect(await seedDemoCharges(deps)).toBe(0);
    const app = createApp(deps);
    const res = await app.request('/api/v1/merchants/demo/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: DEMO_CHARGE_PAYER }),
    });
    const items = ((await res.json()) as { items: { blockedReason: string | null; discount: string }[] })
      .items;
    expect(items).toHaveLength(4);
    expect(items.filter((i) => i.blockedReason === 'in_review')).toHaveLength(1);
    expect(items.some((i) => i.discount === '5000')).toBe(true);
    expect(await deps.store.listCharges('demo', { limit: 10, status: 'scheduled' })).toHaveLength(1);
  });

  test('npm run charge creates a charge through the API and prints its link', async () => {
    const deps = await fakeDeps({ config: demoConfig({ publicUrl: 'http://127.0.0.1:8787' }) });
    const app = createApp(deps);
    const out: string[] = [];
    const err: string[] = [];
    const code = await chargeCli(
      [
        '--merchant',
        'demo',
        '--amount',
        '50000',
        '--description',
        'Mensualidad',
        '--id',
        '1020304050',
        '--name',
        'Camila',
      ],
      {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env: {},
        fetch: ((input: string, init?: RequestInit) =>
          app.request(new URL(input).pathname, init)) as unknown as typeof fetch,
      },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[1]).toMatch(/^link: http:\/\/127\.0\.0\.1:8787\/demo\/c\/[A-Za-z0-9_-]{24}$/);
    expect(await deps.store.chargesForPayer('demo', '1020304050')).toHaveLength(1);
    expect(
      await chargeCli(['--merchant', 'demo'], { out: () => undefined, err: () => undefined, env: {} }),
    ).toBe(2);
  });

  test('npm run charge calls the portal where the server listens, an IPv6 host in brackets', async () => {
    const called: string[] = [];
    const err: string[] = [];
    const code = await chargeCli(
      ['--merchant', 'demo', '--amount', '50000', '--description', 'Mensualidad'],
      {
        out: () => undefined,
        err: (l) => err.push(l),
        env: { HOST: '::1', PORT: '9001' },
        fetch: ((input: string) => {
          called.push(input);
          return Promise.reject(new Error('connection refused'));
        }) as unknown as typeof fetch,
      },
    );
    expect(called).toEqual(['http://[::1]:9001/v1/merchant/transaction']);
    expect(code).toBe(1);
    expect(err[0]).toContain('Cannot reach the portal at http://[::1]:9001');
  });

  test('npm run charge names the known merchants when the one asked for is not configured', async () => {
    const err: string[] = [];
    const code = await chargeCli(['--merchant', 'nope', '--amount', '1', '--description', 'x'], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: {},
    });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/no merchant "nope" in the configuration \(known: demo/);
  });
});
