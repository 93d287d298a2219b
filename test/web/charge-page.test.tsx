import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { LookupItem } from '../../shared/api/schemas';
import { apiError, fakeApi, json, type FakeRoutes } from './support/fake-api';
import { item, lookupResponse } from './support/fixtures';
import { renderApp } from './support/render';

/**
 * The charge link page `/{merchant}/c/{linkId}` (web/app/pages/charge-page.tsx, docs/spec/merchant-charges.md):
 * one charge, no id number asked, its incentive deadline and pay button; paid, expired and unknown links.
 */

const LINK = 'Zk3v9x2m7q1abQ4tW8yR0c5n';
const REF = 'k3v9x2m7q1ab';

function chargeItem(overrides: Partial<LookupItem> = {}): LookupItem {
  return item({
    ref: REF,
    source: 'charge',
    description: 'Mensualidad de diciembre: paga antes y ahorra',
    amount: '80000',
    discount: '5000',
    discountUntil: '2025-03-13',
    lateFee: '0',
    delivery: '0',
    total: '75000',
    balance: '75000',
    minimum: '75000',
    maxPartial: null,
    limitDate: '2025-03-25',
    references: ['Contrato C-204', 'Sede norte'],
    picture: null,
    attachment: 'https://example.com/soportes/contrato-c-204.pdf',
    ...overrides,
  });
}

function chargeAnswer(overrides: Partial<LookupItem> = {}) {
  return lookupResponse({
    items: [chargeItem(overrides)],
    payer: { maskedName: 'Va*******' },
    linkedRef: REF,
  });
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let submitted: HTMLFormElement[] = [];
beforeEach(() => {
  submitted = [];
  vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(function (this: HTMLFormElement) {
    submitted.push(this);
  });
});

function open(routes: FakeRoutes, language?: 'es' | 'en') {
  const api = fakeApi(routes);
  const view = renderApp(`/demo/c/${LINK}`, { fetch: api.fetch, ...(language ? { language } : {}) });
  return { ...view, api };
}

async function card(name: string) {
  return (await screen.findByRole('heading', { level: 3, name })).closest('article') as HTMLElement;
}

describe('charge link page', () => {
  test('loads the one charge (no id number asked), then shows amount, due date, incentive deadline, support and pay', async () => {
    const answer = deferred<Response>();
    const { api, router } = open({ charge: () => answer.promise });

    expect(await screen.findByRole('heading', { level: 1, name: 'Tu cobro' })).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Consultando tus pagos pendientes…'),
    );
    expect(screen.queryByLabelText(/Número de identificación/)).toBeNull();
    answer.resolve(json(chargeAnswer()));

    const article = await card('Mensualidad de diciembre: paga antes y ahorra');
    const inCard = within(article);
    expect(inCard.getByText('Este es el pago de tu enlace.')).toBeTruthy();
    expect(inCard.getByText(`Ref. ${REF} · Referencias: Contrato C-204, Sede norte`)).toBeTruthy();
    expect(inCard.getByText(/^Fecha límite: 25/)).toBeTruthy();
    expect(inCard.getByText(/hasta el 13/)).toBeTruthy();
    expect(inCard.getByText('$ 80.000')).toBeTruthy();
    expect(inCard.getByText('−$ 5.000')).toBeTruthy();
    const support = inCard.getByRole('link', { name: 'Ver soporte' });
    expect(support.getAttribute('href')).toBe('https://example.com/soportes/contrato-c-204.pdf');
    expect(inCard.getByRole('button', { name: /Pagar con PayU/ })).toBeTruthy();

    // One GET of that charge: the lookup endpoint (id numbers) is never asked, the link stays in the path only.
    expect(api.callsTo('charge').map((c) => [c.method, c.path])).toEqual([
      ['GET', `/api/v1/merchants/demo/charges/${LINK}`],
    ]);
    expect(api.callsTo('lookup')).toHaveLength(0);
    expect(router.state.location.pathname).toBe(`/demo/c/${LINK}`);
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  test('pays the charge through checkout naming the link, not a payer', async () => {
    const { user, api, router } = open({
      charge: () => json(chargeAnswer()),
      checkout: () =>
        json(
          {
            reference: 'SALDO-CHG001',
            action: '/payu-sim/checkout',
            method: 'POST',
            fields: { referenceCode: 'SALDO-CHG001', amount: '75000', currency: 'COP', signature: 'x' },
          },
          201,
        ),
    });
    const article = await card('Mensualidad de diciembre: paga antes y ahorra');
    await user.click(within(article).getByRole('button', { name: /Pagar con PayU/ }));

    await screen.findByRole('heading', { level: 1, name: 'Datos para el pago' });
    expect(router.state.location.pathname).toBe('/demo/pay');
    expect(screen.getByText('$ 75.000', { selector: 'strong' })).toBeTruthy();
    await user.type(screen.getByLabelText('Correo electrónico'), 'valentina@correo.co');
    await user.type(screen.getByLabelText('Nombre completo'), 'Valentina Ruiz');
    await user.type(screen.getByLabelText('Teléfono celular'), '3001234567');
    await user.click(screen.getByRole('button', { name: 'Ir a pagar con PayU' }));

    await waitFor(() => expect(submitted).toHaveLength(1));
    const body = api.callsTo('checkout')[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ charge: LINK, items: [{ ref: REF, amount: '75000', source: 'charge' }] });
    expect(body).not.toHaveProperty('idNumber');
  });

  test('a paid charge is shown as paid, with nothing to pay', async () => {
    open({
      charge: () =>
        json(
          chargeAnswer({ payable: false, blockedReason: 'paid', paid: '75000', balance: '0', discount: '0' }),
        ),
    });
    const article = await card('Mensualidad de diciembre: paga antes y ahorra');
    expect(within(article).getByText('Pagado')).toBeTruthy();
    expect(within(article).queryByRole('button', { name: /Pagar con PayU/ })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('an expired charge says so, with nothing to pay', async () => {
    open({
      charge: () =>
        json(
          chargeAnswer({
            payable: false,
            blockedReason: 'expired',
            limitDate: '2025-03-01',
            discount: '0',
            discountUntil: null,
            daysOverdue: 9,
          }),
        ),
    });
    const article = await card('Mensualidad de diciembre: paga antes y ahorra');
    expect(within(article).getByText('Vencido')).toBeTruthy();
    expect(within(article).queryByRole('button', { name: /Pagar con PayU/ })).toBeNull();
  });

  test('an unknown or withdrawn link says so and offers the id number form instead', async () => {
    const { user, api, router } = open({
      charge: () => apiError(404, 'not_found'),
      lookup: () => json(lookupResponse()),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'No encontramos este cobro' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'El enlace puede estar incompleto o el comercio lo retiró. Escribe tu número de identificación para ver tus pagos pendientes.',
    );
    await user.type(screen.getByLabelText('Número de identificación (cédula o NIT)'), '12.345.678');
    await user.click(screen.getByRole('button', { name: 'Consultar' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' })).toBeTruthy();
    expect(api.callsTo('lookup')[0]?.body).toEqual({ idNumber: '12345678' });
    // The payer's whole list is not "Tu cobro": it is shown on the merchant's lookup page.
    await waitFor(() => expect(router.state.location.pathname).toBe('/demo'));
    expect(screen.queryByRole('heading', { level: 1, name: 'Tu cobro' })).toBeNull();
    expect(screen.getByRole('heading', { level: 2, name: 'Tus pagos pendientes' })).toBeTruthy();
  });

  test('"Consultar otro número" on a charge leads to the merchant’s id form', async () => {
    const { user, router } = open({ charge: () => json(chargeAnswer()) });
    await card('Mensualidad de diciembre: paga antes y ahorra');
    await user.click(screen.getByRole('button', { name: 'Consultar otro número' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/demo'));
    expect(await screen.findByLabelText('Número de identificación (cédula o NIT)')).toBeTruthy();
  });

  test.each([
    [
      'a server error',
      () => apiError(500, 'internal_error'),
      'Algo salió mal de nuestro lado. Intenta de nuevo en unos minutos.',
    ],
    [
      'too many requests',
      () => apiError(429, 'rate_limited', { 'Retry-After': '60' }),
      'Hiciste muchas consultas seguidas. Intenta de nuevo en 60 segundos.',
    ],
    [
      'no connection',
      () => Promise.reject(new TypeError('Failed to fetch')),
      'No hay conexión con el servidor. Revisa tu internet e intenta de nuevo.',
    ],
  ])(
    '%s: one message in the portal’s words, never the server’s, and the id form',
    async (_, answer, text) => {
      open({ charge: answer });
      const alert = await screen.findByRole('alert');
      expect(within(alert).getByText(text)).toBeTruthy();
      expect(screen.getAllByRole('alert')).toHaveLength(1);
      expect(screen.getByRole('heading', { level: 1, name: 'Tu cobro' })).toBeTruthy();
      expect(screen.queryByText('server text the SPA must never show')).toBeNull();
      expect(screen.getByLabelText('Número de identificación (cédula o NIT)')).toBeTruthy();
    },
  );

  test('after a failure, "Reintentar" asks for the same charge again and shows it', async () => {
    let calls = 0;
    const { user, api } = open({
      charge: () => (++calls === 1 ? apiError(503, 'erp_unavailable') : json(chargeAnswer())),
    });
    const alert = await screen.findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Reintentar' }));
    expect(await card('Mensualidad de diciembre: paga antes y ahorra')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.callsTo('charge').map((c) => c.path)).toEqual([
      `/api/v1/merchants/demo/charges/${LINK}`,
      `/api/v1/merchants/demo/charges/${LINK}`,
    ]);
  });

  test('in English: title, incentive, paid and not-found texts', async () => {
    open({ charge: () => json(chargeAnswer()) }, 'en');
    expect(await screen.findByRole('heading', { level: 1, name: 'Your charge' })).toBeTruthy();
    const article = await card('Mensualidad de diciembre: paga antes y ahorra');
    expect(within(article).getByText('This is the payment from your link.')).toBeTruthy();
    expect(within(article).getByText(/until .*13/)).toBeTruthy();
    expect(within(article).getByRole('link', { name: 'See supporting document' })).toBeTruthy();
    expect(within(article).getByRole('button', { name: /Pay with PayU/ })).toBeTruthy();
  });

  test('in English: a paid charge and an unknown link', async () => {
    const paid = open(
      { charge: () => json(chargeAnswer({ payable: false, blockedReason: 'paid', balance: '0' })) },
      'en',
    );
    const article = await card('Mensualidad de diciembre: paga antes y ahorra');
    expect(within(article).getByText('Paid')).toBeTruthy();
    paid.unmount();

    open({ charge: () => apiError(404, 'not_found') }, 'en');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'We could not find this charge' }),
    ).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/^The link may be incomplete/);
  });
});
