import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Webhook } from 'standardwebhooks';
import { describe, expect, test } from 'vitest';
import { createDemoErp, DEMO_PAYERS } from '../../../bff/demo/demo-erp';
import { createErpClient } from '../../../bff/erp/erp-client';
import { readErpPayload, type ErpReadResult } from '../../../shared/erp/read-payload';
import { nitCheckDigit } from '../../../shared/id-number';
import { priceItem } from '../../../shared/pricing/price-item';

const TODAY = '2025-03-10';
const seedText = readFileSync(new URL('../../fixtures/seed-003.json', import.meta.url), 'utf8');

function demo(options: Partial<Parameters<typeof createDemoErp>[0]> = {}) {
  return createDemoErp({ today: () => TODAY, ...options });
}

async function payload(id: string, app = demo()): Promise<unknown> {
  const res = await app.request(`http://demo.test/get-recaudas?id_number=${encodeURIComponent(id)}`);
  expect(res.status).toBe(200);
  return res.json();
}

async function read(id: string): Promise<ErpReadResult> {
  const outcome = readErpPayload(await payload(id), id);
  if (!outcome.ok) throw new Error(`payload of ${id} rejected`);
  return outcome.value;
}

const price = (item: ErpReadResult['items'][number]) =>
  priceItem(item, {
    today: TODAY,
    merchantMinimum: item.currency === 'COP' ? 10000n : 0n,
    gatewayMinimum: 0n,
    merchantLateFees: null,
    paid: 0n,
    pending: false,
  });

describe('GET /get-recaudas', () => {
  test('12345678 answers the seed 003 example payload unchanged', async () => {
    expect(await payload('12345678')).toEqual(JSON.parse(seedText));
    const bundled = readFileSync(new URL('../../../bff/demo/seed-003-payload.json', import.meta.url), 'utf8');
    expect(bundled).toBe(seedText);
  });

  test('an unknown id is a 200 with no payments', async () => {
    expect(await payload('11223344')).toEqual({ payments: [] });
  });

  test.each(['', '%20', null])('a missing id_number (%s) is a 400', async (value) => {
    const query = value === null ? '' : `?id_number=${value}`;
    const res = await demo().request(`/get-recaudas${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'missing_id_number' } });
  });

  test('every seeded payer is read without skips or warnings, except the messy one', async () => {
    for (const payer of DEMO_PAYERS) {
      const r = await read(payer.idNumber);
      expect(r.items.length, payer.idNumber).toBeGreaterThan(0);
      if (payer.idNumber === '43215678') continue;
      expect([payer.idNumber, r.skipped, r.duplicates, r.warnings]).toEqual([payer.idNumber, 0, 0, {}]);
    }
  });

  test('all refs are unique across payers (payments are recorded per merchant + ref)', async () => {
    const refs: string[] = [];
    for (const payer of DEMO_PAYERS) refs.push(...(await read(payer.idNumber)).items.map((i) => i.ref));
    expect(new Set(refs).size).toBe(refs.length);
  });

  test('the NIT display form carries its DIAN check digit', () => {
    const nit = DEMO_PAYERS.find((p) => p.idNumber === '900373923');
    expect(nit?.display).toBe(`900.373.923-${nitCheckDigit('900373923')}`);
    expect(nitCheckDigit('900373923')).toBe(8);
  });
});

describe('what each payer shows (today 2025-03-10, merchant minimum COP 10000)', () => {
  test('1020304050: 10 % discount until today+5, a fixed-value discount, one expired window', async () => {
    const { items } = await read('1020304050');
    const [pct, value, expired] = items.map(price);
    expect([pct?.discount, pct?.discountUntil, pct?.total]).toEqual([35000n, '2025-03-15', 315000n]);
    expect([value?.discount, value?.total]).toEqual([15000n, 105000n]);
    expect([expired?.discount, expired?.total]).toEqual([0n, 45000n]);
  });

  test('79865432: 9 days late with 2 % every 3 days, and a fixed dated fee', async () => {
    const { items } = await read('79865432');
    const [automated, fixed, current] = items.map(price);
    // docs/spec/pricing.md worked example 4
    expect([automated?.daysOverdue, automated?.lateFee, automated?.total]).toEqual([9, 6000n, 106000n]);
    expect([fixed?.daysOverdue, fixed?.lateFee, fixed?.total]).toEqual([6, 5000n, 85000n]);
    expect([current?.daysOverdue, current?.lateFee]).toEqual([0, 0n]);
  });

  test('52123456: 30 % advance, paid delivery with address, comment box', async () => {
    const { items } = await read('52123456');
    const [order, pharmacy] = items;
    const priced = price(order!);
    expect([priced.delivery, priced.total, priced.itemMinimum, priced.allowsPartial]).toEqual([
      8000n,
      258000n,
      77400n,
      true,
    ]);
    expect(order?.requestAddressDelivery).toBe(true);
    expect(order?.comments).toEqual({
      enabled: true,
      label: 'Indicaciones para la entrega (torre, apartamento, horario)',
    });
    expect(pharmacy?.advance).toEqual({ type: 'minimum_amount', value: 20000n });
    expect(pharmacy?.delivery).toBe(0n);
  });

  test('1098765432: COP 8000 without advance is below the merchant minimum', async () => {
    const [small, regular] = (await read('1098765432')).items.map(price);
    expect([small?.item.amount, small?.payable, small?.blockedReason]).toEqual([
      8000n,
      false,
      'below_minimum',
    ]);
    expect(regular?.payable).toBe(true);
  });

  test('88776655: USD with cents and one EUR', async () => {
    const { items } = await read('88776655');
    expect(items.map((i) => [i.currency, i.amount])).toEqual([
      ['USD', 10000n],
      ['USD', 4999n],
      ['EUR', 7550n],
    ]);
  });

  test('43215678: one duplicate, four broken items skipped, the misspelled options read', async () => {
    const r = await read('43215678');
    expect(r.items.map((i) => i.ref)).toEqual(['UNI-7001', 'UNI-7005', '70060']);
    expect(r.duplicates).toBe(1);
    expect(r.skipped).toBe(4);
    expect(r.skipReasons).toEqual({ not_an_object: 1, invalid_amount: 1, invalid_fields: 1, other_payer: 1 });
    expect(r.items[0]?.description).toBe('Matrícula semestre 2025-1');
    expect(r.items[1]?.limitDate).toBe('2025-03-22');
    expect(r.items[1]?.references).toEqual(['Código 2025101']);
  });

  test('NIT 900373923: 40 invoices, some overdue, some discounted, some with advances', async () => {
    const r = await read('900373923');
    expect(r.items).toHaveLength(40);
    const priced = r.items.map(price);
    expect(priced.filter((p) => p.daysOverdue > 0).length).toBeGreaterThanOrEqual(5);
    expect(priced.filter((p) => p.discount > 0n).length).toBeGreaterThanOrEqual(5);
    expect(priced.filter((p) => p.allowsPartial).length).toBeGreaterThanOrEqual(5);
    expect(new Set(r.items.map((i) => i.amount)).size).toBeGreaterThan(20);
  });

  test('dates follow today', async () => {
    const app = createDemoErp({ today: () => '2026-01-31' });
    const body = (await payload('79865432', app)) as {
      payments: Array<{ advanced_options: { limit_date: string } }>;
    };
    expect(body.payments[0]?.advanced_options.limit_date).toBe('2026-01-22');
  });
});

describe('webhooks', () => {
  test('items point to the demo receiver wherever the app is mounted', async () => {
    const root = new Hono().route('/demo/erp', demo());
    const res = await root.request('http://localhost:8787/demo/erp/get-recaudas?id_number=79865432');
    const r = readErpPayload(await res.json(), '79865432');
    expect(r.ok && r.value.items[0]?.webhookUrl).toBe('http://localhost:8787/demo/erp/webhooks');
  });

  test('a configured webhookUrl wins', async () => {
    const r = readErpPayload(
      await payload('88776655', demo({ webhookUrl: 'https://hooks.example.co/x' })),
      '88776655',
    );
    expect(r.ok && r.value.items[0]?.webhookUrl).toBe('https://hooks.example.co/x');
  });

  test('POST /webhooks records events, newest first, bounded, with the signature checked', async () => {
    const secret = `whsec_${Buffer.from('demo-secret-for-tests-32-bytes!!').toString('base64')}`;
    const app = demo({ webhookSecret: secret, keepEvents: 2, now: () => new Date('2025-03-10T15:00:00Z') });
    const signer = new Webhook(secret);
    const send = (id: string, payloadText: string, signature?: string) => {
      const timestamp = new Date();
      return app.request('/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature ?? signer.sign(id, timestamp, payloadText),
        },
        body: payloadText,
      });
    };
    expect((await send('msg_1', '{"type":"payment.approved","n":1}')).status).toBe(200);
    expect((await send('msg_2', '{"type":"payment.approved","n":2}', 'v1,Zm9yZ2Vk')).status).toBe(200);
    expect((await send('msg_3', 'plain text')).status).toBe(200);
    const recent = (await (await app.request('/webhooks/recent')).json()) as { events: unknown[] };
    expect(recent.events).toEqual([
      {
        receivedAt: '2025-03-10T15:00:00.000Z',
        webhookId: 'msg_3',
        webhookTimestamp: expect.any(String),
        signature: 'valid',
        body: 'plain text',
      },
      expect.objectContaining({
        webhookId: 'msg_2',
        signature: 'invalid',
        body: { type: 'payment.approved', n: 2 },
      }),
    ]);
  });

  test('without a secret events are recorded as unchecked; oversized bodies are refused', async () => {
    const app = demo();
    await app.request('/webhooks', { method: 'POST', body: '{"a":1}' });
    const recent = (await (await app.request('/webhooks/recent')).json()) as {
      events: Array<{ signature: string }>;
    };
    expect(recent.events[0]?.signature).toBe('unchecked');
    const big = await app.request('/webhooks', { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
  });
});

test('served on loopback, the real ERP client reads it end to end', async () => {
  const server = serve({ fetch: demo().fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = createErpClient({ production: false });
  try {
    const result = await client.fetchPendingPayments(
      { id: 'demo', erp: { url: `http://127.0.0.1:${port}/get-recaudas` } },
      '12345678',
    );
    expect(result).toMatchObject({ ok: true, body: JSON.parse(seedText) });
    const nit = await client.fetchPendingPayments(
      { id: 'demo', erp: { url: `http://127.0.0.1:${port}/get-recaudas` } },
      '900373923',
    );
    expect(nit.ok && readErpPayload(nit.body, '900373923')).toMatchObject({
      ok: true,
      value: { skipped: 0 },
    });
  } finally {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
