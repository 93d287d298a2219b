import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LookupItem } from '../../shared/api/schemas';
import { launchChromium, Session } from './support/browser';
import { expectAccessible, expectHealthySession, expectMobileLayout, money, squash } from './support/checks';
import {
  apiPayment,
  BUYER,
  ES,
  fillCheckout,
  itemCard,
  lookupInUi,
  payInSimulator,
  simulatorSummary,
  SIMULATOR_CHECKOUT,
} from './support/flow';

/**
 * docs/spec/business-payments.md on a 360 px phone: the demo company (a NIT typed with its check digit)
 * selects several invoices, types one amount that cannot be spread, takes the suggested amount above it,
 * sees how it is spread, pays it through the PayU simulator and lands on the result, which lists each
 * invoice's share. Selecting and spreading are done with the keyboard; axe-core checks every state.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const NIT = '900373923-8';
const TEXT = {
  select: 'Seleccionar',
  spreadToggle: 'Pagar un valor total',
  spreadLabel: 'Valor total a pagar',
  paySelected: 'Pagar seleccionados',
  withholdings: 'Retenciones que practicas',
  notIncluded: 'No se incluye',
} as const;

/** The element with focus: its tag and accessible-ish name (label, aria-label or text). */
function focused(page: Page): Promise<{ tag: string; name: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', name: '' };
    const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? null;
    const name = (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { tag: el.tagName.toLowerCase(), name };
  });
}

/** Tab until `wanted` has focus (fails with the path otherwise). */
async function tabTo(page: Page, wanted: (f: { tag: string; name: string }) => boolean, what: string) {
  const path: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    path.push(`${f.tag} "${f.name.slice(0, 50)}"`);
    if (wanted(f)) return;
  }
  throw new Error(`${what} not reached with Tab:\n  ${path.join('\n  ')}`);
}

/** The allocate answer for exactly this amount (a slow keyboard may ask for a shorter one first). */
function previewOf(page: Page, amount: string) {
  return page.waitForResponse(
    (r) =>
      r.url().endsWith('/allocate') &&
      (r.request().postDataJSON() as { amount?: string } | null)?.amount === amount,
  );
}

test('a company spreads one amount over several invoices, takes a suggestion and pays it with PayU', async () => {
  const session = await Session.open(browser, 'business-flow');
  const { page } = session;
  const kb = page.keyboard;
  try {
    await page.goto(session.url('/demo'));
    await page.getByRole('heading', { level: 1, name: ES.lookupTitle }).waitFor();
    const data = await lookupInUi(page, page, NIT);

    // The demo merchant offers its withholdings to a NIT typed with its check digit.
    const payable = data.items.filter((i) => i.payable && i.currency === 'COP');
    expect(payable.some((i) => (i.withholdings ?? []).some((w) => Number(w.amount) > 0))).toBe(true);
    await itemCard(page, payable[0]!).getByRole('group', { name: TEXT.withholdings }).waitFor();

    // The three oldest invoices, none taking part payments (the lookup lists them oldest first).
    const whole = (i: LookupItem) => i.maxPartial === null && i.minimum === i.balance;
    const [first, second, third] = payable.filter(whole);
    if (!first || !second || !third) throw new Error('the demo company needs three whole-only invoices');
    expect(payable.indexOf(first)).toBeLessThan(payable.indexOf(second));
    // Keyboard only from the list's heading (focused after the lookup): Tab to each card's checkbox, Space.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h2', name: ES.itemsTitle });
    for (const item of [first, second, third]) {
      const name = `${TEXT.select}: ${item.description}`;
      await tabTo(page, (f) => f.tag === 'input' && f.name === name, `the checkbox of ${item.ref}`);
      await kb.press('Space');
      expect(
        await itemCard(page, item)
          .getByRole('checkbox', { name: new RegExp(`^${TEXT.select}`) })
          .isChecked(),
      ).toBe(true);
    }
    const bar = page.getByRole('region', { name: TEXT.paySelected });
    const sum = [first, second, third].reduce((s, i) => s + Number(i.balance), 0);
    await expect
      .poll(async () => squash((await bar.locator('.selection-summary').textContent()) ?? ''))
      .toBe(`3 seleccionados Total: ${money(String(sum), 'COP')}`);
    await session.shot('three invoices selected');
    await expectMobileLayout(page, 'business list with a selection');
    await expectAccessible(session, page, 'business list with withholdings and a selection');

    // A withholding ticked on the first invoice (Space on its box): the card and the total are net of it.
    const offered = (first.withholdings ?? []).find((w) => Number(w.amount) > 0);
    if (!offered) throw new Error(`${first.ref} offers no withholding`);
    const box = itemCard(page, first).getByRole('checkbox', { name: new RegExp(`^${offered.label}`) });
    await box.focus();
    await kb.press('Space');
    const net = Number(first.balance) - Number(offered.amount);
    await expect
      .poll(async () => squash((await itemCard(page, first).locator('.withholdings').textContent()) ?? ''))
      .toContain(`Pagarás ${money(String(net), 'COP')} y retienes ${money(offered.amount, 'COP')}.`);
    await expect
      .poll(async () => squash((await bar.locator('.selection-summary').textContent()) ?? ''))
      .toBe(
        `3 seleccionados Total: ${money(String(sum - Number(offered.amount)), 'COP')} · Retenido: ${money(offered.amount, 'COP')}`,
      );
    await session.shot('a withholding ticked');
    await expectMobileLayout(page, 'business list with a withholding ticked');
    await expectAccessible(session, page, 'business list with a withholding ticked');
    // Untick it: the spread below pays whole balances (a spread carries no withholdings).
    await kb.press('Space');
    await expect
      .poll(async () => squash((await bar.locator('.selection-summary').textContent()) ?? ''))
      .toBe(`3 seleccionados Total: ${money(String(sum), 'COP')}`);

    // The bar comes after the 40 cards: focus is put on its first control, and from there on it is keyboard
    // only again (the toggle, the amount, the suggestion, the pay button).
    await bar.getByRole('button', { name: TEXT.spreadToggle }).focus();
    await kb.press('Enter');
    const amount = bar.getByLabel(TEXT.spreadLabel);
    await amount.waitFor();
    await tabTo(page, (f) => f.tag === 'input' && f.name === TEXT.spreadLabel, 'the amount field');
    expect(await amount.getAttribute('inputmode')).toBe('decimal');

    // The first invoice and a bit of the second: the second takes no part payment, so it cannot be spread.
    const typed = Number(first.balance) + 1000;
    const allocate = previewOf(page, String(typed));
    await kb.type(String(typed));
    expect((await allocate).status()).toBe(422);
    const lower = first.balance;
    const upper = String(Number(first.balance) + Number(second.balance));
    const suggestions = bar.getByRole('group', { name: 'Valores que sí se pueden repartir' });
    await suggestions.waitFor();
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    expect(squash((await suggestions.textContent()) ?? '')).toBe(
      `Pagar ${money(lower, 'COP')} (menos)Pagar ${money(upper, 'COP')} (más)`,
    );
    expect(await bar.getByRole('button', { name: TEXT.paySelected }).isDisabled()).toBe(true);
    await session.shot('amount not allocatable, with suggestions');
    await expectMobileLayout(page, 'spread amount refused');
    await expectAccessible(session, page, 'spread amount refused with suggestions');

    await tabTo(
      page,
      (f) => f.tag === 'button' && f.name.includes(money(upper, 'COP')),
      'the upper suggestion',
    );
    const preview = previewOf(page, upper);
    await kb.press('Enter');
    expect((await preview).status()).toBe(200);
    // The suggestion set the amount and gave focus back to the field.
    expect(await amount.inputValue()).toBe(upper);
    expect(await focused(page)).toMatchObject({ tag: 'input', name: TEXT.spreadLabel });
    const shares = bar.locator('.spread-list li');
    await expect.poll(() => shares.count()).toBe(3);
    const lines = (await shares.allTextContents()).map(squash);
    expect(lines[0]).toContain(first.description);
    expect(lines[0]).toContain(money(first.balance, 'COP'));
    expect(lines[1]).toContain(money(second.balance, 'COP'));
    expect(lines[2]).toContain(TEXT.notIncluded);
    await expect
      .poll(async () => squash((await bar.locator('.selection-summary').textContent()) ?? ''))
      .toBe(`3 seleccionados Total: ${money(upper, 'COP')}`);
    await session.shot('spread preview');
    await expectMobileLayout(page, 'spread preview');
    await expectAccessible(session, page, 'spread preview');

    await tabTo(page, (f) => f.tag === 'button' && f.name === TEXT.paySelected, 'the pay button');
    await kb.press('Enter');
    await page.waitForURL(/\/demo\/pay$/);
    await page.getByRole('heading', { level: 1, name: ES.checkoutTitle }).waitFor();
    const summary = squash((await page.locator('.checkout-summary').textContent()) ?? '');
    expect(summary).toContain(first.description);
    expect(summary).toContain(second.description);
    expect(summary).not.toContain(third.description);
    expect(squash((await page.locator('.summary-total strong').textContent()) ?? '')).toBe(
      money(upper, 'COP'),
    );
    await fillCheckout(page, BUYER);
    await expectAccessible(session, page, 'checkout of a spread amount');

    const checkout = page.waitForResponse((r) => r.url().endsWith('/checkout'));
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    const sent = (await checkout).request().postDataJSON() as { spread?: unknown; items?: unknown };
    expect(sent.items).toBeUndefined();
    expect(sent.spread).toEqual({ refs: [first.ref, second.ref, third.ref], amount: upper });
    await page.waitForURL(SIMULATOR_CHECKOUT);
    expect((await simulatorSummary(page)).Valor).toBe(`${upper} COP`);
    const reference = await payInSimulator(page, 'Aprobado');

    await page.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    const items = page.locator('.receipt-items li');
    await expect.poll(() => items.count()).toBe(2);
    const paid = (await items.allTextContents()).map(squash);
    expect(paid.find((l) => l.includes(`Ref. ${first.ref}`))).toContain(money(first.balance, 'COP'));
    expect(paid.find((l) => l.includes(`Ref. ${second.ref}`))).toContain(money(second.balance, 'COP'));
    await session.shot('result approved');
    await expectMobileLayout(page, 'result of a spread payment');
    await expectAccessible(session, page, 'result of a spread payment');

    const payment = await apiPayment(session, reference);
    expect(payment).toMatchObject({ status: 'approved', amount: upper, currency: 'COP' });
    expect(payment.items.map((i) => [i.ref, i.amount])).toEqual([
      [first.ref, first.balance],
      [second.ref, second.balance],
    ]);

    // The refused preview is the one expected 4xx of this flow.
    await expectHealthySession(session, [/status of 422 .* @ .*\/allocate$/]);
  } finally {
    await session.close();
  }
});

test('a company pays one invoice net of its withholdings; the result shows gross, each withholding and cash', async () => {
  const session = await Session.open(browser, 'business-withholdings');
  const { page } = session;
  try {
    await page.goto(session.url('/demo'));
    await page.getByRole('heading', { level: 1, name: ES.lookupTitle }).waitFor();
    const data = await lookupInUi(page, page, NIT);
    // The invoice with the most withholdings that have an amount (retefuente, ReteIVA, ReteICA).
    const withAmount = (i: LookupItem) => (i.withholdings ?? []).filter((w) => Number(w.amount) > 0);
    const item = [...data.items]
      .filter((i) => i.payable && i.currency === 'COP')
      .sort((a, b) => withAmount(b).length - withAmount(a).length)[0];
    if (!item) throw new Error('no payable invoice');
    const ticked = withAmount(item);
    expect(ticked.length).toBeGreaterThanOrEqual(2);
    const card = itemCard(page, item);
    await card.scrollIntoViewIfNeeded();
    for (const w of ticked) {
      await card.getByRole('checkbox', { name: new RegExp(`^${w.label}`) }).tap();
    }
    const withheld = ticked.reduce((s, w) => s + Number(w.amount), 0);
    const cash = String(Number(item.balance) - withheld);
    await expect
      .poll(async () => squash((await card.locator('.withholdings').textContent()) ?? ''))
      .toContain(`Pagarás ${money(cash, 'COP')} y retienes ${money(String(withheld), 'COP')}.`);

    await card.getByRole('button', { name: new RegExp(`^${ES.payOne}`) }).tap();
    await page.waitForURL(/\/demo\/pay$/);
    await page.getByRole('heading', { level: 1, name: ES.checkoutTitle }).waitFor();
    expect(squash((await page.locator('.summary-total strong').textContent()) ?? '')).toBe(
      money(cash, 'COP'),
    );
    expect(squash((await page.locator('.summary-withheld').textContent()) ?? '')).toBe(
      `Total retenido ${money(String(withheld), 'COP')}`,
    );
    await fillCheckout(page, BUYER);
    const checkout = page.waitForResponse((r) => r.url().endsWith('/checkout'));
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    const sent = (await checkout).request().postDataJSON() as { items?: unknown };
    expect(sent.items).toEqual([
      expect.objectContaining({ ref: item.ref, amount: cash, withholdings: ticked.map((w) => w.code) }),
    ]);
    await page.waitForURL(SIMULATOR_CHECKOUT);
    expect((await simulatorSummary(page)).Valor).toBe(`${cash} COP`);
    const reference = await payInSimulator(page, 'Aprobado');

    await page.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    const line = page.locator('.receipt-items > li');
    await expect.poll(() => line.count()).toBe(1);
    const rows = await line
      .locator('.receipt-withholdings > div')
      .evaluateAll((divs) =>
        divs.map(
          (d) => `${d.querySelector('dt')?.textContent ?? ''}=${d.querySelector('dd')?.textContent ?? ''}`,
        ),
      );
    expect(rows.map(squash)).toEqual([
      `Valor del cobro=${money(item.balance, 'COP')}`,
      ...ticked.map((w) => `${w.label}=−${money(w.amount, 'COP')}`),
      `Pagado=${money(cash, 'COP')}`,
    ]);
    await session.shot('result with withholdings');
    await expectMobileLayout(page, 'result with withholdings');
    await expectAccessible(session, page, 'result with withholdings');
    // The receipt PDF, from the bundle `npm start` runs (its fonts are found through require.resolve).
    const receiptHref = await page.locator('a[href*="/receipts/"]').getAttribute('href');
    expect(receiptHref).toMatch(/\/receipts\/[\w-]{43}$/);
    const pdf = await page.request.get(new URL(`${receiptHref ?? ''}/receipt.pdf?paper=a4`, page.url()).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const payment = await apiPayment(session, reference);
    expect(payment).toMatchObject({ status: 'approved', amount: cash, withheld: String(withheld) });
    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});
