import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createReturnLinks } from '../../bff/money-back/return-link';
import { launchChromium, Session } from './support/browser';
import { expectAccessible, expectHealthySession, expectMobileLayout } from './support/checks';
import { DEMO } from './support/env';
import { apiCheckout, apiLookup, BUYER, payInSimulator } from './support/flow';

/**
 * docs/spec/money-back.md, on a 360 px phone: after the merchant returns part of an approved payment (below
 * PayU's 100 COP refund minimum, so it goes back by payout), the payer opens the sealed link, gives bank
 * details, and — once the local PayU Payouts simulator has the transfer at the bank — sees when it arrives.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

// Camila Rojas: no other browser test pays her items.
const PAYER = '1020304050';

test('phone: the payer gives bank details for a return and sees the expected arrival', async () => {
  const session = await Session.open(browser, 'money-back');
  const { page } = session;
  const merchantApi = { headers: { 'x-auth-token': DEMO.apiToken } };
  try {
    // An approved payment, paid through the PayU simulator as a payer would.
    const item = (await apiLookup(session, { idNumber: PAYER })).items.find((i) => i.payable);
    if (!item) throw new Error('the demo payer has no payable item');
    const form = await apiCheckout(session, {
      idNumber: PAYER,
      items: [{ ref: item.ref, amount: item.balance }],
    });
    await page.setContent(
      `<form method="post" action="${form.action}">${Object.entries(form.fields)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${String(v).replace(/"/g, '&quot;')}">`)
        .join('')}<button>Pagar</button></form>`,
    );
    await page.getByRole('button', { name: 'Pagar' }).click();
    const reference = await payInSimulator(page, 'Aprobado');
    expect(reference).toBe(form.reference);
    for (;;) {
      const status = await page.request.get(session.url(`/api/v1/merchants/demo/payments/${reference}`));
      if (((await status.json()) as { status: string }).status === 'approved') break;
    }

    // The merchant returns 50 COP and approves it; the returns job asks the payer for bank details.
    const created = await page.request.post(session.url('/v1/merchant/returns'), {
      ...merchantApi,
      data: { reference, amount: '50', reason: 'Ajuste de precio', type: 'pending' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { return: ret } = (await created.json()) as { return: { id: string; route: string } };
    expect(ret.route).toBe('payout');
    expect(
      (await page.request.post(session.url(`/v1/merchant/returns/${ret.id}/approve`), merchantApi)).status(),
    ).toBe(200);
    const stateOf = async () =>
      (
        (await (
          await page.request.get(session.url(`/v1/merchant/returns/${ret.id}`), merchantApi)
        ).json()) as {
          return: { state: string };
        }
      ).return.state;
    while ((await stateOf()) !== 'awaiting_details');

    // The portal emails the payer (the buyer email of the checkout) the sealed link: the demo mailbox has it.
    const subject = 'Tienda Demo S.A.S. te devolverá dinero: indícanos tu cuenta';
    let mail: { id: number; to: string[] | string; subject: string } | undefined;
    while (!mail) {
      const box = (await (await page.request.get(session.url('/demo/mail/messages.json'))).json()) as {
        messages: { id: number; to: string[] | string; subject: string }[];
      };
      mail = box.messages.find((m) => m.subject === subject);
    }
    expect(String(mail.to)).toContain(BUYER.email);
    await page.goto(session.url(`/demo/mail/${mail.id}`));
    const button = page.getByRole('link', { name: 'Indicar mi cuenta bancaria' });
    await button.waitFor();
    await session.shot('return email');
    const href = (await button.getAttribute('href')) ?? '';
    const link = createReturnLinks(DEMO.linkSecret, session.env.portalUrl).open(
      new URL(href).pathname.split('/').pop() ?? '',
      'demo',
      new Date(),
    );
    expect(link).toMatchObject({ ok: true, returnId: ret.id });
    // …and by WhatsApp to the checkout phone, with the merchant's return template.
    expect(await (await page.request.get(session.url('/demo/whatsapp'))).text()).toContain('saldo_return');
    // The payer's result page of that payment (this browser made the checkout: its view token) lists the
    // return, and its button leads to the same form.
    await page.evaluate(
      ([key, token]) => sessionStorage.setItem(key!, token!),
      [`saldo.view.demo.${reference}`, form.viewToken ?? ''],
    );
    const resultPage = session.url(`/demo/pay/result/${reference}`);
    await page.goto(resultPage);
    const returns = page.getByRole('region', { name: 'Dinero que te devolvemos' });
    await returns.getByText('Necesitamos tu cuenta bancaria para enviártelo').waitFor();
    await expectMobileLayout(page, 'result page asking for bank details');
    await expectAccessible(session, page, 'result page asking for bank details');
    await session.shot('result page asks for bank details');
    await returns.getByRole('link', { name: 'Indicar mi cuenta bancaria' }).tap();
    await page.getByRole('heading', { name: 'Recibe tu devolución' }).waitFor();
    await expectMobileLayout(page, 'bank details form');
    await session.shot('bank details form');
    await page.getByLabel('Nombre completo del titular').fill('Luz Cárdenas');
    await page.getByLabel('Tipo de documento').selectOption('CC');
    await page.getByLabel('Número de documento').fill(PAYER);
    await page.getByLabel('Buscar banco por nombre').fill('bancolombia');
    await page.getByLabel('Banco', { exact: true }).selectOption('007');
    await page.getByLabel('Tipo de cuenta').selectOption('CA');
    await page.getByLabel('Número de cuenta').fill('2198922910000');
    await page.getByRole('button', { name: 'Enviar datos' }).tap();
    await page.getByRole('heading', { name: 'Recibimos tus datos' }).waitFor();
    await page.getByText('****0000').first().waitFor();
    await session.shot('details received');

    // The payout reaches the bank in the simulator; the payer's page then says when the money arrives.
    for (let seen = await stateOf(); seen !== 'in_bank'; seen = await stateOf()) {
      expect(['awaiting_details', 'sending'], 'the payout went astray').toContain(seen);
    }
    await page.reload();
    await page.getByText(/Llegará el \S+ \d+ de \S+ hacia las/).waitFor();
    await session.shot('expected arrival');
    // The result page says the same: on its way to the bank, and when it arrives.
    await page.goto(resultPage);
    await returns.getByText('En camino a tu banco').waitFor();
    await returns.getByText(/^\S+ \d+ de \S+, hacia las /).waitFor();
    await returns.getByText('Cuenta ****0000').waitFor();
    await expectAccessible(session, page, 'result page with the expected arrival');
    await session.shot('result page expected arrival');
    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});
