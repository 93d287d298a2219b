import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, Session } from './support/browser';
import {
  expectHealthySession,
  expectMobileLayout,
  expectNoHorizontalScroll,
  money,
  squash,
} from './support/checks';
import {
  apiLookup,
  apiPayment,
  BUYER,
  ES,
  expectBreakdownsMatch,
  fillCheckout,
  itemCard,
  lookupAnother,
  lookupInUi,
  payInSimulator,
  simulatorSummary,
  SIMULATOR_CHECKOUT,
} from './support/flow';

/**
 * docs/spec/channels.md "Phone browser": a payer on a 360 px phone types a cédula, pays part of an order with PayU
 * (the local simulator), sees the receipt, and finds the payment applied on the next lookup.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAYER = { typed: '52.123.456', idNumber: '52123456' };
const REF = 'PED-88412'; // 30 % minimum, paid delivery with an address, a comment box

test('phone: look up, pay part of an item with PayU, see the receipt and the new balance', async () => {
  const session = await Session.open(browser, 'phone-flow');
  const { page } = session;
  try {
    await page.goto(session.url('/demo'));
    await page.getByRole('heading', { level: 1, name: ES.lookupTitle }).waitFor();
    const idInput = page.getByLabel(ES.idLabel);
    expect(await idInput.getAttribute('inputmode')).toBe('numeric');
    await session.shot('lookup form');
    await expectMobileLayout(page, 'lookup page');
    // The first screen holds the whole lookup page, footer and trust line included (360×740).
    await page.getByText('Pagos seguros procesados por PayU.', { exact: false }).waitFor();
    const fit = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      viewport: window.innerHeight,
      footerBottom: document.querySelector('footer')?.getBoundingClientRect().bottom ?? Infinity,
    }));
    expect(fit.height).toBeLessThanOrEqual(fit.viewport);
    expect(fit.footerBottom).toBeLessThanOrEqual(fit.viewport);

    // The id as people write it, dots and all.
    const shown = await lookupInUi(page, page, PAYER.typed);
    await session.shot('items');
    await expectMobileLayout(page, 'items page');

    // The numbers on screen are the API's, formatted for es-CO.
    const api = await apiLookup(session, { idNumber: PAYER.idNumber });
    expect(shown.items.map((i) => i.ref)).toEqual(api.items.map((i) => i.ref));
    await expectBreakdownsMatch(page, api);
    await expect
      .poll(() => page.locator('.items-summary').textContent())
      .toContain(`${api.items.filter((i) => i.payable).length} pagos pendientes`);

    const item = api.items.find((i) => i.ref === REF);
    if (!item) throw new Error(`${REF} not in the lookup`);
    expect(item.payable).toBe(true);
    const [min, balance, maxPartial] = [Number(item.minimum), Number(item.balance), Number(item.maxPartial)];
    expect(min).toBeLessThan(balance);
    // Halfway between the minimum and the largest partial amount (one that leaves at least the minimum),
    // in whole thousands: a real partial payment.
    const partial = Math.floor((min + maxPartial) / 2 / 1000) * 1000;
    expect(partial).toBeGreaterThan(min);
    expect(partial).toBeLessThanOrEqual(maxPartial);

    const card = itemCard(page, item);
    const amount = card.getByLabel(ES.amountLabel);
    expect(await amount.getAttribute('inputmode')).toBe('decimal');
    expect(await amount.inputValue()).toBe(item.balance);
    await amount.tap();
    await amount.fill('');
    await amount.pressSequentially(String(partial));
    await expect
      .poll(async () => squash((await card.locator('.amount-preview').textContent()) ?? ''))
      .toBe(`Pagarás ${money(String(partial), 'COP')}.`);
    await session.shot('partial amount');
    await expectMobileLayout(page, 'items page with a partial amount');

    await card.getByRole('button', { name: new RegExp(`^${ES.payOne}`) }).tap();
    await page.waitForURL(/\/demo\/pay$/);
    const heading = page.getByRole('heading', { level: 1, name: ES.checkoutTitle });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
    await expect
      .poll(async () => squash((await page.locator('.summary-total strong').textContent()) ?? ''))
      .toBe(money(String(partial), 'COP'));
    const commentLabel = item.comments.label ?? 'Comentario';
    expect(item.deliveryAddressRequired).toBe(true);
    expect(item.comments.enabled).toBe(true);
    await fillCheckout(page, {
      ...BUYER,
      street: 'Calle 10 # 5-20, torre 2',
      city: 'Bogotá',
      comment: { label: commentLabel, text: 'Dejar en portería' },
    });
    await session.shot('checkout');
    await expectMobileLayout(page, 'checkout page');

    // The signed form is posted top-level: the phone's own window is now PayU's (the simulator).
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    await page.waitForURL(SIMULATOR_CHECKOUT);
    expect(page.frames()).toHaveLength(1);
    await page.getByRole('heading', { name: 'Simulador de PayU' }).waitFor();
    const summary = await simulatorSummary(page);
    expect(summary.Valor).toBe(`${partial} COP`);
    expect(summary.Comprador).toBe(BUYER.email);
    await session.shot('payu simulator');
    await expectNoHorizontalScroll(page, 'PayU simulator');

    const reference = await payInSimulator(page, 'Aprobado');
    expect(summary.Referencia).toBe(reference);
    // The confirmation reaches the BFF in the background; the page polls until it says approved.
    await page.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    const receipt = squash((await page.locator('.receipt').textContent()) ?? '');
    expect(receipt).toContain(reference);
    expect(receipt).toContain(money(String(partial), 'COP'));
    const items = page.locator('.receipt-items li');
    await expect.poll(() => items.count()).toBe(1);
    const line = squash((await items.first().textContent()) ?? '');
    expect(line).toContain(item.description);
    expect(line).toContain(`Ref. ${REF}`);
    expect(line).toContain(money(String(partial), 'COP'));
    await session.shot('result approved');
    await expectMobileLayout(page, 'result page');

    const payment = await apiPayment(session, reference);
    expect(payment).toMatchObject({ status: 'approved', amount: String(partial), currency: 'COP' });

    // A new lookup: the item shows what was paid and what is left.
    await page.getByRole('button', { name: ES.payAnother }).tap();
    // The language came back from PayU (lng) and stays in the URL.
    await page.waitForURL(/\/demo\?lng=es$/);
    const after = await lookupInUi(page, page, PAYER.typed);
    const updated = after.items.find((i) => i.ref === REF);
    expect(updated).toMatchObject({ paid: String(partial), balance: String(balance - partial) });
    await expectBreakdownsMatch(page, after);
    const rows = squash((await itemCard(page, item).locator('dl.breakdown').textContent()) ?? '');
    expect(rows).toContain(`Abonado−${money(String(partial), 'COP')}`);
    expect(rows).toContain(`Saldo${money(String(balance - partial), 'COP')}`);
    await session.shot('new balance');
    await expectMobileLayout(page, 'items page after paying');

    // And another payer on the same phone starts from an empty form.
    await lookupAnother(page);
    expect(await page.getByLabel(ES.idLabel).inputValue()).toBe('');

    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});
