import { screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { PayerReturnView } from '../../shared/api/return-schemas';
import { arrivalParts } from '../../web/lib/arrival';
import { RefundPage } from '../../web/features/refund/refund-page';
import { apiError, fakeApi, json, type RecordedCall } from './support/fake-api';
import { renderApp, renderWithProviders } from './support/render';

const TOKEN = 'rt_sealed-link-token';

function returnView(overrides: Partial<PayerReturnView> = {}): PayerReturnView {
  return {
    id: 'ret_1',
    state: 'awaiting_details',
    amount: '25000',
    currency: 'COP',
    route: 'payout',
    bankAccount: null,
    needsBankDetails: true,
    expectedArrival: null,
    linkExpiresAt: '2026-12-10T00:00:00.000Z',
    ...overrides,
  };
}

const banks = [
  { code: '001', name: 'BOGOTA' },
  { code: '007', name: 'BANCOLOMBIA' },
  { code: '507', name: 'NEQUI' },
];

function getAnswer(view: PayerReturnView = returnView()) {
  return json({ return: view, merchant: { name: 'Comercio Demo S.A.S.' }, banks });
}

function setup(handler: (call: RecordedCall) => Response | Promise<Response>) {
  const api = fakeApi({ returns: handler });
  const view = renderWithProviders(<RefundPage merchantId="demo" token={TOKEN} merchantName="Demo" />, {
    fetch: api.fetch,
  });
  return { ...view, api };
}

/** The text a screen reader reads after the field's label (its aria-describedby). */
function description(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}

async function fillForm(user: ReturnType<typeof setup>['user']) {
  await user.type(await screen.findByLabelText('Nombre completo del titular'), 'Ana María Pérez');
  await user.selectOptions(screen.getByLabelText('Tipo de documento'), 'CC');
  await user.type(screen.getByLabelText('Número de documento'), '1020304050');
  await user.type(screen.getByLabelText('Buscar banco por nombre'), 'neq');
  // The search leaves only the matching bank (and the placeholder) in the list.
  const bank = screen.getByLabelText('Banco');
  expect(
    within(bank)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['Elige tu banco', 'NEQUI']);
  await user.selectOptions(bank, '507');
  await user.type(screen.getByLabelText('Número de cuenta'), '300 123 4567');
}

describe('money-back link page', () => {
  test('shows the form from the API, submits the details in the body, then the masked account and arrival', async () => {
    const { api, user } = setup((call) =>
      call.method === 'GET'
        ? getAnswer()
        : json({
            return: returnView({
              state: 'sending',
              needsBankDetails: false,
              bankAccount: '****4567',
              expectedArrival: '2026-12-03T15:40:00.000Z',
            }),
          }),
    );
    expect(await screen.findByRole('heading', { name: 'Recibe tu devolución' })).toBeTruthy();
    expect(screen.getByText(/Comercio Demo S\.A\.S\. te devolverá \$\s25\.000/)).toBeTruthy();

    await fillForm(user);
    // Nequi pays into savings only: the account type is fixed.
    expect((screen.getByLabelText('Tipo de cuenta') as HTMLSelectElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Enviar datos' }));

    const done = await screen.findByRole('heading', { name: 'Recibimos tus datos' });
    expect(document.activeElement).toBe(done);
    expect(screen.getByText(/a la cuenta \*\*\*\*4567/)).toBeTruthy();
    expect(
      screen.getByText('Llegará el jueves 3 de diciembre hacia las 10:40 a. m.', {
        normalizer: (s) => s.replace(/\s+/g, ' '),
      }),
    ).toBeTruthy();

    const posts = api.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe(`/api/v1/merchants/demo/returns/${TOKEN}`);
    expect(posts[0]?.body).toEqual({
      fullName: 'Ana María Pérez',
      documentType: 'CC',
      documentNumber: '1020304050',
      bankCode: '507',
      accountType: 'CA',
      accountNumber: '3001234567',
    });
  });

  test('a 422 marks each refused field with its own message and keeps what the payer typed', async () => {
    const { user } = setup((call) =>
      call.method === 'GET'
        ? getAnswer()
        : json(
            {
              error: {
                code: 'invalid_bank_details',
                message: 'server text',
                fields: [
                  { path: 'accountNumber', message: 'format' },
                  { path: 'documentNumber', message: 'document_mismatch' },
                ],
              },
            },
            422,
          ),
    );
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Enviar datos' }));

    const account = screen.getByLabelText('Número de cuenta');
    expect(await screen.findByText('Revisa el formato de este dato.')).toBeTruthy();
    expect(account.getAttribute('aria-invalid')).toBe('true');
    expect(description(account)).toContain('Revisa el formato de este dato.');
    expect(description(screen.getByLabelText('Número de documento'))).toBe(
      'El documento no coincide con el de quien hizo el pago.',
    );
    expect(screen.getByLabelText('Nombre completo del titular').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('Revisa los datos bancarios marcados.');
    expect(screen.queryByText('server text')).toBeNull();
    expect((account as HTMLInputElement).value).toBe('300 123 4567');
  });

  test('in the bank: no form, the masked account and the expected arrival in English', async () => {
    const api = fakeApi({
      returns: () =>
        getAnswer(
          returnView({
            state: 'in_bank',
            needsBankDetails: false,
            bankAccount: '****0000',
            expectedArrival: '2026-12-03T15:40:00.000Z',
          }),
        ),
    });
    renderWithProviders(<RefundPage merchantId="demo" token={TOKEN} merchantName="Demo" />, {
      fetch: api.fetch,
      language: 'en',
    });
    expect(await screen.findByRole('heading', { name: 'Your money is on its way' })).toBeTruthy();
    expect(screen.getByText(/to account \*\*\*\*0000/)).toBeTruthy();
    expect(screen.getByText(/It should arrive on Thursday, December 3 around 10:40/)).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  test('paid and rejected returns say so without a form', async () => {
    const paid = setup(() =>
      getAnswer(returnView({ state: 'paid', needsBankDetails: false, bankAccount: '****0000' })),
    );
    expect(await screen.findByRole('heading', { name: 'Ya te devolvimos el dinero' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Enviar datos' })).toBeNull();
    paid.unmount();

    setup(() => getAnswer(returnView({ state: 'rejected', needsBankDetails: false })));
    expect(await screen.findByRole('heading', { name: 'Esta devolución no sigue adelante' })).toBeTruthy();
  });

  test('an invalid link gets its own page through the app route, lazily loaded', async () => {
    const api = fakeApi({ returns: () => apiError(400, 'invalid_token') });
    renderApp(`/demo/r/${TOKEN}`, { fetch: api.fetch, language: 'es' });
    expect(await screen.findByRole('heading', { name: 'Este enlace no es válido' })).toBeTruthy();
    expect(api.calls.filter((c) => c.path.includes('/returns/'))[0]?.path).toBe(
      `/api/v1/merchants/demo/returns/${TOKEN}`,
    );
  });

  test('an expired link says so', async () => {
    setup(() => apiError(410, 'expired_token'));
    expect(await screen.findByRole('heading', { name: 'Este enlace ya venció' })).toBeTruthy();
  });

  test('arrival is read in Bogotá time, whatever the device zone', () => {
    // 03:30 UTC on the 4th is still the 3rd in Bogotá (UTC-5).
    expect(arrivalParts('2026-12-04T03:30:00Z', 'es-CO')).toMatchObject({ weekday: 'jueves', day: '3' });
    expect(arrivalParts('not a date', 'es-CO')).toBeNull();
  });
});
