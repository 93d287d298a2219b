import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type {
  CheckoutResponse,
  LookupItem,
  LookupResponse,
  PaymentResponse,
} from '../../../shared/api/schemas';
import type { Session } from './browser';
import { money, squash } from './checks';
import { DEMO } from './env';

/** The SPA's Spanish texts the tests look for (web/i18n/es/first.ts and later.ts). */
export const ES = {
  lookupTitle: 'Consulta y paga tus facturas',
  idLabel: 'Número de identificación (cédula o NIT)',
  lookupSubmit: 'Consultar',
  itemsTitle: 'Tus pagos pendientes',
  another: 'Consultar otro número',
  amountLabel: 'Valor a pagar',
  payOne: 'Pagar con PayU',
  checkoutTitle: 'Datos para el pago',
  email: 'Correo electrónico',
  fullName: 'Nombre completo',
  phone: 'Teléfono celular',
  street: 'Dirección',
  city: 'Ciudad',
  checkoutSubmit: 'Ir a pagar con PayU',
  fixErrors: 'Revisa los campos marcados.',
  approvedTitle: 'Pago aprobado',
  pendingTitle: 'Pago en proceso',
  notStartedTitle: 'Pago sin terminar',
  payAnother: 'Pagar otra factura',
  linked: 'Este es el pago de tu enlace.',
  expiredTitle: 'Este enlace ya venció',
  invalidTitle: 'Este enlace no es válido',
} as const;

/** The breakdown's own words (web/features/items/item-card.tsx, web/i18n/{es,en}/later.ts), by display locale. */
const BREAKDOWN_LABELS = {
  es: {
    amount: 'Valor',
    discount: 'Descuento',
    lateFee: 'Intereses de mora',
    delivery: 'Envío',
    paid: 'Abonado',
    withheld: 'Retenido',
    total: 'Total',
    balance: 'Saldo',
    minimum: 'Pago mínimo',
  },
  en: {
    amount: 'Amount',
    discount: 'Discount',
    lateFee: 'Late fee',
    delivery: 'Delivery',
    paid: 'Already paid',
    withheld: 'Withheld',
    total: 'Total',
    balance: 'Balance',
    minimum: 'Minimum payment',
  },
} as const;

type Scope = Page | Frame | FrameLocator;

const isZero = (amount: string) => /^0+(\.0+)?$/.test(amount);

/** The payer may choose an amount when a partial amount is possible (docs/spec/pricing.md: maxPartial). */
export function hasAmountChoice(item: LookupItem): boolean {
  return item.payable && item.maxPartial !== null;
}

/** The breakdown an item must show: label → money text (signs as the card writes them). */
export function expectedBreakdown(item: LookupItem, locale = 'es-CO'): Record<string, string> {
  const m = (amount: string) => money(amount, item.currency, locale);
  const label = BREAKDOWN_LABELS[locale.startsWith('en') ? 'en' : 'es'];
  const rows: Record<string, string> = { [label.amount]: m(item.amount) };
  if (!isZero(item.discount)) rows[label.discount] = `−${m(item.discount)}`;
  if (!isZero(item.lateFee)) rows[label.lateFee] = `+${m(item.lateFee)}`;
  if (!isZero(item.delivery)) rows[label.delivery] = `+${m(item.delivery)}`;
  if (!isZero(item.paid)) rows[label.paid] = `−${m(item.paid)}`;
  // What a company withheld on an earlier payment (another test of the suite may have paid this item).
  if (item.withheld !== undefined && !isZero(item.withheld)) rows[label.withheld] = `−${m(item.withheld)}`;
  rows[label.total] = m(item.total);
  rows[label.balance] = m(item.balance);
  if (hasAmountChoice(item)) rows[label.minimum] = m(item.minimum);
  return rows;
}

/** An item's card: the <article> named by its description. */
export function itemCard(scope: Scope, item: Pick<LookupItem, 'description'>): Locator {
  return scope.getByRole('article', { name: item.description, exact: true });
}

/** The breakdown a card shows: each <dt>'s own label (without its note) → its <dd>. */
export async function shownBreakdown(card: Locator): Promise<Record<string, string>> {
  const rows = await card.locator('dl.breakdown > div').evaluateAll((divs) =>
    divs.map((div) => {
      const dt = div.querySelector('dt');
      const label = dt?.firstChild?.textContent ?? '';
      return [label, div.querySelector('dd')?.textContent ?? ''] as const;
    }),
  );
  return Object.fromEntries(rows.map(([label, value]) => [squash(label), squash(value)]));
}

/** Every card of a lookup shows exactly the API's numbers, formatted for es-CO and its currency. */
export async function expectBreakdownsMatch(
  scope: Scope,
  data: LookupResponse,
  locale = 'es-CO',
): Promise<void> {
  await expect.poll(() => scope.locator('article').count()).toBe(data.items.length);
  for (const item of data.items) {
    const card = itemCard(scope, item);
    expect(await shownBreakdown(card), `breakdown of ${item.ref}`).toEqual(expectedBreakdown(item, locale));
    await expect.poll(() => card.textContent()).toContain(item.ref);
  }
}

// --- API (through the session's own client IP) ----------------------------------------------------------

export async function apiLookup(
  session: Session,
  body: { idNumber: string } | { token: string },
): Promise<LookupResponse> {
  const res = await session.page.request.post(session.url(`/api/v1/merchants/${DEMO.merchantId}/lookup`), {
    data: body,
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as LookupResponse;
}

export async function apiPayment(session: Session, reference: string): Promise<PaymentResponse> {
  const res = await session.page.request.get(
    session.url(`/api/v1/merchants/${DEMO.merchantId}/payments/${encodeURIComponent(reference)}`),
  );
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as PaymentResponse;
}

export async function apiStatementLink(
  session: Session,
  body: { idNumber: string; ref?: string; expiresInDays?: number },
): Promise<{ url: string; expiresAt: string }> {
  const res = await session.page.request.post(session.url(`/api/v1/merchants/${DEMO.merchantId}/links`), {
    data: body,
    headers: { Authorization: `Bearer ${DEMO.apiToken}` },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { url: string; expiresAt: string };
}

/** A checkout made without the browser (the payer never reaches PayU: it stays pending). */
export async function apiCheckout(
  session: Session,
  body: { idNumber: string; items: { ref: string; amount: string }[] },
): Promise<CheckoutResponse> {
  const res = await session.page.request.post(session.url(`/api/v1/merchants/${DEMO.merchantId}/checkout`), {
    data: { ...body, buyer: BUYER, lng: 'es' },
    headers: { 'Idempotency-Key': `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}` },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as CheckoutResponse;
}

// --- UI steps ---------------------------------------------------------------------------------------------

export const BUYER = {
  email: 'pagador@example.com',
  fullName: 'Pagador de Prueba',
  phone: '3001234567',
} as const;

/**
 * How a test presses things: `tap` (a finger, the phone tests) or `keyboard` (focus and Enter). Inside the
 * merchant's cross-origin iframe the browser suite uses the keyboard: Chromium's mobile emulation once
 * hit-tested a tap in the frame at a point shifted onto the paragraph above the input (CI, not reproducible
 * here in 12 runs at load 6–18), which says nothing about the portal; taps are covered top-level.
 */
export type Press = 'tap' | 'keyboard';

/** Activates a button or focuses a field the way `press` says. */
export async function activate(target: Locator, press: Press): Promise<void> {
  if (press === 'tap') {
    await target.tap();
    return;
  }
  await target.focus();
  await target.press('Enter');
}

/**
 * Types an id number in the form and submits it; resolves with the lookup response the SPA received,
 * once the list is on screen.
 */
export async function lookupInUi(
  page: Page,
  scope: Scope,
  idNumber: string,
  press: Press = 'tap',
): Promise<LookupResponse> {
  const answer = page.waitForResponse((r) => r.url().endsWith('/lookup') && r.request().method() === 'POST');
  const input = scope.getByLabel(ES.idLabel);
  if (press === 'tap') await input.tap();
  else await input.focus();
  await input.fill('');
  await input.pressSequentially(idNumber);
  await activate(scope.getByRole('button', { name: ES.lookupSubmit, exact: true }), press);
  const res = await answer;
  expect(res.status()).toBe(200);
  const data = (await res.json()) as LookupResponse;
  await scope.getByRole('heading', { name: ES.itemsTitle }).waitFor();
  return data;
}

/** Back to the id form from a list ("Consultar otro número"). */
export async function lookupAnother(scope: Scope): Promise<void> {
  await scope.getByRole('button', { name: ES.another }).tap();
  await scope.getByLabel(ES.idLabel).waitFor();
}

export interface CheckoutValues {
  email: string;
  fullName: string;
  phone: string;
  street?: string;
  city?: string;
  comment?: { label: string; text: string };
}

export async function fillCheckout(scope: Scope, values: CheckoutValues): Promise<void> {
  await scope.getByLabel(ES.email).fill(values.email);
  await scope.getByLabel(ES.fullName).fill(values.fullName);
  await scope.getByLabel(ES.phone).fill(values.phone);
  if (values.street !== undefined) await scope.getByLabel(ES.street, { exact: true }).fill(values.street);
  if (values.city !== undefined) await scope.getByLabel(ES.city, { exact: true }).fill(values.city);
  if (values.comment) await scope.getByLabel(values.comment.label).fill(values.comment.text);
}

export const SIMULATOR_CHECKOUT = /\/payu-sim\/checkout(\?|$)/;
export const RESULT_PAGE = /\/demo\/pay\/result\/([^/?#]+)/;

/** On the PayU simulator (top-level): picks an outcome with taps and continues to the result page. */
export async function payInSimulator(
  page: Page,
  outcome: 'Aprobado' | 'Pendiente y luego aprobado',
): Promise<string> {
  await page.getByLabel(outcome, { exact: true }).check();
  await page.getByRole('button', { name: 'Continuar' }).tap();
  await page.waitForURL(RESULT_PAGE);
  return decodeURIComponent(RESULT_PAGE.exec(page.url())?.[1] ?? '');
}

/** The simulator's summary (its <dl>): label → value. */
export async function simulatorSummary(page: Page): Promise<Record<string, string>> {
  const pairs = await page.locator('dl').evaluate((dl) => {
    const out: [string, string][] = [];
    dl.querySelectorAll('dt').forEach((dt) =>
      out.push([dt.textContent ?? '', dt.nextElementSibling?.textContent ?? '']),
    );
    return out;
  });
  return Object.fromEntries(pairs);
}
