import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { CheckoutResponse } from '../../shared/api/schemas';
import { CheckoutForm, type CheckoutLine } from '../../web/features/checkout/checkout-form';
import type { Credential } from '../../web/lib/payment-store';
import { apiError, fakeApi, json, type FakeRoutes } from './support/fake-api';
import { item } from './support/fixtures';
import { renderWithProviders } from './support/render';

const checkoutResponse: CheckoutResponse = {
  reference: 'SALDO-7K2M9Q',
  action: 'https://sandbox.checkout.payulatam.com/ppp-web-gateway-payu/',
  method: 'POST',
  fields: {
    merchantId: '508029',
    accountId: '512321',
    description: 'prueba fill out all',
    referenceCode: 'SALDO-7K2M9Q',
    amount: '25000',
    tax: '0',
    taxReturnBase: '0',
    currency: 'COP',
    signature: 'af3899a22336b79db46006491d15813158826f944599bf3bf601e2327f898022',
    algorithmSignature: 'SHA256',
    test: '1',
    lng: 'es',
    buyerEmail: 'ana@correo.co',
    buyerFullName: 'Ana María Gómez',
    telephone: '300 123 4567',
    responseUrl: 'https://pagos.example.co/payu/demo/response',
    confirmationUrl: 'https://pagos.example.co/payu/demo/confirmation',
  },
};

let events: string[] = [];
let submitted: HTMLFormElement[] = [];

beforeEach(() => {
  events = [];
  submitted = [];
  // The payment form is sent with form.submit() (no submit event, no inline script); the checkout form's own
  // button goes through happy-dom's requestSubmit, which is left alone.
  vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(function (this: HTMLFormElement) {
    events.push('submit');
    submitted.push(this);
  });
});

interface SetupOptions {
  lines?: CheckoutLine[];
  credential?: Credential;
  routes?: FakeRoutes;
}

function setup({ lines, credential, routes }: SetupOptions = {}) {
  const api = fakeApi({ checkout: () => json(checkoutResponse, 201), ...routes });
  const onBack = vi.fn();
  const onCheckoutCreated = vi.fn((reference: string) => events.push(`payment_started ${reference}`));
  const onError = vi.fn();
  const view = renderWithProviders(
    <CheckoutForm
      merchantId="demo"
      credential={credential ?? { kind: 'idNumber', idNumber: '12345678' }}
      lines={lines ?? [{ item: item(), amount: '25000' }]}
      language="es"
      onBack={onBack}
      onCheckoutCreated={onCheckoutCreated}
      onError={onError}
    />,
    { fetch: api.fetch },
  );
  return { ...view, api, onBack, onCheckoutCreated, onError };
}

async function fillBuyer(user: ReturnType<typeof setup>['user']) {
  await user.type(screen.getByLabelText('Correo electrónico'), 'ana@correo.co');
  await user.type(screen.getByLabelText('Nombre completo'), 'Ana María Gómez');
  await user.type(screen.getByLabelText('Teléfono celular'), '300 123 4567');
}

const submitButton = () => screen.getByRole('button', { name: /Ir a pagar con PayU|Preparando tu pago/ });

describe('checkout form', () => {
  test('focuses its heading and shows what is being paid', () => {
    setup({
      lines: [
        { item: item(), amount: '10000' },
        { item: item({ ref: 'F-100', description: 'Factura 100' }), amount: '106000' },
      ],
    });
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 1, name: 'Datos para el pago' }),
    );
    expect(screen.getByText('$ 10.000')).toBeTruthy();
    expect(screen.getByText('$ 116.000')).toBeTruthy();
  });

  test('the buyer fields have the right keyboards and autocomplete', () => {
    setup();
    const email = screen.getByLabelText('Correo electrónico');
    expect(email.getAttribute('type')).toBe('email');
    expect(email.getAttribute('autocomplete')).toBe('email');
    expect(screen.getByLabelText('Nombre completo').getAttribute('autocomplete')).toBe('name');
    const phone = screen.getByLabelText('Teléfono celular');
    expect(phone.getAttribute('inputmode')).toBe('tel');
    expect(phone.getAttribute('autocomplete')).toBe('tel');
    expect(screen.queryByLabelText('Dirección')).toBeNull();
    expect(screen.queryByRole('textbox', { name: /coment/i })).toBeNull();
  });

  test('required fields are checked inline with the shared schema before anything is sent', async () => {
    const { user, api } = setup();
    await user.click(submitButton());
    expect(screen.getByRole('alert').textContent).toBe('Revisa los campos marcados.');
    expect(screen.getByText('Escribe un correo válido, p. ej. nombre@correo.com.')).toBeTruthy();
    expect(screen.getByText('Escribe tu nombre completo (mínimo 3 letras).')).toBeTruthy();
    expect(screen.getByText('Escribe un teléfono de 7 a 20 dígitos, p. ej. 300 123 4567.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Correo electrónico'));
    expect(screen.getByLabelText('Correo electrónico').getAttribute('aria-invalid')).toBe('true');

    await user.type(screen.getByLabelText('Correo electrónico'), 'ana@');
    await user.tab();
    expect(screen.getByText('Escribe un correo válido, p. ej. nombre@correo.com.')).toBeTruthy();
    expect(api.callsTo('checkout')).toHaveLength(0);
  });

  test('asks for the delivery address and the comment when an item needs them', async () => {
    const { user, api } = setup({
      lines: [
        {
          item: item({
            deliveryAddressRequired: true,
            comments: { enabled: true, label: 'Deja tus comentarios' },
          }),
          amount: '25000',
        },
      ],
    });
    expect(screen.getByRole('group', { name: 'Dirección de entrega' })).toBeTruthy();
    await fillBuyer(user);
    await user.click(submitButton());
    expect(screen.getByText('Escribe la dirección de entrega.')).toBeTruthy();
    expect(screen.getByText('Escribe la ciudad.')).toBeTruthy();
    expect(api.callsTo('checkout')).toHaveLength(0);

    await user.type(screen.getByLabelText('Dirección'), 'Calle 10 # 43-12');
    await user.type(screen.getByLabelText('Ciudad'), 'Medellín');
    await user.type(screen.getByLabelText('Deja tus comentarios'), 'Entregar en portería');
    await user.click(submitButton());
    await waitFor(() => expect(api.callsTo('checkout')).toHaveLength(1));
    expect(api.callsTo('checkout')[0]?.body).toEqual({
      idNumber: '12345678',
      items: [{ ref: '1234567', amount: '25000' }],
      buyer: { email: 'ana@correo.co', fullName: 'Ana María Gómez', phone: '300 123 4567' },
      comment: 'Entregar en portería',
      deliveryAddress: { street: 'Calle 10 # 43-12', city: 'Medellín', country: 'CO' },
      lng: 'es',
    });
  });

  test('on 201 it posts a real form top-level with exactly the signed fields, after payment_started', async () => {
    const { user, api } = setup();
    await fillBuyer(user);
    await user.click(submitButton());
    await waitFor(() => expect(submitted).toHaveLength(1));

    const form = submitted[0] as HTMLFormElement;
    expect(form.getAttribute('method')?.toUpperCase()).toBe('POST');
    expect(form.getAttribute('action')).toBe(checkoutResponse.action);
    expect(form.getAttribute('target')).toBe('_top');
    const hidden = Array.from(form.querySelectorAll<HTMLInputElement>('input[type="hidden"]')).map((i) => [
      i.name,
      i.value,
    ]);
    expect(hidden).toEqual(Object.entries(checkoutResponse.fields));
    expect(form.querySelectorAll('input:not([type="hidden"])')).toHaveLength(0);
    expect(events).toEqual(['payment_started SALDO-7K2M9Q', 'submit']);
    expect(screen.getByRole('status').textContent).toContain('Te estamos llevando a PayU…');
    expect(api.callsTo('checkout')[0]?.body).toMatchObject({ idNumber: '12345678', lng: 'es' });
    expect(document.querySelectorAll('script')).toHaveLength(0);
  });

  test('a statement-link payer pays with the token, never an id number', async () => {
    const { user, api } = setup({ credential: { kind: 'token', token: 'tok.signed' } });
    await fillBuyer(user);
    await user.click(submitButton());
    await waitFor(() => expect(api.callsTo('checkout')).toHaveLength(1));
    const body = api.callsTo('checkout')[0]?.body as Record<string, unknown>;
    expect(body.token).toBe('tok.signed');
    expect(body).not.toHaveProperty('idNumber');
  });

  test('a retry of the same submission reuses its Idempotency-Key; a changed one gets a new key', async () => {
    let answers = [
      apiError(503, 'internal_error'),
      apiError(503, 'internal_error'),
      json(checkoutResponse, 201),
    ];
    const { user, api } = setup({
      routes: {
        checkout: () => {
          const [next, ...rest] = answers;
          answers = rest;
          return next ?? json(checkoutResponse, 201);
        },
      },
    });
    await fillBuyer(user);
    await user.click(submitButton());
    expect((await screen.findByRole('alert')).textContent).toContain('Algo salió mal de nuestro lado.');
    await user.click(submitButton());
    await waitFor(() => expect(api.callsTo('checkout')).toHaveLength(2));
    await screen.findByRole('alert');
    const [first, second] = api.callsTo('checkout');
    const key = first?.headers.get('Idempotency-Key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers.get('Idempotency-Key')).toBe(key);

    await user.clear(screen.getByLabelText('Teléfono celular'));
    await user.type(screen.getByLabelText('Teléfono celular'), '310 555 0000');
    await user.click(submitButton());
    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(api.callsTo('checkout')[2]?.headers.get('Idempotency-Key')).not.toBe(key);
  });

  test('a double tap sends one request', async () => {
    let release: (r: Response) => void = () => undefined;
    const { user, api } = setup({
      routes: { checkout: () => new Promise<Response>((resolve) => (release = resolve)) },
    });
    await fillBuyer(user);
    await user.dblClick(submitButton());
    await user.click(submitButton());
    expect(api.callsTo('checkout')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Preparando tu pago…' })).toBeTruthy();
    release(json(checkoutResponse, 201));
    await waitFor(() => expect(submitted).toHaveLength(1));
  });

  test.each([
    ['amount_out_of_range', 422, /ya no está dentro del rango permitido/, true],
    ['payment_pending', 409, /Ya hay un pago en proceso/, true],
    ['unknown_item', 422, /ya no está disponible/, true],
    ['mixed_currencies', 422, /misma moneda/, true],
    ['idempotency_key_reused', 422, /Los datos cambiaron/, false],
  ])('%s is explained in the payer’s words', async (code, status, message, stale) => {
    const { user, onBack, onError } = setup({ routes: { checkout: () => apiError(status, code) } });
    await fillBuyer(user);
    await user.click(submitButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(message);
    expect(alert.textContent).not.toContain('server text');
    expect(onError).toHaveBeenCalledWith(code);
    const back = screen.queryByRole('button', { name: 'Volver a tus pagos' });
    expect(back !== null).toBe(stale);
    if (back) {
      await user.click(back);
      expect(onBack).toHaveBeenCalledWith(true);
    }
    expect(submitted).toHaveLength(0);
  });

  test('after idempotency_key_reused the next try is a new submission', async () => {
    let answers = [apiError(422, 'idempotency_key_reused'), json(checkoutResponse, 201)];
    const { user, api } = setup({
      routes: {
        checkout: () => {
          const [next, ...rest] = answers;
          answers = rest;
          return next ?? json(checkoutResponse, 201);
        },
      },
    });
    await fillBuyer(user);
    await user.click(submitButton());
    await screen.findByRole('alert');
    await user.click(submitButton());
    await waitFor(() => expect(submitted).toHaveLength(1));
    const [first, second] = api.callsTo('checkout');
    expect(second?.headers.get('Idempotency-Key')).not.toBe(first?.headers.get('Idempotency-Key'));
  });

  test('refuses to post the payer’s data to an action that is neither https nor this portal', async () => {
    const { user } = setup({
      routes: { checkout: () => json({ ...checkoutResponse, action: 'http://evil.example/collect' }, 201) },
    });
    await fillBuyer(user);
    await user.click(submitButton());
    expect((await screen.findByRole('alert')).textContent).toBe(
      'No pudimos abrir la página de pago. Intenta de nuevo.',
    );
    expect(submitted).toHaveLength(0);
  });

  test('"Cambiar selección" goes back without refreshing', async () => {
    const { user, onBack } = setup();
    await user.click(screen.getByRole('button', { name: 'Cambiar selección' }));
    expect(onBack).toHaveBeenCalledWith(false);
  });
});
