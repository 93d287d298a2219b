import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Session } from './browser';

type Target = Page | Frame;

/** Intl output uses U+00A0/U+202F between "$" and the digits; compare text with plain spaces. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/**
 * An API amount ("258000", "49.99") as the payer must see it: Intl.NumberFormat for the display locale and
 * the item's currency, with exactly the digits the API sent (COP 0, USD/EUR 2). Written here from scratch,
 * not imported from web/, so a wrong formatter in the SPA cannot agree with itself.
 */
export function money(amount: string, currency: string, locale = 'es-CO'): string {
  const digits = amount.includes('.') ? (amount.split('.')[1]?.length ?? 0) : 0;
  const nf = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // ES2023: format() takes a decimal string and formats it exactly (no float on the way).
  return squash((nf.format as unknown as (value: string) => string)(amount));
}

/** docs/spec/channels.md: nothing scrolls sideways at 360 px. */
export async function expectNoHorizontalScroll(target: Target, what: string): Promise<void> {
  const widths = await target.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    body: document.body.scrollWidth,
  }));
  expect(
    widths.scroll,
    `${what}: document is ${widths.scroll}px wide at a 360px viewport`,
  ).toBeLessThanOrEqual(360);
  expect(widths.body, `${what}: body is ${widths.body}px wide`).toBeLessThanOrEqual(360);
}

export interface SmallTarget {
  readonly what: string;
  readonly height: number;
}

/**
 * docs/spec/channels.md: touch targets ≥ 44 px. Buttons, button-looking links, text inputs, selects and text areas
 * are measured themselves; a checkbox or radio by its label (the label is its tap area). Hidden things,
 * the off-screen skip link and visually-hidden text are not targets.
 */
export async function smallTouchTargets(target: Target): Promise<SmallTarget[]> {
  return target.evaluate(() => {
    const out: { what: string; height: number }[] = [];
    const visible = (el: Element) => {
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return (
        rect.width > 1 &&
        rect.height > 1 &&
        style.visibility !== 'hidden' &&
        rect.bottom + window.scrollY > 0 &&
        !el.closest('.visually-hidden')
      );
    };
    const describe = (el: Element) => {
      const name =
        el.getAttribute('aria-label') ??
        (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null) ??
        el.textContent ??
        '';
      return `<${el.tagName.toLowerCase()}${el.getAttribute('type') ? ` type=${el.getAttribute('type')}` : ''}> "${name.trim().slice(0, 60)}"`;
    };
    const selector =
      'button, a.button, [role="button"], select, textarea, input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"])';
    for (const el of document.querySelectorAll(selector)) {
      if (!visible(el)) continue;
      const height = el.getBoundingClientRect().height;
      if (height < 44) out.push({ what: describe(el), height });
    }
    for (const el of document.querySelectorAll('input[type="checkbox"], input[type="radio"]')) {
      if (!visible(el)) continue;
      const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : el.closest('label');
      const height = label ? label.getBoundingClientRect().height : el.getBoundingClientRect().height;
      if (height < 44) out.push({ what: `${describe(el)} (its label)`, height });
    }
    return out;
  });
}

export async function expectTouchTargets(target: Target, what: string): Promise<void> {
  expect(await smallTouchTargets(target), `${what}: touch targets under 44px`).toEqual([]);
}

/** Both mobile-layout checks for one screen. */
export async function expectMobileLayout(target: Target, what: string): Promise<void> {
  await expectNoHorizontalScroll(target, what);
  await expectTouchTargets(target, what);
}

// --- axe-core --------------------------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: { target: string; html: string; summary: string }[];
}

/**
 * Runs axe-core (all rules enabled by default: WCAG 2.0/2.1/2.2 A and AA and best practices) in a page or
 * a frame. The portal's CSP (script-src 'self') refuses an injected <script> (page.addScriptTag), as it
 * should; Playwright's evaluate goes through the DevTools protocol, which CSP does not govern, so axe is
 * evaluated as source text in the page's own world and no CSP has to be bypassed.
 */
export async function axeViolations(target: Target): Promise<AxeViolation[]> {
  const loaded = await target.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await target.evaluate(AXE_SOURCE);
  return target.evaluate(async () => {
    interface AxeResult {
      id: string;
      impact?: string | null;
      help: string;
      nodes: { target: unknown[]; html: string; failureSummary?: string }[];
    }
    const axe = (
      window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeResult[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' '),
        html: n.html.slice(0, 200),
        summary: n.failureSummary ?? '',
      })),
    }));
  });
}

/** Asserts zero violations and appends the page to test-artifacts/e2e/axe-report.jsonl. */
export async function expectAccessible(session: Session, target: Target, what: string): Promise<void> {
  const violations = await axeViolations(target);
  appendFileSync(
    join(session.env.artifactsDir, 'axe-report.jsonl'),
    `${JSON.stringify({ page: what, url: target.url(), violations })}\n`,
  );
  expect(violations, `axe-core violations on ${what}`).toEqual([]);
}

// --- security headers and console ------------------------------------------------------------------------

/**
 * Every response from the portal's origin that the browser received in this session: CSP, nosniff,
 * Referrer-Policy no-referrer; API responses no-store. GET /api/v1/merchants/:id/public is the one API
 * response that chose to be cacheable (bff/http/security-headers.ts: name, locale and colour for the page
 * chrome, no payer data), so it is held to "no payer data, short public cache" instead.
 * Returns how many responses were checked.
 */
export async function expectPortalHeaders(session: Session): Promise<number> {
  const problems: string[] = [];
  let checked = 0;
  for (const r of session.responses) {
    const url = new URL(r.url);
    if (url.origin !== session.portalOrigin) continue;
    const h = await r.headers;
    const where = `${r.method} ${url.pathname} (${r.status})`;
    if (!h) {
      problems.push(`${where}: the browser could not report its headers`);
      continue;
    }
    checked += 1;
    if (!h['content-security-policy']) problems.push(`${where}: no Content-Security-Policy`);
    if (h['x-content-type-options'] !== 'nosniff')
      problems.push(`${where}: X-Content-Type-Options is not nosniff`);
    if (h['referrer-policy'] !== 'no-referrer')
      problems.push(`${where}: Referrer-Policy is ${h['referrer-policy']}`);
    if (url.pathname.startsWith('/api/')) {
      const cache = h['cache-control'] ?? '';
      if (/^\/api\/v1\/merchants\/[^/]+\/public$/.test(url.pathname) && r.method === 'GET') {
        if (!/^public, max-age=\d+$/.test(cache)) problems.push(`${where}: Cache-Control ${cache}`);
      } else if (!cache.split(/,\s*/).includes('no-store')) {
        problems.push(`${where}: Cache-Control is "${cache}", not no-store`);
      }
    }
  }
  expect(problems, 'security headers of portal responses').toEqual([]);
  return checked;
}

/**
 * No console error or uncaught exception, except the ones a test expects (a refused frame, the
 * "Failed to load resource" Chromium logs for an expected 4xx). Patterns match "<text> @ <url>".
 */
export function expectNoConsoleErrors(session: Session, expected: readonly RegExp[] = []): void {
  const unexpected = session.console.filter((e) => !expected.some((re) => re.test(`${e.text} @ ${e.url}`)));
  expect(unexpected, 'console errors and page errors').toEqual([]);
}

/**
 * Seed 003 (payer 12345678) carries the ERP's picture https://efipay.co/images/logo.svg; this machine has no
 * internet (and the client-IP proxy only reaches loopback), so Chromium logs its failed load. Not a portal
 * error: the SPA shows https pictures from the ERP as they are.
 */
export const OFFLINE_ERP_PICTURE = /^Failed to load resource: .* @ https:\/\/efipay\.co\//;

/** The end of every browser test: headers of everything the portal sent, and a clean console. */
export async function expectHealthySession(
  session: Session,
  expectedConsole: readonly RegExp[] = [],
): Promise<void> {
  expectNoConsoleErrors(session, expectedConsole);
  expect(await expectPortalHeaders(session)).toBeGreaterThan(0);
}
