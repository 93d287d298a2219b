import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, Session } from './support/browser';
import { expectHealthySession } from './support/checks';
import { BUYER, ES, RESULT_PAGE, SIMULATOR_CHECKOUT } from './support/flow';

/**
 * docs/spec/channels.md "everything reachable and usable by keyboard": a whole payment with page.keyboard only
 * (Tab, Shift+Tab, Enter, Space, typing), checking where focus lands after each step.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Focused {
  tag: string;
  type: string | null;
  id: string;
  name: string;
  /** The focus ring is visible (:focus-visible gives an outline). */
  ring: boolean;
}

/** What has focus, with a plain accessible name (aria-label, its label, or its text). */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', type: null, id: '', name: '', ring: false };
    const input = el as HTMLInputElement;
    const label = input.labels?.[0]?.textContent ?? null;
    const name = (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      id: el.id,
      name,
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

/** Presses Tab (or Shift+Tab) until `wanted` has focus; fails with the path focus took. */
async function tabTo(
  page: Page,
  wanted: (f: Focused) => boolean,
  what: string,
  max = 25,
  key = 'Tab',
): Promise<Focused> {
  const path: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const f = await focused(page);
    path.push(`${f.tag}${f.type ? `[${f.type}]` : ''} "${f.name.slice(0, 40)}"`);
    if (wanted(f)) return f;
  }
  throw new Error(`${what} not reached with ${key} in ${max} presses:\n  ${path.join('\n  ')}`);
}

const named = (tag: string, name: string | RegExp) => (f: Focused) =>
  f.tag === tag && (typeof name === 'string' ? f.name === name : name.test(f.name));

const PAYER = '1098765432'; // Sebastián Torres: one item under the minimum (disabled), one payable
const PAYABLE = 'Consumo de acueducto marzo';

test('keyboard only: look up, pay, go through PayU and land on the receipt', async () => {
  const session = await Session.open(browser, 'keyboard-flow');
  const { page } = session;
  const kb = page.keyboard;
  try {
    await page.goto(session.url('/demo'));
    await page.getByRole('heading', { level: 1, name: ES.lookupTitle }).waitFor();

    // First stop: the skip link; Enter on it puts focus on <main>.
    await kb.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', name: 'Saltar al contenido principal' });
    expect(await page.locator('.skip-link').evaluate((el) => el.getBoundingClientRect().top >= 0)).toBe(true);
    await session.shot('skip link');
    await kb.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'main' });

    const idField = await tabTo(page, named('input', ES.idLabel), 'the id field');
    expect(idField.ring).toBe(true);
    await kb.type(PAYER);
    await kb.press('Enter');
    // After the lookup, focus moves to the list's heading.
    await page.getByRole('heading', { name: ES.itemsTitle }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h2', name: ES.itemsTitle });
    await session.shot('items, focus on the heading');

    // The item under the minimum has a disabled button: Tab passes it by and reaches the payable one.
    const path: Focused[] = [];
    const pay = await tabTo(
      page,
      (f) => {
        path.push(f);
        return named('button', `${ES.payOne}: ${PAYABLE}`)(f);
      },
      'the pay button',
    );
    expect(pay.ring).toBe(true);
    expect(path.filter((f) => f.tag === 'button' && f.name.startsWith(ES.payOne))).toHaveLength(1);
    // One step back and forth: Shift+Tab reaches the item's checkbox, Tab comes back.
    await kb.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', type: 'checkbox' });
    await kb.press('Tab');
    expect(await focused(page)).toMatchObject({ name: `${ES.payOne}: ${PAYABLE}` });
    await session.shot('pay button focused');
    await kb.press('Enter');

    // Checkout: focus on its heading, then the fields in order.
    await page.waitForURL(/\/demo\/pay$/);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', name: ES.checkoutTitle });
    await tabTo(page, named('input', ES.email), 'the email field');
    await kb.type(BUYER.email);
    await kb.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', name: ES.fullName });
    await kb.type(BUYER.fullName);
    await kb.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', name: ES.phone });
    await kb.type(BUYER.phone);
    const submit = await tabTo(page, named('button', ES.checkoutSubmit), 'the submit button', 3);
    expect(submit.ring).toBe(true);
    await kb.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input', name: ES.phone });
    await kb.press('Tab');
    await session.shot('checkout filled');
    await kb.press('Enter');

    // PayU (the simulator): the radio group, Space to choose, Tab to the button, Enter.
    await page.waitForURL(SIMULATOR_CHECKOUT);
    await tabTo(page, (f) => f.tag === 'input' && f.type === 'radio', 'the outcome radios');
    // Arrow keys move within the group; go to the last and back up to the first (approved).
    await kb.press('ArrowDown');
    await kb.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ id: 'outcome-approved' });
    await kb.press('Space');
    expect(await page.locator('#outcome-approved').isChecked()).toBe(true);
    await tabTo(page, named('button', 'Continuar'), 'Continuar', 3);
    await session.shot('simulator, approved chosen');
    await kb.press('Enter');

    await page.waitForURL(RESULT_PAGE);
    await page.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    // Focus follows the news: the result's heading.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', name: ES.approvedTitle });
    expect(await page.locator('.receipt-items').textContent()).toContain(PAYABLE);
    await session.shot('result approved');

    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});
