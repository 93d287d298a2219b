import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLinkSealer } from '../../bff/links/link-token';
import { launchChromium, Session } from './support/browser';
import {
  expectAccessible,
  expectHealthySession,
  expectMobileLayout,
  OFFLINE_ERP_PICTURE,
} from './support/checks';
import { DEMO } from './support/env';
import {
  apiCheckout,
  apiStatementLink,
  BUYER,
  ES,
  expectBreakdownsMatch,
  fillCheckout,
  itemCard,
  lookupAnother,
  lookupInUi,
  payInSimulator,
  SIMULATOR_CHECKOUT,
} from './support/flow';

/**
 * docs/spec/channels.md "no axe-core violations": axe-core with every rule it enables by default on each screen a
 * payer can reach, in Spanish and in English. Each test is its own payer (own client IP), so the
 * per-IP lookup limit is never the reason a page looks different. Results: test-artifacts/e2e/axe-report.jsonl.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function switchTo(page: Page, language: 'English' | 'Español'): Promise<void> {
  await page.getByRole('button', { name: language, exact: true }).tap();
  await expect
    .poll(() => page.getByRole('button', { name: language, exact: true }).getAttribute('aria-pressed'))
    .toBe('true');
}

test('lookup page, its validation errors, links gone bad, and the same in English', async () => {
  const session = await Session.open(browser, 'axe-lookup');
  const { page } = session;
  try {
    await page.goto(session.url('/demo'));
    await page.getByRole('heading', { level: 1, name: ES.lookupTitle }).waitFor();
    await expectAccessible(session, page, 'lookup page');

    await page.getByRole('button', { name: ES.lookupSubmit }).tap();
    await page.getByRole('alert').getByText('Escribe tu número de identificación.').waitFor();
    expect(await page.getByLabel(ES.idLabel).getAttribute('aria-invalid')).toBe('true');
    await session.shot('lookup required error');
    await expectAccessible(session, page, 'lookup page: empty id error');

    await page.getByLabel(ES.idLabel).fill('900373923-1');
    await page.getByRole('button', { name: ES.lookupSubmit }).tap();
    await page
      .getByRole('alert')
      .getByText(/^El dígito de verificación no corresponde a este NIT/)
      .waitFor();
    await session.shot('lookup check digit error');
    await expectAccessible(session, page, 'lookup page: wrong NIT check digit');

    await switchTo(page, 'English');
    await page.getByRole('heading', { level: 1, name: 'Check and pay your invoices' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^en/);
    await session.shot('lookup english');
    await expectAccessible(session, page, 'lookup page in English (with its error)');
    await expectMobileLayout(page, 'lookup page in English');

    const expired = createLinkSealer(DEMO.linkSecret).seal({
      merchantId: 'demo',
      idNumber: '12345678',
      expiresAt: new Date(Date.now() - 60_000),
    });
    await page.goto(session.url(`/demo/s/${expired}`));
    await page.getByRole('heading', { level: 1, name: ES.expiredTitle }).waitFor();
    await session.shot('expired link');
    await expectAccessible(session, page, 'expired-link page');

    const link = await apiStatementLink(session, { idNumber: '43215678' });
    await page.goto(`${link.url.slice(0, -3)}xyz`);
    await page.getByRole('heading', { level: 1, name: ES.invalidTitle }).waitFor();
    await session.shot('invalid link');
    await expectAccessible(session, page, 'invalid-link page');

    await page.goto(link.url);
    await page.getByRole('heading', { name: ES.itemsTitle }).waitFor();
    await session.shot('statement link');
    await expectAccessible(session, page, 'statement-link items (43215678, messy ERP answer)');

    await page.goto(session.url('/'));
    await page.getByRole('link', { name: 'Probar la demostración' }).waitFor();
    await expectAccessible(session, page, 'home page');
    await page.goto(session.url('/demo/no-such-page'));
    await page.getByRole('heading', { level: 1, name: 'Página no encontrada' }).waitFor();
    await expectAccessible(session, page, 'not-found page');

    await expectHealthySession(session, [/status of (400|410) .* @ .*\/lookup$/]);
  } finally {
    await session.close();
  }
});

const PAYERS = [
  { id: '1098765432', what: 'an item under the merchant minimum (disabled pay button)' },
  { id: '79865432', what: 'overdue items with late fees' },
  { id: '88776655', what: 'USD and EUR' },
  { id: '900373923-8', what: 'the NIT with 40 invoices' },
  { id: '12345678', what: 'seed 003 (picture, references, advance)' },
] as const;

test('items of several demo payers, and in English', async () => {
  const session = await Session.open(browser, 'axe-items');
  const { page } = session;
  try {
    await page.goto(session.url('/demo'));
    for (const [i, payer] of PAYERS.entries()) {
      if (i > 0) await lookupAnother(page);
      const data = await lookupInUi(page, page, payer.id);
      expect(data.items.length).toBeGreaterThan(0);
      await expectBreakdownsMatch(page, data);
      await session.shot(`items ${payer.id}`);
      await expectAccessible(session, page, `items of ${payer.id}: ${payer.what}`);
      await expectMobileLayout(page, `items of ${payer.id}`);
    }
    // Back to USD/EUR, then English: the same numbers in en-CO.
    await lookupAnother(page);
    const usd = await lookupInUi(page, page, '88776655');
    await switchTo(page, 'English');
    await page.getByRole('heading', { name: 'Your pending payments' }).waitFor();
    await expectBreakdownsMatch(page, usd, 'en-CO');
    const firstCard = itemCard(page, usd.items[0] as { description: string });
    expect(await firstCard.getByRole('button', { name: /^Pay with PayU/ }).count()).toBe(1);
    await session.shot('items english');
    await expectAccessible(session, page, 'items of 88776655 in English');
    await expectMobileLayout(page, 'items in English');

    await expectHealthySession(session, [OFFLINE_ERP_PICTURE]);
  } finally {
    await session.close();
  }
});

test('checkout with validation errors, result pending and approved', async () => {
  const session = await Session.open(browser, 'axe-checkout-result');
  const { page } = session;
  try {
    // Pending: a checkout whose payer never finished at PayU.
    const pendingItem = { idNumber: '88776655', ref: 'INV-EU-3101', amount: '75.50' };
    const pending = await apiCheckout(session, {
      idNumber: pendingItem.idNumber,
      items: [{ ref: pendingItem.ref, amount: pendingItem.amount }],
    });
    // PayU never saw it: "not finished", with the hold, not "processing".
    await page.goto(session.url(`/demo/pay/result/${pending.reference}`));
    await page.getByRole('heading', { level: 1, name: ES.notStartedTitle }).waitFor();
    await page.getByText(/Tus cobros quedan reservados hasta el/).waitFor();
    await session.shot('result not started');
    await expectAccessible(session, page, 'result page: not started at PayU');
    await expectMobileLayout(page, 'result page: not started at PayU');
    // Back from PayU with "pending": processing, said once.
    await page.goto(session.url(`/demo/pay/result/${pending.reference}?payu=pending`));
    await page.getByRole('heading', { level: 1, name: ES.pendingTitle }).waitFor();
    await page.getByText('Consultando a PayU…').waitFor();
    await session.shot('result pending');
    await expectAccessible(session, page, 'result page: pending');
    await expectMobileLayout(page, 'result page: pending');

    await page.goto(session.url('/demo'));
    const data = await lookupInUi(page, page, '79.865.432');
    const item = data.items.find((i) => i.payable);
    if (!item) throw new Error('no payable item');
    await itemCard(page, item)
      .getByRole('button', { name: new RegExp(`^${ES.payOne}`) })
      .tap();
    await page.getByRole('heading', { level: 1, name: ES.checkoutTitle }).waitFor();
    await expectAccessible(session, page, 'checkout page');

    // Errors: an empty submit, then a bad email.
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    await page.getByText(ES.fixErrors).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
    await page.getByLabel(ES.email).fill('no-es-un-correo');
    await page.getByLabel(ES.fullName).fill('Jo');
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    expect(await page.locator('.field-error').count()).toBe(3);
    await session.shot('checkout errors');
    await expectAccessible(session, page, 'checkout page with validation errors');
    await expectMobileLayout(page, 'checkout page with validation errors');

    await switchTo(page, 'English');
    await page.getByRole('heading', { level: 1, name: 'Payment details' }).waitFor();
    await session.shot('checkout errors english');
    await expectAccessible(session, page, 'checkout page with validation errors in English');
    await switchTo(page, 'Español');

    await fillCheckout(page, BUYER);
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    await page.waitForURL(SIMULATOR_CHECKOUT);
    await payInSimulator(page, 'Aprobado');
    await page.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    await session.shot('result approved');
    await expectAccessible(session, page, 'result page: approved');

    await switchTo(page, 'English');
    await page.getByRole('heading', { level: 1, name: 'Payment approved' }).waitFor();
    await session.shot('result approved english');
    await expectAccessible(session, page, 'result page: approved, in English');

    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});
