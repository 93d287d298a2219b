import { buildPayuForm } from '../../../../bff/payu/form';
import { describe, expect, test, vi } from 'vitest';
import { valueMatches, verifyConfirmation } from '../../../../bff/payu/confirmation';
import { verifyResponsePage } from '../../../../bff/payu/response-page';

import {
  ACCOUNT_ID,
  API_KEY,
  confirmation,
  form,
  MERCHANT_ID,
  payInBrowser,
  postForm,
  receiver,
  receiverServer,
  responsePage,
  startSimulator,
  registerSimulatorHarness,
} from './support';

registerSimulatorHarness();

describe('checkout page', () => {
  test('a form with a bad signature is refused with 400 "Firma inválida"', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const res = await postForm(checkoutUrl, { ...fields, signature: 'f'.repeat(64) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Firma inválida');
  });

  test('a form whose amount was changed after signing is refused', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const res = await postForm(checkoutUrl, { ...fields, amount: '20000.00' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Firma inválida');
  });

  test('a well-signed form gets an accessible page without script', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields, action } = form(checkoutUrl);
    expect(action).toBe(checkoutUrl);
    const res = await postForm(checkoutUrl, fields);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toContain('<main>');
    expect(html).not.toMatch(/<script|style=|<style/i);
    expect(html).toContain(fields.referenceCode);
    expect(html).toContain('20000 COP');
    expect(html).toContain(MERCHANT_ID);
    for (const outcome of ['approved', 'declined', 'pending-then-approved', 'expired']) {
      expect(html).toContain(`<label for="outcome-${outcome}">`);
      expect(html).toContain(`id="outcome-${outcome}"`);
    }
    expect(html).toContain('<legend>');
  });

  test('the page follows lng and escapes what the merchant sent', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl, { lng: 'en', description: '<img src=x onerror=alert(1)>' });
    const html = await (await postForm(checkoutUrl, fields)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });

  test.each([
    ['tax is missing (PayU would add 19 % VAT)', { tax: undefined }],
    ['taxReturnBase is missing', { taxReturnBase: undefined }],
    ['the account is not the merchant’s', { accountId: '999' }],
    ['the merchant is unknown', { merchantId: '1' }],
    ['the reference has a space', { referenceCode: 'a b' }],
    ['the confirmation URL is not a URL', { confirmationUrl: 'nope' }],
  ])('a form is refused with 400 when %s', async (_name, change) => {
    const { checkoutUrl } = await startSimulator();
    const fields: Record<string, string> = { ...form(checkoutUrl).fields };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    const res = await postForm(checkoutUrl, fields);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<main>');
  });

  test('callback URLs outside the allowed list are refused', async () => {
    const { checkoutUrl } = await startSimulator({
      isAllowedCallbackUrl: (u) => u.hostname === 'pagos.example.co',
    });
    const res = await postForm(checkoutUrl, form(checkoutUrl).fields);
    expect(res.status).toBe(400);
  });

  test('a reference that is already paid cannot be checked out again', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    await sim.pay(fields, 'approved').confirmation;
    const res = await postForm(checkoutUrl, fields);
    expect(res.status).toBe(409);
    expect(() => sim.pay(fields, 'approved')).toThrow(/already_paid/);
  });

  test('an unknown simulator checkout id is a 404 page', async () => {
    const { checkoutUrl } = await startSimulator();
    const res = await postForm(`${checkoutUrl}/nope`, { outcome: 'approved' });
    expect(res.status).toBe(404);
  });
});

describe('paying through the page', () => {
  test('approved: 303 to responseUrl with a valid signature, and a valid confirmation', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const { res } = await payInBrowser(checkoutUrl, fields, 'approved');
    expect(res.status).toBe(303);
    const { url, page } = responsePage(res.headers.get('location') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${receiverServer.url}/payu/demo/response`);
    expect(page).toMatchObject({
      merchantId: MERCHANT_ID,
      referenceCode: fields.referenceCode,
      txValue: '20000.00',
      currency: 'COP',
      transactionState: '4',
      status: 'approved',
      lapTransactionState: 'APPROVED',
      lng: 'es',
      buyerEmail: 'ana@example.co',
      extra1: 'demo',
    });
    expect(page.processingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(verifyResponsePage(page, API_KEY, 'SHA256', { strictAlgorithm: true })).toBe(true);

    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    const conf = confirmation(receiver.received[0] ?? {});
    expect(conf).toMatchObject({
      merchantId: MERCHANT_ID,
      referenceSale: fields.referenceCode,
      value: '20000.00',
      currency: 'COP',
      statePol: '4',
      status: 'approved',
      transactionId: page.transactionId,
      referencePol: page.referencePol,
      extra1: 'demo',
      test: '1',
    });
    expect(conf.transactionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(conf.transactionDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(verifyConfirmation(conf, API_KEY, 'SHA256', { strictAlgorithm: true })).toBe(true);
    expect(valueMatches(conf.value, 20000n, 'COP')).toBe(true);
  });

  test('a finished checkout cannot be paid twice', async () => {
    const { checkoutUrl } = await startSimulator();
    const { res, choiceUrl } = await payInBrowser(checkoutUrl, form(checkoutUrl).fields, 'approved');
    expect(res.status).toBe(303);
    const again = await postForm(choiceUrl, { outcome: 'approved' });
    expect(again.status).toBe(409);
  });

  test('after a decline the payer may retry in the same checkout: a new transaction, then approved', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const { res, choiceUrl } = await payInBrowser(checkoutUrl, fields, 'declined');
    expect(responsePage(res.headers.get('location') ?? '').page.status).toBe('declined');
    const retry = await postForm(choiceUrl, { outcome: 'approved' });
    expect(retry.status).toBe(303);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2));
    const [first, second] = receiver.received.map(confirmation);
    expect(first?.status).toBe('declined');
    expect(second?.status).toBe('approved');
    expect(first?.referenceSale).toBe(second?.referenceSale);
    expect(first?.transactionId).not.toBe(second?.transactionId);
  });

  test('an invalid outcome is a 400', async () => {
    const { checkoutUrl } = await startSimulator();
    const { res } = await payInBrowser(checkoutUrl, form(checkoutUrl).fields, 'stolen');
    expect(res.status).toBe(400);
  });
});

describe('programmatic pay()', () => {
  test.each([
    ['declined', '6', '6', 'declined', 'declined'],
    ['expired', '5', '5', 'expired', 'expired'],
    ['error', '104', '6', 'error', 'error'],
  ] as const)(
    '%s: transactionState %s, state_pol %s',
    async (outcome, txState, statePol, pageStatus, confStatus) => {
      const { sim, checkoutUrl } = await startSimulator();
      const { fields } = form(checkoutUrl, { amount: 2550n, currency: 'USD' });
      const payment = sim.pay(fields, outcome);
      const { page } = responsePage(payment.redirectUrl);
      expect(page.transactionState).toBe(txState);
      expect(page.status).toBe(pageStatus);
      expect(page.txValue).toBe('25.50');
      expect(verifyResponsePage(page, API_KEY)).toBe(true);
      await expect(payment.confirmation).resolves.toEqual({ delivered: true, status: 200, attempts: 1 });
      const conf = confirmation(receiver.received[0] ?? {});
      expect(conf.statePol).toBe(statePol);
      expect(conf.status).toBe(confStatus);
      expect(conf.value).toBe('25.50');
      expect(verifyConfirmation(conf, API_KEY)).toBe(true);
      expect(valueMatches(conf.value, 2550n, 'USD')).toBe(true);
    },
  );

  test('a bad form throws instead of paying', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    expect(() => sim.pay({ ...fields, signature: '0'.repeat(64) }, 'approved')).toThrow(/invalid_signature/);
  });

  test('MD5 forms get MD5 callbacks', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    const base = form(checkoutUrl);
    const md5 = buildPayuForm({
      payu: {
        mode: 'simulator',
        merchantId: MERCHANT_ID,
        accountId: ACCOUNT_ID,
        apiKey: API_KEY,
        algorithm: 'MD5',
      },
      simulatorUrl: checkoutUrl,
      reference: base.fields.referenceCode ?? '',
      description: 'x',
      amount: 15026n,
      currency: 'USD',
      buyer: { email: 'a@b.co', fullName: 'A', phone: '1' },
      lng: 'es',
      responseUrl: base.fields.responseUrl ?? '',
      confirmationUrl: base.fields.confirmationUrl ?? '',
    });
    const payment = sim.pay(md5.fields, 'approved');
    const { page } = responsePage(payment.redirectUrl);
    expect(page.signature).toHaveLength(32);
    expect(verifyResponsePage(page, API_KEY, 'MD5', { strictAlgorithm: true })).toBe(true);
    await payment.confirmation;
    const conf = confirmation(receiver.received[0] ?? {});
    expect(conf.sign).toHaveLength(32);
    expect(verifyConfirmation(conf, API_KEY, 'MD5', { strictAlgorithm: true })).toBe(true);
  });
});
