import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LookupResponse } from '../../shared/api/schemas';
import { launchChromium, Session } from './support/browser';
import { expectAccessible, expectHealthySession, expectMobileLayout, money, squash } from './support/checks';
import { DEMO } from './support/env';
import {
  apiPayment,
  BUYER,
  ES,
  expectBreakdownsMatch,
  fillCheckout,
  itemCard,
  payInSimulator,
  simulatorSummary,
  SIMULATOR_CHECKOUT,
} from './support/flow';

/**
 * docs/spec/merchant-charges.md "What the payer sees": a merchant charge's link `/{merchant}/c/{linkId}` on a
 * 360 px phone shows that one charge (amount, due date, early-payment incentive) without asking for an id
 * number, pays through the PayU simulator to an approved receipt, and afterwards shows it paid; an expired
 * charge and an unknown link get their own pages. axe-core finds nothing on any of them.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const DEMO_PAYER = '1122334455'; // Valentina Ruiz: the demo merchant's pushed charges (bff/demo/demo-charges.ts)
const TIERS = 'Mensualidad de diciembre: paga antes y ahorra'; // fixed incentive tiers, a support document
const CHARGE_TITLE = 'Tu cobro';
const CHARGE_API = /\/api\/v1\/merchants\/demo\/charges\/[A-Za-z0-9_-]+$/;

interface ListedCharge {
  external_reference: string;
  description: string;
  link: string;
  status: string;
}

/** The merchant's own view of its charges (the charge API, as the merchant's system calls it). */
async function merchantCharges(session: Session): Promise<ListedCharge[]> {
  const res = await session.page.request.get(session.url(`/v1/merchant/transaction?payer=${DEMO_PAYER}`), {
    headers: { 'x-auth-token': DEMO.apiToken },
  });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { items: ListedCharge[] }).items;
}

/** Opens a charge link and resolves with the charge answer the SPA received. */
async function openLink(session: Session, link: string): Promise<{ status: number; body: unknown }> {
  const answer = session.page.waitForResponse(
    (r) => CHARGE_API.test(r.url()) && r.request().method() === 'GET',
  );
  await session.page.goto(link);
  const res = await answer;
  return { status: res.status(), body: await res.json() };
}

test('phone: a demo charge’s link shows amount, due date and incentive, pays with PayU, then shows it paid', async () => {
  const session = await Session.open(browser, 'charge-link');
  const { page } = session;
  try {
    const charge = (await merchantCharges(session)).find((c) => c.description === TIERS);
    if (!charge) throw new Error('the demo charge with incentive tiers is missing');
    const link = new URL(charge.link);
    expect(link.origin).toBe(session.portalOrigin);
    expect(link.pathname).toMatch(/^\/demo\/c\/[A-Za-z0-9_-]{24}$/);

    const opened = await openLink(session, charge.link);
    expect(opened.status).toBe(200);
    const data = opened.body as LookupResponse;
    expect(data.linkedRef).toBe(charge.external_reference);
    const [item] = data.items;
    if (!item) throw new Error('the charge answer has no item');
    expect(item).toMatchObject({ source: 'charge', payable: true, amount: '80000' });
    // The first tier applies today: an incentive with its deadline.
    expect(Number(item.discount)).toBeGreaterThan(0);
    expect(item.discountUntil).not.toBeNull();

    await page.getByRole('heading', { level: 1, name: CHARGE_TITLE }).waitFor();
    const card = itemCard(page, item);
    await card.waitFor();
    // No id number is asked: the link is the credential.
    expect(await page.getByLabel(ES.idLabel).count()).toBe(0);
    await expectBreakdownsMatch(page, data);
    const text = squash((await card.textContent()) ?? '');
    expect(text).toContain('Fecha límite:');
    expect(text).toContain('hasta el');
    expect(text).toContain(ES.linked);
    expect(await card.getByRole('link', { name: 'Ver soporte' }).getAttribute('href')).toMatch(/^https:\/\//);
    await session.shot('charge link');
    await expectMobileLayout(page, 'charge link page');
    await expectAccessible(session, page, 'charge link page (payable, incentive tiers)');

    await card.getByRole('button', { name: new RegExp(`^${ES.payOne}`) }).tap();
    await page.waitForURL(/\/demo\/pay$/);
    await page.getByRole('heading', { level: 1, name: ES.checkoutTitle }).waitFor();
    await expect
      .poll(async () => squash((await page.locator('.summary-total strong').textContent()) ?? ''))
      .toBe(money(item.balance, 'COP'));
    await fillCheckout(page, BUYER);
    await page.getByRole('button', { name: ES.checkoutSubmit }).tap();
    await page.waitForURL(SIMULATOR_CHECKOUT);
    const summary = await simulatorSummary(page);
    expect(summary.Valor).toBe(`${item.balance} COP`);

    const reference = await payInSimulator(page, 'Aprobado');
    await page.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    const line = squash((await page.locator('.receipt-items li').first().textContent()) ?? '');
    expect(line).toContain(TIERS);
    expect(line).toContain(`Ref. ${charge.external_reference}`);
    expect(line).toContain(money(item.balance, 'COP'));
    await session.shot('charge paid: result');
    await expectMobileLayout(page, 'result page of a charge');
    expect(await apiPayment(session, reference)).toMatchObject({ status: 'approved', amount: item.balance });

    // The same link now: the charge is paid, nothing left to pay.
    const again = await openLink(session, charge.link);
    expect((again.body as LookupResponse).items[0]).toMatchObject({ blockedReason: 'paid', payable: false });
    const paidCard = itemCard(page, item);
    await paidCard.getByText('Pagado', { exact: true }).waitFor();
    expect(await paidCard.getByRole('button', { name: new RegExp(`^${ES.payOne}`) }).count()).toBe(0);
    await session.shot('charge link after paying');
    await expectMobileLayout(page, 'paid charge link page');
    await expectAccessible(session, page, 'charge link page (paid)');

    await expectHealthySession(session);
  } finally {
    await session.close();
  }
});

test('an expired charge and an unknown link show their own pages', async () => {
  const session = await Session.open(browser, 'charge-link-expired');
  const { page } = session;
  try {
    // The merchant's system pushes a charge that expired yesterday (Bogotá's calendar day).
    const yesterday = new Date(Date.now() - 5 * 60 * 60 * 1000 - 24 * 60 * 60 * 1000)
      .toISOString()
      .slice(0, 10);
    const created = await page.request.post(session.url('/v1/merchant/transaction'), {
      headers: { 'x-auth-token': DEMO.apiToken },
      data: {
        amount: 42000,
        currency: 'COP',
        description: 'Inscripción al torneo de octubre',
        merchant_id_number: '900373923',
        merchant_phone: '573001234567',
        limit_date: yesterday,
        expiration: true,
        payer: { user_id_type: 'CC', user_id_number: DEMO_PAYER, first_name: 'Valentina' },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { link } = (await created.json()) as { link: string };

    const opened = await openLink(session, link);
    expect(opened.status).toBe(200);
    const [item] = (opened.body as LookupResponse).items;
    expect(item).toMatchObject({ blockedReason: 'expired', payable: false });
    await page.getByRole('heading', { level: 1, name: CHARGE_TITLE }).waitFor();
    const card = itemCard(page, { description: 'Inscripción al torneo de octubre' });
    await card.getByText('Vencido', { exact: true }).waitFor();
    expect(await card.getByRole('button', { name: new RegExp(`^${ES.payOne}`) }).count()).toBe(0);
    await session.shot('expired charge');
    await expectMobileLayout(page, 'expired charge link page');
    await expectAccessible(session, page, 'charge link page (expired)');

    // A link that names no charge (a withdrawn or mistyped one): said so, and the id form instead.
    const unknown = await openLink(session, session.url('/demo/c/AAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(unknown.status).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'No encontramos este cobro' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.getByLabel(ES.idLabel).isVisible()).toBe(true);
    await session.shot('unknown charge link');
    await expectMobileLayout(page, 'unknown charge link page');
    await expectAccessible(session, page, 'charge link page (unknown link)');

    await expectHealthySession(session, [
      /status of 404 \(Not Found\) @ .*\/api\/v1\/merchants\/demo\/charges\/A+$/,
    ]);
  } finally {
    await session.close();
  }
});
