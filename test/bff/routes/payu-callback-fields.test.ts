import { afterEach, describe, expect, test } from 'vitest';
import { confirmationForm } from '../../support/payu-confirmation';
import { createApp } from '../../../bff/app';
import { buyer, PAYER, routeApp } from './support';

const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

describe('a PayU confirmation with a repeated field (issue 9.4)', () => {
  test.each([
    ['state_pol', '6', '4'],
    ['state_pol', '4', '6'],
    ['value', '20000.00', '20000.00'],
    ['transaction_id', 'a', 'b'],
  ])('%s given twice (%s, %s) is refused with 400 and changes nothing', async (field, first, second) => {
    const t = await routeApp();
    opened.push(t);
    const res = await t.checkout({ idNumber: PAYER, items: [{ ref: 'ADM-03', amount: '20000' }], buyer });
    const { reference } = (await res.json()) as { reference: string };
    // Signed for the approved state, so only the repetition can be the reason for a refusal.
    const form = confirmationForm({ reference, value: '20000.00', currency: 'COP', statePol: '4' });
    form.set(field, first);
    form.append(field, second);
    const answer = await t.app.request('/payu/acme/confirmation', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(answer.status).toBe(400);
    expect((await t.deps.store.getCheckout('acme', reference))?.status).toBe('pending');
  });
});

describe('how a confirmation body is read', () => {
  test('a urlencoded form with a charset, or the same fields as multipart/form-data, is applied', async () => {
    const send = async (asMultipart: boolean) => {
      const t = await routeApp();
      opened.push(t);
      const res = await t.checkout({ idNumber: PAYER, items: [{ ref: 'ADM-03', amount: '20000' }], buyer });
      const { reference } = (await res.json()) as { reference: string };
      const form = confirmationForm({ reference, value: '20000.00', currency: 'COP', statePol: '4' });
      let init: RequestInit;
      if (asMultipart) {
        const body = new FormData();
        for (const [k, v] of form) body.append(k, v);
        init = { method: 'POST', body };
      } else {
        init = {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
          body: form.toString(),
        };
      }
      const answer = await t.app.request('/payu/acme/confirmation', init);
      return { status: answer.status, checkout: await t.deps.store.getCheckout('acme', reference) };
    };
    const plain = await send(false);
    expect(plain.status).toBe(200);
    expect(plain.checkout?.status).toBe('approved');
    const multipart = await send(true);
    expect(multipart.status).toBe(200);
    expect(multipart.checkout?.status).toBe('approved');
  });
});

describe('copies of one confirmation arriving together (PayU retries while the first is in flight)', () => {
  /** routeApp whose store counts applyConfirmation calls and can make the first one fail. */
  async function countingApp(failFirst: boolean) {
    const t = await routeApp();
    opened.push(t);
    const store = t.deps.store;
    let calls = 0;
    let read = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const counted = Object.assign(Object.create(store) as typeof store, {
      async getCheckoutForConfirmation(...args: Parameters<typeof store.getCheckoutForConfirmation>) {
        const target = await store.getCheckoutForConfirmation(...args);
        read++;
        return target;
      },
      async applyConfirmation(input: Parameters<typeof store.applyConfirmation>[0]) {
        calls++;
        const n = calls;
        // The first waits until every copy has arrived, so the others find it in flight.
        if (n === 1) await gate;
        if (n === 1 && failFirst) throw new Error('database went away');
        return store.applyConfirmation(input);
      },
    });
    const app = createApp({ ...t.deps, store: counted });
    return { t, app, calls: () => calls, reads: () => read, release };
  }

  async function sendCopies(
    failFirst: boolean,
    copies = 5,
    forms = (reference: string) =>
      Array.from({ length: copies }, () =>
        confirmationForm({
          reference,
          value: '20000.00',
          currency: 'COP',
          statePol: '4',
          transactionId: 'tx-copies',
        }),
      ),
  ) {
    const { t, app, calls, reads, release } = await countingApp(failFirst);
    const res = await t.checkout({ idNumber: PAYER, items: [{ ref: 'ADM-03', amount: '20000' }], buyer });
    const { reference } = (await res.json()) as { reference: string };
    const answers = forms(reference).map((form) =>
      app.request('/payu/acme/confirmation', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }),
    );
    // The first is in the store; the copies had every chance to read the checkout themselves.
    while (calls() < 1) await new Promise((r) => setImmediate(r));
    for (let turn = 0; turn < 20; turn++) await new Promise((r) => setImmediate(r));
    const readsWhileFirstRuns = reads();
    release();
    const statuses = await Promise.all(answers.map(async (a) => (await a).status));
    const checkout = await t.deps.store.getCheckout('acme', reference);
    const paid = (await t.deps.store.itemStates('acme', ['ADM-03'], new Date())).get('ADM-03')?.paid;
    return { statuses, calls: calls(), reads: reads(), readsWhileFirstRuns, checkout, paid };
  }

  test('the store applies it once and is read once; every copy answers 200 once it is committed', async () => {
    const r = await sendCopies(false);
    expect(r.calls).toBe(1);
    // The copies wait for the first's answer instead of reading the checkout.
    expect(r.readsWhileFirstRuns).toBe(1);
    expect(r.reads).toBe(1);
    expect(r.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(r.checkout?.status).toBe('approved');
    expect(r.paid).toBe(20000n);
  });

  test('the same transaction id with another signed state is not a copy: it is handled on its own', async () => {
    const r = await sendCopies(false, 2, (reference) =>
      ['6', '4'].map((statePol) =>
        confirmationForm({
          reference,
          value: '20000.00',
          currency: 'COP',
          statePol,
          transactionId: 'tx-same',
        }),
      ),
    );
    expect(r.readsWhileFirstRuns).toBe(2);
    expect(r.reads).toBe(2);
    expect(r.calls).toBe(2);
    expect(r.statuses).toEqual([200, 200]);
  });

  test('when the first fails, the others go to the store themselves: applied once', async () => {
    const r = await sendCopies(true);
    expect(r.statuses.filter((s) => s === 500)).toHaveLength(1);
    expect(r.statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(r.calls).toBe(5);
    expect(r.reads).toBe(5);
    expect(r.checkout?.status).toBe('approved');
    expect(r.paid).toBe(20000n);
  });
});
