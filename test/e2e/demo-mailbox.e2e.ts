import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LookupItem } from '../../shared/api/schemas';
import { launchChromium, Session } from './support/browser';
import { expectHealthySession, expectMobileLayout } from './support/checks';
import { DEMO } from './support/env';
import { apiLookup, ES } from './support/flow';

/**
 * Seed 000 from the payer's side (docs/spec/notifications.md "Messages"): the merchant sends a statement
 * (`POST …/statements`), it arrives by real SMTP in the demo's mailbox (`/demo/mail`), it shows one
 * "Paga con PayU" link per payable item and a grey, link-less button for each item that cannot be paid, and
 * a button opens the portal with that item — by a sealed link, with no id number in the URL.
 *
 * The e2e server runs the demo merchant with `SALDO_DEMO_COUNTRY=ZZ` (global-setup.ts): outside Colombia the
 * collection law does not hold a statement until 07:00, so this test passes at any hour.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAY = 'Paga con PayU';

async function sendStatement(session: Session, idNumber: string, email: string) {
  const res = await session.page.request.post(
    session.url(`/api/v1/merchants/${DEMO.merchantId}/statements`),
    {
      data: { idNumber, channel: 'email', email },
      headers: {
        Authorization: `Bearer ${DEMO.apiToken}`,
        'Idempotency-Key': `e2e-${email.replace(/[^A-Za-z0-9]/g, '-')}`,
      },
    },
  );
  expect(res.status(), await res.text()).toBe(202);
  return (await res.json()) as { items: number; payable: number };
}

/** Opens the demo mailbox, waits for the message to `email` and opens its HTML view. */
async function openMail(session: Session, email: string): Promise<Page> {
  const { page } = session;
  // The statement API wakes the notification job: wait for the message to be captured.
  await expect
    .poll(async () => {
      const res = await page.request.get(session.url('/demo/mail/messages.json'));
      const { messages } = (await res.json()) as { messages: { to: string }[] };
      return messages.some((m) => m.to.includes(email));
    })
    .toBe(true);
  await page.goto(session.url('/demo/mail'));
  const row = page.getByRole('row').filter({ hasText: email });
  expect(await row.getByRole('cell').nth(2).textContent()).toBe('Tu estado de cuenta con Tienda Demo S.A.S.');
  await row.getByRole('link', { name: 'HTML' }).click();
  await page.waitForURL(/\/demo\/mail\/\d+$/);
  return page;
}

function pending(items: readonly LookupItem[]) {
  return items.filter((i) => i.blockedReason !== 'paid');
}

test('a statement email in /demo/mail: one "Paga con PayU" per payable item; a button opens that item, no id in the URL', async () => {
  const session = await Session.open(browser, 'demo-mailbox');
  const { page, context } = session;
  const PAYER = '88776655'; // Andrés Gómez: USD and EUR items, all payable (no other browser test pays them)
  const email = `andres+${Date.now()}@example.co`;
  try {
    const { items } = await apiLookup(session, { idNumber: PAYER });
    const open = pending(items);
    const payable = open.filter((i) => i.payable);
    expect(payable.length).toBeGreaterThanOrEqual(2);
    expect(await sendStatement(session, PAYER, email)).toMatchObject({
      items: open.length,
      payable: payable.length,
    });

    await openMail(session, email);
    await session.shot('statement email');
    const buttons = page.getByRole('link', { name: PAY });
    expect(await buttons.count()).toBe(payable.length);
    const hrefs = await buttons.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) {
      const url = new URL(href);
      expect(url.origin).toBe(session.portalOrigin);
      expect(url.pathname).toMatch(/^\/demo\/s\/[A-Za-z0-9_-]{40,}$/);
      expect(href).not.toContain(PAYER);
    }
    expect(new Set(hrefs).size).toBe(hrefs.length);
    // The page of one message shows no id number (the payer is named by a masked name only).
    expect(await page.locator('body').textContent()).not.toContain(PAYER);

    // The email lists the items in the lookup's order: the second button is the second payable item.
    const target = payable[1]!;
    const popup = context.waitForEvent('page');
    await buttons.nth(1).click();
    const portal = await popup;
    session.record(portal);
    await portal.getByRole('heading', { name: ES.itemsTitle }).waitFor();
    expect(portal.url()).toBe(hrefs[1]);
    expect(portal.url()).not.toContain(PAYER);
    expect(await portal.getByLabel(ES.idLabel).count()).toBe(0);
    const linked = portal.locator('li.item-card-linked');
    expect(await linked.count()).toBe(1);
    expect(await linked.textContent()).toContain(`Ref. ${target.ref}`);
    expect(await linked.getByRole('checkbox').isChecked()).toBe(true);
    await session.shot('portal from the email', portal);
    await expectMobileLayout(portal, 'statement link from the email');
    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});

test('an item that cannot be paid shows a grey button without a link, and its reason', async () => {
  const session = await Session.open(browser, 'demo-mailbox-disabled');
  const { page } = session;
  const PAYER = '1098765432'; // Sebastián Torres: an item under the merchant minimum (COP 8.000)
  const email = `sebastian+${Date.now()}@example.co`;
  try {
    const { items } = await apiLookup(session, { idNumber: PAYER });
    const open = pending(items);
    const payable = open.filter((i) => i.payable);
    const blocked = open.filter((i) => !i.payable);
    expect(blocked.map((i) => i.blockedReason)).toContain('below_minimum');
    expect(await sendStatement(session, PAYER, email)).toMatchObject({
      items: open.length,
      payable: payable.length,
    });

    await openMail(session, email);
    await session.shot('statement email with a disabled button');
    expect(await page.getByRole('link', { name: PAY }).count()).toBe(payable.length);
    const grey = page.locator('[aria-disabled="true"]');
    expect(await grey.count()).toBe(blocked.length);
    for (let i = 0; i < blocked.length; i++) {
      expect(await grey.nth(i).textContent()).toBe(PAY);
      // Not a link at all: no anchor around or inside it.
      expect(await grey.nth(i).evaluate((el) => el.closest('a') === null && !el.querySelector('a'))).toBe(
        true,
      );
    }
    await page.getByText('El saldo es menor que el pago mínimo de $ 10.000.').waitFor();
    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});
