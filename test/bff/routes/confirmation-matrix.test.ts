import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import type { Store } from '../../../bff/store/store';
import { engines } from '../../support/engines';
import { fakeDeps, fakeErp } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';

const ID = '12345678';
const erpBody = {
  payments: [
    {
      recauda_information: {
        description: 'Cuota de administración marzo',
        amount: 20000,
        currency_type: 'COP',
        id_number: ID,
        ref_payment: 'ADM-03',
        advance: { type: 'Valor Minimo', value: 5000 },
      },
      advanced_options: { limit_date: '2025-03-15' },
    },
  ],
};

const allEngines = await engines();
afterAll(async () => {
  for (const e of allEngines) await e.dropAll();
});

describe.each(allEngines)('PayU confirmation matrix on $name', (engine) => {
  const run = engine.skipReason ? test.skip : test;

  async function setup() {
    const store: Store = await engine.create();
    const deps = await fakeDeps({ store, erp: fakeErp({ [ID]: erpBody }).port });
    const app = createApp(deps);
    const res = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        idNumber: ID,
        items: [{ ref: 'ADM-03', amount: '20000' }],
        buyer: { email: 'pagador@example.co', fullName: 'Ana Pérez', phone: '3001234567' },
      }),
    });
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const confirm = (form: URLSearchParams) =>
      app.request('/payu/acme/confirmation', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    const status = async () => (await store.getCheckout('acme', reference))?.status;
    const paid = async () =>
      (await store.itemStates('acme', ['ADM-03'], deps.clock.now())).get('ADM-03')?.paid;
    return { store, deps, app, reference, confirm, status, paid };
  }

  const approved = (reference: string, transactionId?: string) =>
    confirmationForm({
      reference,
      value: '20000.00',
      currency: 'COP',
      statePol: '4',
      ...(transactionId ? { transactionId } : {}),
    });

  run('a forged signature is refused and changes nothing', async () => {
    const s = await setup();
    const form = approved(s.reference);
    form.set('sign', 'a'.repeat(64));
    expect((await s.confirm(form)).status).toBe(401);
    expect(await s.status()).toBe('pending');
    expect(await s.store.outboxBacklog()).toBe(0);
  });

  run.each([
    ['value', '2000.00'],
    ['currency', 'USD'],
    ['state_pol', '6'],
    ['reference_sale', 'SLD-someone-else'],
    ['merchant_id', '999999'],
  ])('a tampered %s without a new signature is refused', async (field, value) => {
    const s = await setup();
    const form = approved(s.reference);
    form.set(field, value);
    expect((await s.confirm(form)).status).toBe(401);
    expect(await s.status()).toBe('pending');
  });

  run('a correctly signed confirmation whose value differs from the checkout is refused', async () => {
    const s = await setup();
    const res = await s.confirm(
      confirmationForm({ reference: s.reference, value: '5000.00', currency: 'COP', statePol: '4' }),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'payment_mismatch' } });
    expect(await s.status()).toBe('pending');
    expect(await s.paid()).toBe(0n);
  });

  run('a correctly signed confirmation in another currency is refused', async () => {
    const s = await setup();
    const res = await s.confirm(
      confirmationForm({ reference: s.reference, value: '20000.00', currency: 'USD', statePol: '4' }),
    );
    expect(res.status).toBe(422);
    expect(await s.status()).toBe('pending');
  });

  run('an unknown reference is 404', async () => {
    const s = await setup();
    const res = await s.confirm(approved('SLD-unknownreference000000000'));
    expect(res.status).toBe(404);
  });

  run('an approval is credited once and a replay of it changes nothing', async () => {
    const s = await setup();
    const form = approved(s.reference);
    expect((await s.confirm(form)).status).toBe(200);
    expect((await s.confirm(form)).status).toBe(200);
    expect(await s.status()).toBe('approved');
    expect(await s.paid()).toBe(20000n);
    expect(await s.store.outboxBacklog()).toBe(1);
  });

  run('50 concurrent duplicates of one approval credit exactly once', async () => {
    const s = await setup();
    const form = approved(s.reference, randomUUID());
    const results = await Promise.all(Array.from({ length: 50 }, () => s.confirm(new URLSearchParams(form))));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await s.paid()).toBe(20000n);
    expect(await s.store.outboxBacklog()).toBe(1);
  });

  run('a declined payment may be followed by an approval of the same reference', async () => {
    const s = await setup();
    const declined = confirmationForm({
      reference: s.reference,
      value: '20000.00',
      currency: 'COP',
      statePol: '6',
    });
    expect((await s.confirm(declined)).status).toBe(200);
    expect(await s.status()).toBe('declined');
    expect(await s.paid()).toBe(0n);
    expect((await s.confirm(approved(s.reference))).status).toBe(200);
    expect(await s.status()).toBe('approved');
    expect(await s.paid()).toBe(20000n);
    expect(await s.store.outboxBacklog()).toBe(2);
  });

  run('approved is final: a later decline is acknowledged and ignored', async () => {
    const s = await setup();
    expect((await s.confirm(approved(s.reference))).status).toBe(200);
    const declined = confirmationForm({
      reference: s.reference,
      value: '20000.00',
      currency: 'COP',
      statePol: '6',
    });
    expect((await s.confirm(declined)).status).toBe(200);
    expect(await s.status()).toBe('approved');
    expect(await s.paid()).toBe(20000n);
    expect(await s.store.outboxBacklog()).toBe(1);
  });

  run('a body that is not a confirmation is 400 and changes nothing', async () => {
    const s = await setup();
    expect((await s.confirm(new URLSearchParams({ hello: 'world' }))).status).toBe(400);
    expect(await s.status()).toBe('pending');
  });
});
