import { afterEach, describe, expect, test } from 'vitest';
import { confirmationForm } from '../../support/payu-confirmation';
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
