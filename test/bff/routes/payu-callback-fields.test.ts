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
