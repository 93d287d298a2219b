import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { createReturnsService } from '../../../bff/money-back/returns-service';
import { createPayoutsClient } from '../../../bff/payu/payouts-client';
import { createRefundsClient } from '../../../bff/payu/refunds-client';
import { isColombianHoliday } from '../../../shared/calendar/colombian-holidays';
import { fakeDeps, fakeErp, testConfig } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { SIM_CREDS, startMoneyBackSim } from './sim-server';

const ID = '52123456';
const SECRET = 'payout-hook-secret-0123456789abcdef';
const TOKEN = 'acme-api-token-0123456789';
const payload = {
  payments: [
    {
      recauda_information: {
        description: 'Factura FE-2001',
        amount: 20000,
        currency_type: 'COP',
        id_number: ID,
        payer_name: 'Luz Cárdenas',
        ref_payment: 'FE-2001',
      },
      advanced_options: null,
    },
  ],
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function setup() {
  // Tuesday 1 December 2026, 09:00 in Bogotá: a working day, before the first ACH cut-off.
  const sim = await startMoneyBackSim(new Date('2026-12-01T09:00:00-05:00'));
  closers.push(() => sim.close());
  const config = testConfig({
    merchant: { payouts: { publicKey: SIM_CREDS.publicKey, webhookSecret: SECRET } },
  });
  const deps = await fakeDeps({ config, erp: fakeErp({ [ID]: payload }).port, now: sim.now() });
  const clock = { now: () => sim.now() };
  const merchant = deps.merchants.get('acme')!;
  const service = createReturnsService({
    ...deps,
    clock,
    ports: {
      payouts: () =>
        createPayoutsClient(
          {
            baseUrl: sim.baseUrl,
            merchantId: merchant.payu.merchantId,
            accountId: merchant.payu.accountId,
            ...SIM_CREDS,
          },
          { fetch, now: clock.now },
        ),
      refunds: () => createRefundsClient({ baseUrl: sim.baseUrl, ...SIM_CREDS, test: true }, { fetch }),
      isHoliday: isColombianHoliday,
    },
  });
  const app = createApp({ ...deps, clock, returns: service });
  closers.push(() => deps.store.close());
  // PayU's payout notices reach the portal's secret URL.
  sim.sim.knobs.duplicate = true;
  const notices: Response[] = [];
  const deliver = async () => {
    const before = sim.delivered.length;
    await sim.sim.tick();
    for (const d of sim.delivered.slice(before)) {
      notices.push(
        await app.request(new URL(d.url).pathname, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(d.body),
        }),
      );
    }
  };
  const viewTokens = new Map<string, string>();
  const merchantApi = (path: string, init: RequestInit = {}) =>
    app.request(path, {
      ...init,
      headers: { 'x-auth-token': TOKEN, 'content-type': 'application/json', ...init.headers },
    });
  const checkout = async () => {
    const res = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        idNumber: ID,
        items: [{ ref: 'FE-2001', amount: '20000' }],
        buyer: { email: 'luz@example.co', fullName: 'Luz Cárdenas', phone: '+57 300 123 4567' },
      }),
    });
    const json = (await res.json()) as { reference: string; viewToken: string };
    expect(res.status, JSON.stringify(json)).toBe(201);
    viewTokens.set(json.reference, json.viewToken);
    return json.reference;
  };
  const confirm = (reference: string, statePol: string, method = '4') =>
    app.request('/payu/acme/confirmation', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: confirmationForm(
        { reference, value: '20000.00', currency: 'COP', statePol },
        { payment_method_type: method },
      ),
    });
  // Register the payout webhook the way the portal would, at its secret URL.
  const reg = await createPayoutsClient(
    { baseUrl: sim.baseUrl, merchantId: '508029', accountId: '512321', ...SIM_CREDS },
    { fetch, now: clock.now },
  ).registerWebhook(`http://127.0.0.1:8787/payu/acme/payouts/${SECRET}`);
  expect(reg.ok).toBe(true);
  return { sim, deps, app, service, merchantApi, checkout, confirm, deliver, notices, viewTokens };
}

describe('money back: an item paid twice is returned to the payer by payout', () => {
  test('over-payment → merchant approves → payer gives bank details → payout → paid, every step audited', async () => {
    const s = await setup();
    // Checkout A is declined (its hold ends), the payer pays again with B, then PayU approves a retry of A.
    const a = await s.checkout();
    expect((await s.confirm(a, '6')).status).toBe(200);
    const b = await s.checkout();
    expect((await s.confirm(b, '4')).status).toBe(200);
    expect((await s.confirm(a, '4')).status).toBe(200);

    const listed = await s.merchantApi('/v1/merchant/returns?state=pending');
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as {
      data: { id: string; reference: string; amount: string; reason: string; route: string }[];
    };
    expect(data).toEqual([
      expect.objectContaining({ reference: a, amount: '20000', reason: 'overpayment', route: 'payout' }),
    ]);
    const id = data[0]!.id;

    // Returns never exceed what was approved.
    const tooMuch = await s.merchantApi('/v1/merchant/returns', {
      method: 'POST',
      body: JSON.stringify({ reference: a, amount: '1', reason: 'extra', type: 'pending' }),
    });
    expect(tooMuch.status).toBe(409);
    expect(((await tooMuch.json()) as { error: { code: string } }).error.code).toBe('return_exceeds_payment');

    expect((await s.merchantApi(`/v1/merchant/returns/${id}/approve`, { method: 'POST' })).status).toBe(200);
    expect((await s.merchantApi(`/v1/merchant/returns/${id}/approve`, { method: 'POST' })).status).toBe(409);
    await s.service.runDue();
    expect((await s.deps.store.getReturn('acme', id))?.state).toBe('awaiting_details');

    // The payer's sealed link: a tampered token is refused, bad details are all named, another person's refused.
    const link = s.service.links.url('acme', id, s.sim.now());
    const token = new URL(link.url).pathname.split('/').pop()!;
    expect((await s.app.request(`/api/v1/merchants/acme/returns/${token.slice(0, -2)}xx`)).status).toBe(400);
    const form = await s.app.request(`/api/v1/merchants/acme/returns/${token}`);
    expect(form.status).toBe(200);
    expect(await form.json()).toMatchObject({
      return: { amount: '20000', needsBankDetails: true, state: 'awaiting_details' },
    });
    const post = (body: object) =>
      s.app.request(`/api/v1/merchants/acme/returns/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const details = {
      fullName: 'Luz Cárdenas',
      documentType: 'CC',
      documentNumber: ID,
      bankCode: '007',
      accountType: 'CA',
      accountNumber: '2198922910000',
    };
    const bad = await post({ ...details, bankCode: '8', accountNumber: 'x' });
    expect(bad.status).toBe(422);
    expect(
      ((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path),
    ).toEqual(['bankCode', 'accountNumber']);
    const stranger = await post({ ...details, documentNumber: '79865432' });
    expect(
      ((await stranger.json()) as { error: { fields: { message: string }[] } }).error.fields[0]?.message,
    ).toBe('document_mismatch');
    const good = await post(details);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ return: { bankAccount: '****0000', needsBankDetails: false } });
    // Stored sealed: the account number is nowhere in the row in clear.
    const stored = await s.deps.store.getReturn('acme', id);
    expect(stored?.bankDetailsSealed).not.toContain('2198922910000');

    await s.service.runDue();
    const sending = await s.deps.store.getReturn('acme', id);
    expect(sending?.state).toBe('sending');
    expect(s.sim.sim.payouts.size).toBe(1);

    // PayU walks the payout; every notice arrives twice and is applied once; it reaches the bank at 09:05.
    s.sim.advance(5 * 60_000);
    await s.deliver();
    expect(s.notices.every((r) => r.status === 200)).toBe(true);
    const inBank = await s.deps.store.getReturn('acme', id);
    expect(inBank?.state).toBe('in_bank');
    expect(inBank?.payout.expectedArrivalAt?.toISOString()).toBe(
      new Date('2026-12-02T10:40:00-05:00').toISOString(),
    );
    // The payer's result page of the original payment shows the return (to the browser that made the checkout).
    const statusOfA = await s.app.request(`/api/v1/merchants/acme/payments/${a}`, {
      headers: { 'X-Payment-View-Token': s.viewTokens.get(a) ?? '' },
    });
    expect(await statusOfA.json()).toMatchObject({
      returns: [
        {
          id,
          state: 'in_bank',
          amount: '20000',
          bankAccount: '****0000',
          expectedArrival: '2026-12-02T15:40:00.000Z',
        },
      ],
    });
    const stranger2 = await s.app.request(`/api/v1/merchants/acme/payments/${a}`);
    expect(await stranger2.json()).not.toHaveProperty('returns');
    const payerSees = await s.app.request(`/api/v1/merchants/acme/returns/${token}`);
    expect(await payerSees.json()).toMatchObject({
      return: { state: 'in_bank', expectedArrival: '2026-12-02T15:40:00.000Z' },
    });

    s.sim.setNow(new Date('2026-12-02T10:41:00-05:00'));
    await s.deliver();
    expect((await s.deps.store.getReturn('acme', id))?.state).toBe('paid');
    // The money went back once: one payout at PayU, and the item's paid amount is net of it.
    expect(s.sim.sim.payouts.size).toBe(1);
    const states = await s.deps.store.itemStates('acme', ['FE-2001'], s.sim.now());
    expect(states.get('FE-2001')?.paid).toBe(20_000n);

    const detail = await s.merchantApi(`/v1/merchant/returns/${id}`);
    const body = (await detail.json()) as { audit: { actor: string; action: string; to: string | null }[] };
    expect(body.audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'overpayment_detected',
        'approve',
        'bank_details_requested',
        'bank_details_given',
        'payout_requested',
        'payout_created',
        'payout_notice',
      ]),
    );
    expect(body.audit.filter((e) => e.actor === 'merchant').length).toBeGreaterThanOrEqual(1);

    const outbox = await s.deps.store.claimOutbox(new Date('2030-01-01T00:00:00Z'), 100, 1);
    const types = outbox
      .map((m) => (JSON.parse(m.body) as { type: string }).type)
      .filter((t) => t.startsWith('return.'));
    expect(types).toEqual(['return.created', 'return.approved', 'return.paid']);
  });

  test('a PayU notice at a wrong secret URL is not accepted and changes nothing', async () => {
    const s = await setup();
    const res = await s.app.request('/payu/acme/payouts/not-the-secret-0123456789abcdef', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pushPaymentId: 'x',
        state: 'PROCESSING COMPLETED',
        status: 'CONFIRMED_BY_THE_BANK',
      }),
    });
    expect(res.status).toBe(404);
  });

  test('a card over-payment goes back through the Refunds API and is paid once PayU approves it', async () => {
    const s = await setup();
    const a = await s.checkout();
    await s.confirm(a, '6', '2');
    const b = await s.checkout();
    await s.confirm(b, '4', '2');
    await s.confirm(a, '4', '2');
    s.sim.orders.set('845612378', {
      orderId: '845612378',
      transactionId: '',
      paymentMethodType: '2',
      value: 20000,
      currency: 'COP',
    });
    const [ret] = await s.deps.store.listReturns('acme', { limit: 10 });
    expect(ret?.route).toBe('refund');
    const checkoutA = await s.deps.store.getCheckout('acme', a);
    s.sim.orders.set('845612378', {
      orderId: '845612378',
      transactionId: checkoutA!.transactionId!,
      paymentMethodType: '2',
      value: 20000,
      currency: 'COP',
    });
    await s.merchantApi(`/v1/merchant/returns/${ret!.id}/approve`, { method: 'POST' });
    await s.service.runDue();
    expect((await s.deps.store.getReturn('acme', ret!.id))?.state).toBe('sending');
    s.sim.advance(24 * 3600_000);
    await s.service.runDue();
    expect((await s.deps.store.getReturn('acme', ret!.id))?.state).toBe('paid');
  });

  test('a payout request whose answer is lost goes to needs_review and is never sent again', async () => {
    const s = await setup();
    const a = await s.checkout();
    await s.confirm(a, '6');
    const b = await s.checkout();
    await s.confirm(b, '4');
    await s.confirm(a, '4');
    const [ret] = await s.deps.store.listReturns('acme', { limit: 10 });
    await s.merchantApi(`/v1/merchant/returns/${ret!.id}/approve`, { method: 'POST' });
    await s.service.runDue();
    // The intent is committed, then the process dies before PayU's answer is recorded (simulated by writing
    // the intent the way requestPayout does and never calling PayU).
    const withDetails = await s.deps.store.transitionReturn({
      merchantId: 'acme',
      id: ret!.id,
      from: 'awaiting_details',
      to: 'sending',
      patch: {
        attempts: 1,
        nextActionAt: new Date(s.sim.now().getTime() + 600_000),
        bankDetailsSealed: 'x',
        bankMasked: '****0000',
      },
      now: s.sim.now(),
      audit: { actor: 'system', ip: null, action: 'payout_requested' },
    });
    expect(withDetails.kind).toBe('changed');
    s.sim.advance(11 * 60_000);
    await s.service.runDue();
    expect(await s.deps.store.getReturn('acme', ret!.id)).toMatchObject({ state: 'needs_review' });
    expect(s.sim.sim.payouts.size).toBe(0);
  });
});
