import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, Session } from './support/browser';
import {
  expectAccessible,
  expectHealthySession,
  expectMobileLayout,
  OFFLINE_ERP_PICTURE,
} from './support/checks';
import {
  activate,
  BUYER,
  ES,
  fillCheckout,
  itemCard,
  lookupInUi,
  simulatorSummary,
  SIMULATOR_CHECKOUT,
} from './support/flow';

/**
 * docs/spec/channels.md "Merchant iframe": the merchant's page includes /embed.js; the portal runs in the iframe,
 * reports ready/resize/lookup_completed/payment_started to the page (no personal data, exact origin), and
 * PayU opens in the top window. A site the merchant did not allow cannot frame it.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface HostEvent {
  type: string;
  target: string;
  detail: { source: string; v: number; type: string; [key: string]: unknown };
}

const PAYER = { typed: '12.345.678', idNumber: '12345678', name: 'efipay' };
/** Keys each message may carry besides the envelope (docs/spec/channels.md): nothing else, so nothing personal. */
const ALLOWED_KEYS: Record<string, string[]> = {
  ready: [],
  resize: ['height'],
  lookup_completed: ['itemCount'],
  payment_started: ['reference'],
  payment_result: ['reference', 'status'],
  error: ['code'],
};

async function portalFrame(session: Session): Promise<Frame> {
  await expect.poll(() => session.page.frames().length).toBe(2);
  const frame = session.page.frames()[1];
  if (!frame) throw new Error('no iframe');
  return frame;
}

test('embedded: the host hears ready/resize/lookup_completed/payment_started, PayU opens top-level', async () => {
  const session = await Session.open(browser, 'iframe-flow');
  const { page, env } = session;
  const events: HostEvent[] = [];
  await page.exposeFunction('__saldoRecord', (json: string) => events.push(JSON.parse(json) as HostEvent));
  const ofType = (type: string) => events.filter((e) => e.detail.type === type);
  try {
    await page.goto(env.allowedHostUrl);
    const iframe = page.locator('.saldo-embed iframe');
    await iframe.waitFor();
    expect(await iframe.getAttribute('src')).toBe(
      `${session.portalOrigin}/demo?embed=1&origin=${encodeURIComponent(env.allowedHostUrl)}&page=%2F`,
    );
    await expect.poll(() => ofType('ready').length).toBe(1);
    await expect.poll(() => ofType('resize').length).toBeGreaterThan(0);

    // frame-ancestors lets this origin in, and no X-Frame-Options contradicts it.
    const doc = session.responses.find((r) => r.url.includes('/demo?embed=1'));
    const headers = (await doc?.headers) ?? {};
    expect(headers['content-security-policy']).toContain(`frame-ancestors ${env.allowedHostUrl}`);
    expect(headers['x-frame-options']).toBeUndefined();

    // The embedded portal has no header or footer of its own, and says where it will post.
    const frame = await portalFrame(session);
    await frame.getByRole('heading', { level: 1, name: ES.lookupTitle }).waitFor();
    expect(await frame.locator('header, footer').count()).toBe(0);
    expect(await frame.locator('meta[name="saldo-embed-origin"]').getAttribute('content')).toBe(
      env.allowedHostUrl,
    );

    // The iframe takes the height the portal reports.
    const height = () => iframe.evaluate((el) => Math.round(el.getBoundingClientRect().height));
    const lastResize = () => Number(ofType('resize').at(-1)?.detail.height);
    await expect.poll(async () => (await height()) === Math.max(120, Math.ceil(lastResize()))).toBe(true);
    const formHeight = await height();
    expect(formHeight).not.toBe(600); // embed.js's starting height
    await session.shot('host page with the portal');
    await expectMobileLayout(frame, 'embedded lookup page');
    await expectAccessible(session, frame, 'embedded lookup page (in the iframe)');

    // Interactions go through a frame locator, as a merchant's page would see the iframe.
    const framed = page.frameLocator('.saldo-embed iframe');
    const data = await lookupInUi(page, framed, PAYER.typed, 'keyboard');
    await expect.poll(() => ofType('lookup_completed').length).toBe(1);
    expect(ofType('lookup_completed')[0]?.detail.itemCount).toBe(data.items.length);
    // The list is taller than the form: the iframe grew with it.
    await expect.poll(height).toBeGreaterThan(formHeight);
    await expect.poll(async () => (await height()) === Math.ceil(lastResize())).toBe(true);
    await session.shot('items in the iframe');
    await expectMobileLayout(frame, 'embedded items page');
    await expectAccessible(session, frame, 'embedded items page (in the iframe)');

    const item = data.items.find((i) => i.payable);
    if (!item) throw new Error('no payable item');
    await activate(
      itemCard(framed, item).getByRole('button', { name: new RegExp(`^${ES.payOne}`) }),
      'keyboard',
    );
    await framed.getByRole('heading', { level: 1, name: ES.checkoutTitle }).waitFor();
    await fillCheckout(framed, BUYER);
    await session.shot('checkout in the iframe');
    await expectAccessible(session, frame, 'embedded checkout page (in the iframe)');
    await activate(framed.getByRole('button', { name: ES.checkoutSubmit }), 'keyboard');

    // The top window (the merchant's page) goes to PayU; the iframe is gone with it.
    await page.waitForURL(SIMULATOR_CHECKOUT);
    expect(page.url().startsWith(`${session.portalOrigin}/payu-sim/`)).toBe(true);
    expect(page.frames()).toHaveLength(1);
    await page.getByRole('heading', { name: 'Simulador de PayU' }).waitFor();
    await session.shot('payu simulator top-level');
    expect(ofType('payment_started')).toHaveLength(1);
    const reference = ofType('payment_started')[0]?.detail.reference;
    expect((await simulatorSummary(page)).Referencia).toBe(reference);

    // After PayU the payer is back on the merchant's page (not the portal's), with the result inside the
    // iframe there, and the page hears saldo:payment_result.
    await page.getByLabel('Aprobado', { exact: true }).check();
    await page.getByRole('button', { name: 'Continuar' }).tap();
    await page.waitForURL((url) => url.origin === env.allowedHostUrl && url.searchParams.has('saldo_result'));
    expect(new URL(page.url()).searchParams.get('saldo_result')).toBe(reference);
    const back = page.frameLocator('.saldo-embed iframe');
    await back.getByRole('heading', { level: 1, name: ES.approvedTitle }).waitFor({ timeout: 20_000 });
    await expect.poll(() => ofType('payment_result').length).toBe(1);
    expect(ofType('payment_result')[0]?.detail).toMatchObject({ reference, status: 'approved' });
    await session.shot('result inside the merchant page');

    // Every message: the portal's envelope, bubbling from .saldo-embed, only the documented keys.
    for (const event of events) {
      expect(event.type).toBe(`saldo:${event.detail.type}`);
      expect(event.target).toBe('saldo-embed');
      expect(event.detail).toMatchObject({ source: 'saldo', v: 1 });
      const extra = Object.keys(event.detail).filter((k) => !['source', 'v', 'type'].includes(k));
      expect(extra.sort(), `keys of ${event.detail.type}`).toEqual(
        [...(ALLOWED_KEYS[event.detail.type] ?? ['?'])].sort(),
      );
    }
    // No personal data: no id digits (any grouping), no name, masked or not.
    const json = JSON.stringify(events);
    expect(json).not.toMatch(/12\.?345\.?678/);
    expect(json.toLowerCase()).not.toContain(PAYER.name);
    expect(json).not.toContain('Ef**');
    expect(json).not.toContain(BUYER.email);
    expect(json).not.toContain(BUYER.phone);
    expect(ofType('error')).toEqual([]);

    await expectHealthySession(session, [OFFLINE_ERP_PICTURE]);
  } finally {
    await session.close();
  }
});

test('a site the merchant did not allow cannot frame the portal', async () => {
  const session = await Session.open(browser, 'iframe-refused');
  const { page, env } = session;
  try {
    const framed = page.waitForResponse((r) => r.url().includes('/demo?embed=1'));
    await page.goto(env.strangerHostUrl);
    const res = await framed;
    expect(res.status()).toBe(200);
    const csp = (await res.allHeaders())['content-security-policy'] ?? '';
    const ancestors = /frame-ancestors ([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];
    expect(ancestors).toEqual([env.allowedHostUrl]);
    expect(ancestors).not.toContain(env.strangerHostUrl);

    // Chromium refuses the frame: it holds its error page, not the portal.
    await expect.poll(() => page.frames()[1]?.url()).toBe('chrome-error://chromewebdata/');
    await expect
      .poll(() => session.console.map((c) => c.text).join('\n'))
      .toMatch(
        /Framing '.*' violates the following Content Security Policy directive: "frame-ancestors http:\/\/localhost:\d+"/,
      );
    const child = page.frames()[1];
    expect(await child?.evaluate(() => document.getElementById('root'))).toBeNull();
    // The portal never posted anything to this page.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __events: unknown[] }).__events)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __messages: unknown[] }).__messages)).toEqual(
      [],
    );
    // Even read directly, the page served for that origin names no parent to post to.
    const html = await (await page.request.get(res.url())).text();
    expect(html).not.toContain('saldo-embed-origin');
    await session.shot('refused frame');

    await expectHealthySession(session, [
      /^Framing '.*' violates the following Content Security Policy directive/,
    ]);
  } finally {
    await session.close();
  }
});
