import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { EmbedEvent, EmbedMessenger } from '../../web/features/embed/embed-messenger';
import { apiError, fakeApi, json, type FakeRoutes } from './support/fake-api';
import { demoMerchant, lookupResponse, payment } from './support/fixtures';
import { renderApp } from './support/render';

const ID_LABEL = 'Número de identificación (cédula o NIT)';

function recordingEmbed(embedded = false) {
  const events: EmbedEvent[] = [];
  const messenger: EmbedMessenger = {
    embedded,
    active: true,
    query: embedded ? 'embed=1' : '',
    returnTo: embedded ? 'https://shop.demo.co/pagar' : null,
    post: (event) => events.push(event),
  };
  return { messenger, events };
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

function start(path: string, routes: FakeRoutes = {}, embedded = false) {
  const api = fakeApi({ lookup: () => json(lookupResponse()), ...routes });
  const embed = recordingEmbed(embedded);
  const view = renderApp(path, { fetch: api.fetch, embed: embed.messenger });
  return { ...view, api, events: embed.events };
}

async function lookUp(user: ReturnType<typeof start>['user'], id = '12.345.678') {
  await user.type(await screen.findByLabelText(ID_LABEL), id);
  await user.click(screen.getByRole('button', { name: 'Consultar' }));
}

describe('the payer’s journey', () => {
  test('a lookup shows loading, then the items with focus on their heading; the id stays out of URLs and storage', async () => {
    const answer = deferred<Response>();
    const { user, api, events, router } = start('/demo', { lookup: () => answer.promise });
    expect(await screen.findByText('Comercio Demo S.A.S.')).toBeTruthy();
    await lookUp(user);

    expect(screen.getByRole('status').textContent).toBe('Consultando tus pagos pendientes…');
    expect(document.querySelectorAll('.skeleton-card').length).toBeGreaterThan(0);
    answer.resolve(json(lookupResponse()));

    const heading = await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(api.callsTo('lookup')[0]?.body).toEqual({ idNumber: '12345678' });
    expect(events).toContainEqual({ type: 'lookup_completed', itemCount: 7 });

    expect(router.state.location.pathname + router.state.location.search).toBe('/demo');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });

  test('one item goes through checkout to PayU, top-level, announcing payment_started first', async () => {
    const order: string[] = [];
    const { user, api, events, router } = start('/demo', {
      checkout: () =>
        json(
          {
            reference: 'SALDO-ABC123',
            action: '/payu-sim/checkout',
            method: 'POST',
            fields: { referenceCode: 'SALDO-ABC123', amount: '106000', currency: 'COP', signature: 'x' },
          },
          201,
        ),
    });
    vi.mocked(HTMLFormElement.prototype.submit).mockImplementation(function (this: HTMLFormElement) {
      order.push(`submit after ${events.filter((e) => e.type === 'payment_started').length} payment_started`);
      submitted.push(this);
    });
    await lookUp(user);
    const card = (await screen.findByRole('heading', { level: 3, name: 'Factura 100' })).closest('article');
    await user.click(within(card as HTMLElement).getByRole('button', { name: /Pagar con PayU/ }));

    const heading = await screen.findByRole('heading', { level: 1, name: 'Datos para el pago' });
    expect(router.state.location.pathname).toBe('/demo/pay');
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText('$ 106.000', { selector: 'strong' })).toBeTruthy();

    await user.type(screen.getByLabelText('Correo electrónico'), 'ana@correo.co');
    await user.type(screen.getByLabelText('Nombre completo'), 'Ana María Gómez');
    await user.type(screen.getByLabelText('Teléfono celular'), '3001234567');
    await user.click(screen.getByRole('button', { name: 'Ir a pagar con PayU' }));

    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(api.callsTo('checkout')[0]?.body).toMatchObject({
      idNumber: '12345678',
      items: [{ ref: 'F-100', amount: '106000' }],
    });
    expect(submitted[0]?.getAttribute('target')).toBe('_top');
    expect(events).toContainEqual({ type: 'payment_started', reference: 'SALDO-ABC123' });
    expect(order).toEqual(['submit after 1 payment_started']);
    for (const event of events) expect(JSON.stringify(event)).not.toMatch(/12345678|Ana|correo/);
  });

  test('"Cambiar selección" returns to the items without asking the ERP again', async () => {
    const { user, api, router } = start('/demo');
    await lookUp(user);
    const card = (await screen.findByRole('heading', { level: 3, name: 'Factura 100' })).closest('article');
    await user.click(within(card as HTMLElement).getByRole('button', { name: /Pagar con PayU/ }));
    await user.click(await screen.findByRole('button', { name: 'Cambiar selección' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/demo');
    expect(api.callsTo('lookup')).toHaveLength(1);
  });

  test('a reload of the checkout page (memory gone) goes back to the lookup', async () => {
    const { router } = start('/demo/pay');
    expect(await screen.findByLabelText(ID_LABEL)).toBeTruthy();
    expect(router.state.location.pathname).toBe('/demo');
  });

  test('a statement link looks up with its token at once and highlights the linked item', async () => {
    const { api } = start('/demo/s/v1.tok.sig', {
      lookup: () => json(lookupResponse({ linkedRef: 'F-100' })),
    });
    const card = (await screen.findByRole('heading', { level: 3, name: 'Factura 100' })).closest('article');
    expect(within(card as HTMLElement).getByText('Este es el pago de tu enlace.')).toBeTruthy();
    expect(api.callsTo('lookup')).toHaveLength(1);
    expect(api.callsTo('lookup')[0]?.body).toEqual({ token: 'v1.tok.sig' });
    expect((within(card as HTMLElement).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('region', { name: 'Pagar seleccionados' })).toBeTruthy();
  });

  test('an invalid statement link says so and offers the id form', async () => {
    const { user, api } = start('/demo/s/forged', {
      lookup: (call) =>
        'token' in (call.body as object) ? apiError(400, 'invalid_token') : json(lookupResponse()),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Este enlace no es válido' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Escribe tu número de identificación');
    await lookUp(user, '12345678');
    expect(await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' })).toBeTruthy();
    expect(api.callsTo('lookup')[1]?.body).toEqual({ idNumber: '12345678' });
  });

  test('an expired statement link gets a friendly page with the id form', async () => {
    start('/demo/s/old', { lookup: () => apiError(410, 'expired_token') });
    expect(await screen.findByRole('heading', { level: 1, name: 'Este enlace ya venció' })).toBeTruthy();
    expect(screen.getByText(/Por tu seguridad, los enlaces de pago vencen/)).toBeTruthy();
    expect(screen.getByLabelText(ID_LABEL)).toBeTruthy();
  });

  test.each([
    ['erp_unavailable', 502, 'El sistema del comercio no responde en este momento.'],
    ['erp_bad_response', 502, 'El sistema del comercio respondió con un error.'],
    ['erp_timeout', 504, 'El sistema del comercio está tardando demasiado en responder.'],
  ])('%s is explained and can be retried', async (code, status, message) => {
    let calls = 0;
    const { user, api, events } = start('/demo', {
      lookup: () => (++calls === 1 ? apiError(status, code) : json(lookupResponse())),
    });
    await lookUp(user);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(message);
    expect(alert.textContent).not.toContain('server text');
    expect(events).toContainEqual({ type: 'error', code });
    await user.click(within(alert).getByRole('button', { name: 'Reintentar' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' })).toBeTruthy();
    expect(api.callsTo('lookup')[1]?.body).toEqual({ idNumber: '12345678' });
  });

  test.each([
    [() => apiError(429, 'rate_limited', { 'Retry-After': '30' }), 'Intenta de nuevo en 30 segundos.'],
    [() => apiError(400, 'invalid_id_number'), 'El número de identificación no es válido'],
    [() => apiError(404, 'unknown_merchant'), 'No encontramos este comercio. Revisa el enlace.'],
    [
      () => {
        throw new TypeError('Failed to fetch');
      },
      'No hay conexión con el servidor.',
    ],
  ])('lookup failure %# is explained in the payer’s words', async (answer, message) => {
    const { user } = start('/demo', { lookup: answer });
    await lookUp(user);
    expect((await screen.findByRole('alert')).textContent).toContain(message);
  });

  test('an empty answer says there is nothing to pay', async () => {
    const { user } = start('/demo', { lookup: () => json(lookupResponse({ items: [] })) });
    await lookUp(user);
    expect(await screen.findByRole('heading', { name: 'No tienes pagos pendientes' })).toBeTruthy();
  });

  test('when the ERP failed and only charges came back, the list says the invoices are missing', async () => {
    const { user } = start('/demo', { lookup: () => json(lookupResponse({ erpError: 'erp_timeout' })) });
    await lookUp(user);
    await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' });
    expect(
      screen.getByText(/No pudimos consultar tus facturas en el sistema de Comercio Demo S\.A\.S\./),
    ).toBeTruthy();
  });

  test('a complete answer has no missing-invoices notice', async () => {
    const { user } = start('/demo');
    await lookUp(user);
    await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' });
    expect(screen.queryByText(/No pudimos consultar tus facturas/)).toBeNull();
  });

  test('"Consultar otro número" forgets the payer and returns to the form', async () => {
    const { user, deps } = start('/demo');
    await lookUp(user);
    await user.click(await screen.findByRole('button', { name: 'Consultar otro número' }));
    const input = await screen.findByLabelText(ID_LABEL);
    expect((input as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(input));
    expect(deps.store.getState().credential).toBeNull();
  });

  test('an unknown merchant gets its own page', async () => {
    start('/nobody', { public: () => apiError(404, 'unknown_merchant') });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'No encontramos este comercio' }),
    ).toBeTruthy();
  });

  test('the result page checks the payment and tells the embedding page', async () => {
    const { events } = start('/demo/pay/result/SALDO-ABC123?payu=4', {
      payment: () => json(payment({ reference: 'SALDO-ABC123', status: 'approved' })),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' })).toBeTruthy();
    expect(events).toContainEqual({ type: 'payment_result', reference: 'SALDO-ABC123', status: 'approved' });
    expect(screen.getByRole('link', { name: 'Volver a la tienda' }).getAttribute('href')).toBe(
      demoMerchant.returnUrl,
    );
  });

  test('"Pagar otra factura" goes back to the lookup', async () => {
    const { user, router } = start('/demo/pay/result/SALDO-ABC123', {
      payment: () => json(payment({ status: 'declined' })),
    });
    await user.click(await screen.findByRole('button', { name: 'Pagar otra factura' }));
    expect(await screen.findByLabelText(ID_LABEL)).toBeTruthy();
    expect(router.state.location.pathname).toBe('/demo');
  });
});

describe('language, chrome and embedding', () => {
  test('the language switch changes the texts and the document language', async () => {
    const { user } = start('/demo');
    await screen.findByLabelText(ID_LABEL);
    expect(document.documentElement.lang).toBe('es-CO');
    const group = screen.getByRole('group', { name: 'Idioma' });
    await user.click(within(group).getByRole('button', { name: 'English' }));
    expect(await screen.findByLabelText('ID number (cédula or NIT)')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(
      within(screen.getByRole('group', { name: 'Language' }))
        .getByRole('button', { name: 'English' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
  });

  test('a merchant whose locale is English gets English by default', async () => {
    start('/acme', { public: () => json({ ...demoMerchant, id: 'acme', locale: 'en-US' }) });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Check and pay your invoices' }),
    ).toBeTruthy();
    expect(document.documentElement.lang).toBe('en-US');
  });

  test('the merchant’s name and colour dress the page', async () => {
    const { container } = start('/demo');
    const name = await screen.findByText('Comercio Demo S.A.S.');
    expect(name.closest('header')).toBe(screen.getByRole('banner'));
    const app = container.querySelector('.app') as HTMLElement;
    expect(app.style.getPropertyValue('--brand')).toBe('#0f766e');
    expect(app.style.getPropertyValue('--brand-text')).toBe('#ffffff');
    expect(screen.getByRole('contentinfo')).toBeTruthy();
  });

  test('a merchant’s main area fills the screen, so the footer never jumps when a list arrives', async () => {
    start('/demo/s/v1.tok.sig', { lookup: () => json(lookupResponse()) });
    expect(screen.getByRole('main').classList.contains('site-main-fill')).toBe(true);
    await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' });
    expect(screen.getByRole('main').classList.contains('site-main-fill')).toBe(true);
  });

  test('embedded, the page has no portal header or footer but keeps the language switch', async () => {
    const { user, router } = start('/demo?embed=1', {}, true);
    await screen.findByLabelText(ID_LABEL);
    // The iframe follows the page's height: a main as tall as the iframe could never shrink.
    expect(screen.getByRole('main').classList.contains('site-main-fill')).toBe(false);
    expect(screen.queryByRole('banner')).toBeNull();
    expect(screen.queryByRole('contentinfo')).toBeNull();
    expect(screen.getByRole('group', { name: 'Idioma' })).toBeTruthy();
    await lookUp(user);
    const card = (await screen.findByRole('heading', { level: 3, name: 'Factura 100' })).closest('article');
    await user.click(within(card as HTMLElement).getByRole('button', { name: /Pagar con PayU/ }));
    await screen.findByRole('heading', { level: 1, name: 'Datos para el pago' });
    expect(router.state.location.pathname + router.state.location.search).toBe('/demo/pay?embed=1');
  });

  test('the home page sends payers to their merchant’s link, and to the demo where there is one', async () => {
    start('/');
    expect(screen.getByRole('heading', { level: 1, name: 'Paga tus facturas en línea' })).toBeTruthy();
    expect((await screen.findByRole('link', { name: 'Probar la demostración' })).getAttribute('href')).toBe(
      '/demo',
    );
  });

  test('an address that is not a merchant is a not-found page, without asking the API', async () => {
    const { api } = start('/No_Such');
    expect(await screen.findByRole('heading', { level: 1, name: 'Página no encontrada' })).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });
});
