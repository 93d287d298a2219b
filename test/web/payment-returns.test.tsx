import { screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import '../../shared/api/schemas';
import type { PaymentResponse } from '../../shared/api/schemas';
import { PaymentResult } from '../../web/features/result/payment-result';
import { fakeApi, json } from './support/fake-api';
import { payment } from './support/fixtures';
import { renderWithProviders } from './support/render';

/**
 * The result page's "money coming back" (docs/spec/money-back.md "What each side sees"): the returns the
 * payment status API gives the browser that made the checkout — state, amount, expected arrival, and the
 * button to the sealed bank-details page while a payout needs it.
 */
type Returns = NonNullable<PaymentResponse['returns']>;

function show(returns: Returns | undefined, language: 'es' | 'en' = 'es') {
  const api = fakeApi({
    payment: () => json(payment({ status: 'approved', ...(returns ? { returns } : {}) })),
  });
  return renderWithProviders(
    <PaymentResult merchantId="demo" reference="SALDO-7K2M9Q" onPayAnother={() => undefined} />,
    { fetch: api.fetch, language },
  );
}

const base = {
  id: 'RET-1',
  amount: '20000',
  currency: 'COP' as const,
  route: 'payout',
  bankAccount: null,
  expectedArrival: null,
};

/** The label → value pairs of one return card. */
function card(section: HTMLElement, index = 0): Record<string, string> {
  const item = within(section).getAllByRole('listitem')[index]!;
  const out: Record<string, string> = {};
  for (const row of item.querySelectorAll('dl > div')) {
    out[row.querySelector('dt')!.textContent!] = (row.querySelector('dd')!.textContent ?? '').replace(
      /\u00a0|\u202f/g,
      ' ',
    );
  }
  return out;
}

describe('result page: money coming back', () => {
  test('a payout waiting for bank details: amount, state, and a button to the sealed page', async () => {
    show([{ ...base, state: 'awaiting_details', bankDetailsPath: '/demo/r/SEALED-TOKEN' }]);
    const section = await screen.findByRole('region', { name: 'Dinero que te devolvemos' });
    expect(card(section)).toEqual({
      Valor: '$ 20.000',
      Estado: 'Necesitamos tu cuenta bancaria para enviártelo',
      Destino: 'Tu cuenta bancaria',
    });
    const link = within(section).getByRole('link', { name: 'Indicar mi cuenta bancaria' });
    expect(link.getAttribute('href')).toBe('/demo/r/SEALED-TOKEN');
  });

  test('at the bank: the masked account and the expected arrival in Bogotá time; no button', async () => {
    show([
      {
        ...base,
        state: 'in_bank',
        bankAccount: '****0000',
        expectedArrival: '2026-12-03T15:40:00.000Z',
      },
    ]);
    const section = await screen.findByRole('region', { name: 'Dinero que te devolvemos' });
    expect(card(section)).toEqual({
      Valor: '$ 20.000',
      Estado: 'En camino a tu banco',
      Destino: 'Cuenta ****0000',
      'Llegada esperada': 'jueves 3 de diciembre, hacia las 10:40 a. m.',
    });
    expect(within(section).queryByRole('link')).toBeNull();
  });

  test('in English, several returns: a card refund in review and one already returned', async () => {
    show(
      [
        { ...base, id: 'RET-1', state: 'pending', route: 'refund' },
        { ...base, id: 'RET-2', state: 'paid', amount: '5000', bankAccount: '****6789' },
      ],
      'en',
    );
    const section = await screen.findByRole('region', { name: 'Money coming back to you' });
    expect(card(section, 0)).toEqual({
      Amount: 'COP 20,000',
      Status: 'The merchant is reviewing it',
      To: 'The card you paid with',
    });
    expect(card(section, 1)).toEqual({ Amount: 'COP 5,000', Status: 'Returned', To: 'Account ****6789' });
    expect(within(section).queryByRole('link')).toBeNull();
  });

  test('a payment without returns shows no such section', async () => {
    show(undefined);
    await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' });
    expect(screen.queryByRole('region', { name: 'Dinero que te devolvemos' })).toBeNull();
    expect(screen.queryByText('Indicar mi cuenta bancaria')).toBeNull();
  });
});
