import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLinkSealer } from '../../bff/links/link-token';
import type { LookupResponse } from '../../shared/api/schemas';
import { launchChromium, Session } from './support/browser';
import { expectHealthySession, expectMobileLayout, OFFLINE_ERP_PICTURE } from './support/checks';
import { DEMO } from './support/env';
import { apiLookup, apiStatementLink, ES, expectBreakdownsMatch, itemCard, lookupInUi } from './support/flow';

/**
 * docs/spec/channels.md "Statement-email link": the link opens the payer's items at once with the linked one
 * highlighted and no id number in the URL; an expired link explains itself and offers the id form;
 * a tampered one is refused.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAYER = '1020304050'; // Camila Rojas: early-payment discounts
const ID_DIGITS = [PAYER, '1.020.304.050'];

test('a statement link lists the payer’s items at once, the linked one highlighted, no id in the URL', async () => {
  const session = await Session.open(browser, 'statement-link');
  const { page } = session;
  try {
    // The merchant's system asks for the link; the ref comes from the payer's items.
    const { items } = await apiLookup(session, { idNumber: PAYER });
    const linkedRef = items.filter((i) => i.payable).at(-1)?.ref;
    if (!linkedRef) throw new Error('no payable item for the demo payer');
    const link = await apiStatementLink(session, { idNumber: PAYER, ref: linkedRef });
    const url = new URL(link.url);
    expect(url.origin).toBe(session.portalOrigin);
    expect(url.pathname).toMatch(/^\/demo\/s\/[A-Za-z0-9_-]{40,}$/);
    for (const digits of ID_DIGITS) expect(link.url).not.toContain(digits);

    const lookup = page.waitForRequest((r) => r.url().endsWith('/lookup') && r.method() === 'POST');
    const answer = page.waitForResponse(
      (r) => r.url().endsWith('/lookup') && r.request().method() === 'POST',
    );
    await page.goto(link.url);
    // The SPA asks with the sealed token, never with the id number.
    const sent = (await lookup).postDataJSON() as Record<string, unknown>;
    expect(Object.keys(sent)).toEqual(['token']);
    const data = (await (await answer).json()) as LookupResponse;
    expect(data.linkedRef).toBe(linkedRef);

    // At once: the list, no id form in between, with the API's numbers.
    await page.getByRole('heading', { name: ES.itemsTitle }).waitFor();
    expect(await page.getByLabel(ES.idLabel).count()).toBe(0);
    await expectBreakdownsMatch(page, data);

    // The linked item is highlighted (class item-card-linked and its badge), and only that one.
    const linked = page.locator('li.item-card-linked');
    expect(await linked.count()).toBe(1);
    expect(await linked.textContent()).toContain(`Ref. ${linkedRef}`);
    expect(await linked.getByText(ES.linked).isVisible()).toBe(true);
    // …and already selected, so paying it is one tap away.
    const selected = await linked.getByRole('checkbox').isChecked();
    expect(selected).toBe(true);
    await page.locator('.selection-bar').getByText('1 seleccionado').waitFor();

    for (const digits of ID_DIGITS) expect(page.url()).not.toContain(digits);
    expect(page.url()).toBe(link.url);
    await session.shot('statement link');
    await expectMobileLayout(page, 'statement link page');
    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});

test('an expired link shows a friendly page with the id form, which still works', async () => {
  const session = await Session.open(browser, 'statement-link-expired');
  const { page } = session;
  try {
    const token = createLinkSealer(DEMO.linkSecret).seal({
      merchantId: 'demo',
      idNumber: '12345678',
      expiresAt: new Date(Date.now() - 24 * 60 * 60 * 1000),
    });
    const answer = page.waitForResponse((r) => r.url().endsWith('/lookup'));
    await page.goto(session.url(`/demo/s/${token}`));
    expect((await answer).status()).toBe(410);

    await page.getByRole('heading', { level: 1, name: ES.expiredTitle }).waitFor();
    expect(await page.getByText('Por tu seguridad, los enlaces de pago vencen.').isVisible()).toBe(true);
    // Friendly: not an error alert, just the explanation and the form.
    expect(await page.getByRole('alert').count()).toBe(0);
    const input = page.getByLabel(ES.idLabel);
    expect(await input.isVisible()).toBe(true);
    await session.shot('expired link');
    await expectMobileLayout(page, 'expired link page');

    const data = await lookupInUi(page, page, '12345678');
    expect(data.items.length).toBeGreaterThan(0);
    await itemCard(page, data.items[0] as { description: string }).waitFor();
    await session.shot('expired link then id form');

    await expectHealthySession(session, [
      /status of 410 \(Gone\) @ .*\/api\/v1\/merchants\/demo\/lookup$/,
      OFFLINE_ERP_PICTURE,
    ]);
  } finally {
    await session.close();
  }
});

test('a tampered link is refused with a message and the id form', async () => {
  const session = await Session.open(browser, 'statement-link-tampered');
  const { page } = session;
  try {
    const link = await apiStatementLink(session, { idNumber: '79865432' });
    const token = link.url.slice(link.url.lastIndexOf('/') + 1);
    // One character changed in the middle of the sealed bytes.
    const at = Math.floor(token.length / 2);
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect(tampered).not.toBe(token);

    const answer = page.waitForResponse((r) => r.url().endsWith('/lookup'));
    await page.goto(session.url(`/demo/s/${tampered}`));
    const res = await answer;
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_token');

    await page.getByRole('heading', { level: 1, name: ES.invalidTitle }).waitFor();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Puede estar incompleto o modificado');
    expect(await page.getByLabel(ES.idLabel).isVisible()).toBe(true);
    // Nothing of the payer's leaked onto the page.
    expect(await page.getByRole('heading', { name: ES.itemsTitle }).count()).toBe(0);
    await session.shot('tampered link');
    await expectMobileLayout(page, 'tampered link page');

    await expectHealthySession(session, [
      /status of 400 \(Bad Request\) @ .*\/api\/v1\/merchants\/demo\/lookup$/,
    ]);
  } finally {
    await session.close();
  }
});
