import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { payment } from '../../shared/support/erp';
import { fakeDeps, fakeErp, testConfig, type FakeDeps } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';

/** docs/spec/business-payments.md, end to end through the real routes, store (SQLite) and confirmation. */

const NIT = '900373923';
const NIT_TYPED = '900373923-8';
const CEDULA = '12345678';

const WITHHOLDINGS = {
  kinds: [
    {
      code: 'rtefte-servicios',
      label: 'Retención en la fuente 4 %',
      base: 'subtotal',
      rate: '0.04',
      minimumBase: { COP: '199000' },
    },
    { code: 'reteiva', label: 'ReteIVA 15 %', base: 'iva', rate: '0.15' },
    { code: 'reteica-bogota', label: 'ReteICA 9,66 ‰', base: 'subtotal', rate: '0.00966' },
  ],
};

/** The spec's spread example (due 03-01 no advance, 03-05 advance 10000, 03-20) plus the withholding invoice. */
function payments(id: string) {
  const p = (ref: string, amount: number, options: Record<string, unknown>, extra = {}) =>
    payment(
      { ref_payment: ref, amount, id_number: id, payer_name: 'Inversiones Altamira', ...extra },
      options,
    );
  return [
    p('FE-0320', 20000, { limit_date: '2025-03-20' }),
    p('FE-0301', 30000, { limit_date: '2025-03-01' }),
    p('FE-0305', 50000, { limit_date: '2025-03-05' }, { advance: { type: 'Valor Minimo', value: 10000 } }),
    p('FE-1190', 1190000, { limit_date: '2025-04-30', taxes: { subtotal: 1000000, iva: 190000 } }),
    p('USD-1', 100, { limit_date: '2025-04-30' }, { currency_type: 'USD' }),
  ];
}

let deps: FakeDeps;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  const erp = fakeErp((id) => ({ ok: true, body: { payments: payments(id) } }));
  deps = await fakeDeps({
    config: testConfig({ merchant: { withholdings: WITHHOLDINGS, taxId: '900123456-7' } }),
    erp: erp.port,
  });
  app = createApp(deps);
});
afterEach(async () => {
  await deps.store.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(`/api/v1/merchants/acme/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const buyer = { email: 'pagos@altamira.co', fullName: 'Tesorería Altamira', phone: '3001234567' };
let keyCounter = 0;
const checkout = (body: Record<string, unknown>) =>
  post('checkout', { buyer, ...body }, { 'Idempotency-Key': `key-${++keyCounter}-business` });

async function approve(reference: string, value: string) {
  const res = await app.request('/payu/acme/confirmation', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: confirmationForm(
      { reference, value, currency: 'COP', statePol: '4' },
      { payment_method_name: 'PSE' },
    ).toString(),
  });
  expect(res.status).toBe(200);
}

async function lookupItems(idNumber: string) {
  const res = await post('lookup', { idNumber });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: Record<string, unknown>[] };
  return new Map(body.items.map((i) => [i.ref as string, i]));
}

const SPREAD_REFS = ['FE-0320', 'FE-0301', 'FE-0305'];

describe('POST …/allocate', () => {
  test('spreads oldest first, whatever order the refs come in', async () => {
    const res = await post('allocate', { idNumber: CEDULA, refs: SPREAD_REFS, amount: '60000' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      currency: 'COP',
      total: '60000',
      allocations: [
        { ref: 'FE-0301', amount: '30000' },
        { ref: 'FE-0305', amount: '30000' },
      ],
    });
  });

  test('an amount that cannot be spread is 422 with the nearest lower and upper amounts', async () => {
    const res = await post('allocate', { idNumber: CEDULA, refs: SPREAD_REFS, amount: '35000' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'amount_not_allocatable', lower: '30000', upper: '40000' },
    });
    const above = await post('allocate', { idNumber: CEDULA, refs: SPREAD_REFS, amount: '100001' });
    expect(await above.json()).toMatchObject({ error: { lower: '100000', upper: null } });
    const below = await post('allocate', { idNumber: CEDULA, refs: SPREAD_REFS, amount: '100' });
    expect(await below.json()).toMatchObject({ error: { lower: null, upper: '30000' } });
  });

  test('unknown refs, mixed currencies and bad amounts are refused', async () => {
    expect((await post('allocate', { idNumber: CEDULA, refs: ['NOPE'], amount: '1' })).status).toBe(422);
    const mixed = await post('allocate', { idNumber: CEDULA, refs: ['FE-0301', 'USD-1'], amount: '1' });
    expect(await mixed.json()).toMatchObject({ error: { code: 'mixed_currencies' } });
    const bad = await post('allocate', { idNumber: CEDULA, refs: SPREAD_REFS, amount: '300.5' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('checkout with spread', () => {
  test('records the allocation per item; the approval credits each item its own share', async () => {
    const res = await checkout({ idNumber: CEDULA, spread: { refs: SPREAD_REFS, amount: '60000' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      reference: string;
      fields: Record<string, string>;
      allocation: unknown;
    };
    expect(body.allocation).toEqual([
      { ref: 'FE-0301', amount: '30000' },
      { ref: 'FE-0305', amount: '30000' },
    ]);
    expect(body.fields.amount).toBe('60000');
    await approve(body.reference, '60000.00');

    const items = await lookupItems(CEDULA);
    expect(items.get('FE-0301')).toMatchObject({ paid: '30000', balance: '0', blockedReason: 'paid' });
    expect(items.get('FE-0305')).toMatchObject({ paid: '30000', balance: '20000', payable: true });
    expect(items.get('FE-0320')).toMatchObject({ paid: '0', balance: '20000' });
  });

  test('an amount that cannot be spread changes nothing', async () => {
    const res = await checkout({ idNumber: CEDULA, spread: { refs: SPREAD_REFS, amount: '35000' } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { lower: '30000', upper: '40000' } });
    const items = await lookupItems(CEDULA);
    expect(items.get('FE-0301')).toMatchObject({ blockedReason: null, payable: true });
  });

  test('items and spread together, or neither, is a bad request', async () => {
    const both = await checkout({
      idNumber: CEDULA,
      items: [{ ref: 'FE-0301', amount: '30000' }],
      spread: { refs: SPREAD_REFS, amount: '30000' },
    });
    expect(both.status).toBe(400);
    expect((await checkout({ idNumber: CEDULA })).status).toBe(400);
  });
});

describe('withholdings', () => {
  test('are offered to a NIT typed with its check digit, with the spec example amounts', async () => {
    const items = await lookupItems(NIT_TYPED);
    expect(items.get('FE-1190')).toMatchObject({
      withheld: '0',
      withholdings: [
        { code: 'rtefte-servicios', base: '1000000', rate: '0.04', amount: '40000' },
        { code: 'reteiva', base: '190000', rate: '0.15', amount: '28500' },
        { code: 'reteica-bogota', base: '1000000', rate: '0.00966', amount: '9660' },
      ],
    });
    // Without taxes the subtotal is the amount and IVA 0; below the minimum base retefuente is 0.
    expect(items.get('FE-0301')).toMatchObject({
      withholdings: [
        { code: 'rtefte-servicios', amount: '0' },
        { code: 'reteiva', amount: '0' },
        { code: 'reteica-bogota', amount: '290' },
      ],
    });
  });

  test('are not offered when the NIT is typed without its check digit, or to a cédula', async () => {
    for (const id of [NIT, CEDULA]) {
      const items = await lookupItems(id);
      expect(items.get('FE-1190')).toMatchObject({ withholdings: [] });
    }
    const res = await checkout({
      idNumber: NIT,
      items: [{ ref: 'FE-1190', amount: '1111840', withholdings: ['reteiva'] }],
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_withholding' } });
  });

  test('the cash part must be exactly the balance net of the ticked withholdings', async () => {
    const wrong = await checkout({
      idNumber: NIT_TYPED,
      items: [{ ref: 'FE-1190', amount: '1190000', withholdings: ['rtefte-servicios'] }],
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ error: { code: 'amount_out_of_range' } });
    const unknown = await checkout({
      idNumber: NIT_TYPED,
      items: [{ ref: 'FE-1190', amount: '1111840', withholdings: ['rete-nope'] }],
    });
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_withholding' } });
  });

  test('a cash part under the merchant minimum is refused', async () => {
    // FE-0320: 20000 without taxes; ReteICA 193 leaves 19807 ≥ 10000, so lower the item with a bigger rate.
    deps = await fakeDeps({
      config: testConfig({
        merchant: {
          withholdings: { kinds: [{ code: 'big', label: 'Big', base: 'subtotal', rate: '0.6' }] },
        },
      }),
      erp: fakeErp((id) => ({ ok: true, body: { payments: payments(id) } })).port,
    });
    app = createApp(deps);
    const res = await checkout({
      idNumber: NIT_TYPED,
      items: [{ ref: 'FE-0320', amount: '8000', withholdings: ['big'] }],
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'below_minimum' } });
  });

  test('an approved payment records cash as paid and W as withheld; status and webhook show gross, each withholding and cash', async () => {
    const res = await checkout({
      idNumber: NIT_TYPED,
      items: [
        {
          ref: 'FE-1190',
          amount: '1111840',
          withholdings: ['rtefte-servicios', 'reteiva', 'reteica-bogota'],
        },
      ],
    });
    expect(res.status).toBe(201);
    const { reference, viewToken } = (await res.json()) as { reference: string; viewToken: string };
    await approve(reference, '1111840.00');

    const items = await lookupItems(NIT_TYPED);
    expect(items.get('FE-1190')).toMatchObject({
      paid: '1111840',
      withheld: '78160',
      balance: '0',
      blockedReason: 'paid',
      withholdings: [],
    });

    const status = await app.request(`/api/v1/merchants/acme/payments/${reference}`, {
      headers: { 'X-Payment-View-Token': viewToken },
    });
    const view = (await status.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      status: 'approved',
      amount: '1111840',
      gross: '1190000',
      withheld: '78160',
      items: [
        {
          ref: 'FE-1190',
          amount: '1111840',
          gross: '1190000',
          withheld: '78160',
          withholdings: [
            {
              code: 'rtefte-servicios',
              label: 'Retención en la fuente 4 %',
              base: '1000000',
              rate: '0.04',
              amount: '40000',
            },
            { code: 'reteiva', amount: '28500' },
            { code: 'reteica-bogota', amount: '9660' },
          ],
        },
      ],
    });
    expect(view.receiptUrl).toMatch(/^\/acme\/receipts\/[A-Za-z0-9_-]{43}$/);
    // Whoever has only the reference gets no receipt address.
    const anonymous = await app.request(`/api/v1/merchants/acme/payments/${reference}`);
    expect(((await anonymous.json()) as Record<string, unknown>).receiptUrl).toBeUndefined();

    const [message] = await deps.store.claimOutbox(new Date('2030-01-01'), 10, 1000);
    const event = JSON.parse(message!.body) as { data: Record<string, unknown> };
    expect(event.data).toMatchObject({
      amount: '1111840',
      gross: '1190000',
      withheld: '78160',
      items: [{ ref_payment: 'FE-1190', amount: '1111840', gross: '1190000', withheld: '78160' }],
    });
  });
});

describe('receipts', () => {
  async function approvedReceipt() {
    const res = await checkout({
      idNumber: NIT_TYPED,
      items: [
        {
          ref: 'FE-1190',
          amount: '1111840',
          withholdings: ['rtefte-servicios', 'reteiva', 'reteica-bogota'],
        },
      ],
    });
    const { reference, viewToken } = (await res.json()) as { reference: string; viewToken: string };
    const path = async () => {
      const status = await app.request(`/api/v1/merchants/acme/payments/${reference}`, {
        headers: { 'X-Payment-View-Token': viewToken },
      });
      return ((await status.json()) as { receiptUrl?: string }).receiptUrl;
    };
    expect(await path()).toBeUndefined();
    const token = (await deps.store.getCheckout('acme', reference))!.receiptToken!;
    // Before the approval there is no receipt, but its verification page tells the current status.
    expect((await app.request(`/acme/receipts/${token}`)).status).toBe(404);
    const pending = await app.request(`/acme/receipts/${token}/verify`);
    expect(pending.status).toBe(200);
    expect(await pending.text()).toContain('Pendiente');
    await approve(reference, '1111840.00');
    return { reference, url: (await path())! };
  }

  test('the printable page shows merchant, NIT, masked payer, references, method, gross, each withholding and cash', async () => {
    const { reference, url } = await approvedReceipt();
    expect(url).not.toContain(reference);
    const res = await app.request(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    for (const text of [
      'Comprobante de pago',
      'ACME S.A.S.',
      '900123456-7',
      reference,
      '845612378',
      'PSE',
      'Aprobado',
      'COP 1.190.000',
      'COP 78.160',
      'COP 1.111.840',
      'ReteIVA 15 %: COP 28.500',
      'Retención en la fuente 4 %: COP 40.000',
    ]) {
      expect(html).toContain(text);
    }
    // The payer is masked; the full name given at checkout never appears.
    expect(html).not.toContain('Tesorería Altamira');
    expect(html).toContain('Te*******');
    const english = await (await app.request(`${url}?lang=en`)).text();
    expect(english).toContain('Payment receipt');
    expect(english).toContain('COP 1,111,840');
  });

  test('the PDF comes in A4 and Letter with its fonts embedded and the QR code image', async () => {
    const { url } = await approvedReceipt();
    for (const [paper, box] of [
      ['a4', '595.28 841.89'],
      ['letter', '612 792'],
    ] as const) {
      const res = await app.request(`${url}/receipt.pdf?paper=${paper}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer()).toString('latin1');
      expect(pdf.startsWith('%PDF-')).toBe(true);
      expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
      expect(pdf).toContain(`/MediaBox [0 0 ${box}]`);
      expect(pdf).toMatch(/\/FontFile2/);
      expect(pdf).toMatch(/DejaVuSans/);
      // No standard (non-embedded) font is referenced.
      expect(pdf).not.toMatch(/\/BaseFont \/Helvetica/);
      expect(pdf).toMatch(/\/Subtype \/Image/);
    }
  });

  test('the verification page says the receipt is genuine and shows its current status', async () => {
    const { url } = await approvedReceipt();
    const res = await app.request(`${url}/verify`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Este comprobante es auténtico');
    expect(html).toContain('Aprobado');
  });

  test("unknown, malformed or another merchant's tokens are the same 404", async () => {
    const { url } = await approvedReceipt();
    const token = url.split('/').pop()!;
    for (const path of [
      `/acme/receipts/${'A'.repeat(43)}`,
      '/acme/receipts/short',
      `/acme/receipts/${token}x/receipt.pdf`,
      `/other/receipts/${token}`,
    ]) {
      expect((await app.request(path)).status).toBe(404);
    }
  });
});
