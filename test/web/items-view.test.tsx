import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { ItemsView } from '../../web/features/items/items-view';
import { item, lookupResponse } from './support/fixtures';
import { renderWithProviders } from './support/render';

function card(description: string): HTMLElement {
  const heading = screen.getByRole('heading', { level: 3, name: description });
  const article = heading.closest('article');
  if (!article) throw new Error(`no card for ${description}`);
  return article;
}

function payButton(description: string): HTMLButtonElement {
  return within(card(description)).getByRole('button', { name: /Pagar con PayU/ });
}

function describedText(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function setup(data = lookupResponse(), language: 'es' | 'en' = 'es') {
  const onPay = vi.fn();
  const view = renderWithProviders(<ItemsView data={data} onPay={onPay} />, { language });
  return { ...view, onPay };
}

describe('items list', () => {
  test('greets the payer by the masked name and moves focus to the list heading', () => {
    setup();
    expect(screen.getByText('Hola, Ef****')).toBeTruthy();
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 2, name: 'Tus pagos pendientes' }),
    );
    // Only what can be paid now is counted as pending.
    expect(screen.getByText(/4 pagos pendientes\. Valores calculados al 10 de marzo de 2025\./)).toBeTruthy();
  });

  test('shows each item with its breakdown in pesos formatted for es-CO', () => {
    setup();
    const first = within(card('prueba fill out all'));
    expect(first.getByText('Ref. 1234567 · Referencias: 123456, 323432, 6546456')).toBeTruthy();
    expect(first.getByText('Fecha límite: 15 de marzo de 2025')).toBeTruthy();
    expect(first.getByText('$ 20.000')).toBeTruthy();
    expect(first.getByText('+$ 5.000')).toBeTruthy();
    expect(first.getAllByText('$ 25.000')).toHaveLength(2);
    const picture = first.getByRole('img', { name: 'Imagen de prueba fill out all' }) as HTMLImageElement;
    expect(picture.getAttribute('src')).toBe('https://efipay.co/images/logo.svg');
    expect(picture.getAttribute('loading')).toBe('lazy');
    expect(picture.getAttribute('width')).toBe('64');
    expect(picture.getAttribute('height')).toBe('64');

    const discounted = within(card('Matrícula marzo'));
    expect(discounted.getByText('hasta el 15 de marzo de 2025')).toBeTruthy();
    expect(discounted.getByText('−$ 2.000')).toBeTruthy();

    const overdue = within(card('Factura 100'));
    expect(overdue.getByText('9 días de mora')).toBeTruthy();
    expect(overdue.getByText('+$ 6.000')).toBeTruthy();
    expect(overdue.getAllByText('$ 106.000')).toHaveLength(2);
    // Pictures must be https.
    expect(overdue.queryByRole('img')).toBeNull();

    expect(within(card('Licencia anual')).getAllByText('US$ 100,00').length).toBeGreaterThan(0);
  });

  test.each([
    ['Cuota pagada', 'Pagado', 'Pagados (1)'],
    ['Cuota en proceso', 'Pago en proceso', 'En proceso (1)'],
    ['Saldo pequeño', 'El saldo es menor que el pago mínimo de $ 10.000', 'No disponibles en línea (1)'],
  ])('%s is listed under its own heading, says why, and has no dead button', (description, reason, group) => {
    setup();
    const section = screen.getByRole('region', { name: group });
    expect(within(section).getByRole('heading', { level: 3, name: description })).toBeTruthy();
    expect(within(card(description)).getByText(reason)).toBeTruthy();
    expect(within(card(description)).queryByRole('button', { name: /Pagar con PayU/ })).toBeNull();
    expect(within(card(description)).queryByRole('checkbox')).toBeNull();
  });

  test('the payable list comes first and holds only payable items', () => {
    setup();
    const lists = screen.getAllByRole('list');
    const first = within(lists[0]!)
      .getAllByRole('heading', { level: 3 })
      .map((h) => h.textContent);
    expect(first).toEqual(['prueba fill out all', 'Matrícula marzo', 'Factura 100', 'Licencia anual']);
  });

  test('a held item says until when and offers to resume or cancel that payment', async () => {
    const resume = vi.fn();
    const cancel = vi.fn(() => Promise.resolve());
    const view = renderWithProviders(
      <ItemsView data={lookupResponse()} onPay={vi.fn()} holdActions={{ resume, cancel }} />,
    );
    const held = within(card('Cuota en proceso'));
    expect(held.getByText(/Reservado hasta el 10 de marzo de 2025.* \(referencia SLD-HELD-1\)/)).toBeTruthy();
    await view.user.click(held.getByRole('button', { name: /Retomar el pago/ }));
    expect(resume).toHaveBeenCalledWith(expect.objectContaining({ ref: 'PP-1' }));
    await view.user.click(held.getByRole('button', { name: /Cancelar ese pago/ }));
    expect(cancel).toHaveBeenCalledWith(expect.objectContaining({ ref: 'PP-1' }));
  });

  test('the breakdown adds up: total, then what was paid, then the balance', () => {
    renderWithProviders(
      <ItemsView
        data={lookupResponse({
          items: [item({ paid: '5000', balance: '20000', maxPartial: '10000' })],
        })}
        onPay={vi.fn()}
      />,
    );
    const terms = [...card('prueba fill out all').querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(terms.slice(0, 5)).toEqual(['Valor', 'Envío', 'Total', 'Abonado', 'Saldo']);
  });

  test('a picture that does not load is removed, not shown as spilled alt text', () => {
    setup();
    fireEvent.error(within(card('prueba fill out all')).getByRole('img'));
    expect(within(card('prueba fill out all')).queryByRole('img')).toBeNull();
  });

  test('an empty list names the masked number it was looked up with', () => {
    renderWithProviders(
      <ItemsView data={lookupResponse({ items: [] })} onPay={vi.fn()} maskedId="•••• 5678" />,
    );
    expect(
      screen.getByText(
        /No encontramos pagos pendientes con Comercio Demo S\.A\.S\. para el número •••• 5678\./,
      ),
    ).toBeTruthy();
  });

  test('a card’s own pay button pays that item alone and keeps the selection', async () => {
    const { user, onPay, deps } = setup();
    await user.click(within(card('prueba fill out all')).getByRole('checkbox'));
    await user.click(within(card('Matrícula marzo')).getByRole('checkbox'));
    await user.click(payButton('Factura 100'));
    expect(onPay).toHaveBeenCalledOnce();
    expect(deps.store.getState().single).toEqual({ ref: 'F-100', currency: 'COP' });
    expect(deps.store.getState().selection.map((s) => s.ref)).toEqual(['1234567', '7654321']);
  });

  test('a payable item without a choice of amount pays its balance with one tap', async () => {
    const { user, onPay, deps } = setup();
    expect(within(card('Factura 100')).queryByLabelText('Valor a pagar')).toBeNull();
    await user.click(payButton('Factura 100'));
    expect(onPay).toHaveBeenCalledOnce();
    expect(deps.store.getState().single).toEqual({ ref: 'F-100', currency: 'COP' });
  });

  test('the amount chooser accepts the balance or a partial amount that leaves at least the minimum', async () => {
    const { user, deps } = setup();
    const scope = within(card('prueba fill out all'));
    const input = scope.getByLabelText('Valor a pagar') as HTMLInputElement;
    expect(input.getAttribute('inputmode')).toBe('decimal');
    expect(input.value).toBe('25000');
    expect(scope.getByText('Entre $ 10.000 y $ 15.000, o el saldo total de $ 25.000.')).toBeTruthy();

    await user.clear(input);
    await user.type(input, '9999');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const range = 'El valor debe estar entre $ 10.000 y $ 15.000, o ser el saldo total de $ 25.000.';
    expect(scope.getByText(range)).toBeTruthy();
    expect(payButton('prueba fill out all').disabled).toBe(true);
    expect(describedText(payButton('prueba fill out all'))).toBe(range);

    // 20.000 of 25.000 would leave 5.000, under the minimum: the chooser prevents it.
    await user.clear(input);
    await user.type(input, '20000');
    expect(
      scope.getByText(
        'Ese valor dejaría un saldo menor que el pago mínimo. Paga como máximo $ 15.000 o el saldo total de $ 25.000.',
      ),
    ).toBeTruthy();
    expect(payButton('prueba fill out all').disabled).toBe(true);

    await user.clear(input);
    await user.type(input, '25001');
    expect(payButton('prueba fill out all').disabled).toBe(true);

    await user.clear(input);
    await user.type(input, '15.000');
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(scope.getByText('Pagarás $ 15.000.')).toBeTruthy();
    expect(payButton('prueba fill out all').disabled).toBe(false);

    await user.clear(input);
    await user.type(input, 'diez mil');
    expect(scope.getByText('Escribe solo el valor, p. ej. 10000.')).toBeTruthy();

    await user.click(scope.getByRole('button', { name: 'Pago mínimo' }));
    expect(input.value).toBe('10000');
    await user.click(scope.getByRole('button', { name: 'Saldo total' }));
    expect(input.value).toBe('25000');
    expect(deps.store.getState().amounts).toEqual({ '1234567': '25000' });
  });

  test('several items of one currency can be paid together; other currencies are held back', async () => {
    const { user, onPay, deps } = setup();
    await user.click(within(card('prueba fill out all')).getByRole('checkbox'));
    await user.click(within(card('Factura 100')).getByRole('checkbox'));

    const bar = screen.getByRole('region', { name: 'Pagar seleccionados' });
    expect(within(bar).getByText('2 seleccionados')).toBeTruthy();
    expect(within(bar).getByText('Total: $ 131.000')).toBeTruthy();

    const usd = within(card('Licencia anual')).getByRole('checkbox') as HTMLInputElement;
    expect(usd.disabled).toBe(true);
    expect(describedText(usd)).toBe('Solo puedes pagar juntos pagos en COP.');

    // A partial amount changes the total.
    const input = within(card('prueba fill out all')).getByLabelText('Valor a pagar');
    await user.clear(input);
    await user.type(input, '10000');
    expect(within(bar).getByText('Total: $ 116.000')).toBeTruthy();

    await user.click(within(bar).getByRole('button', { name: 'Pagar seleccionados' }));
    expect(onPay).toHaveBeenCalledOnce();
    expect(deps.store.getState().selection.map((s) => s.ref)).toEqual(['1234567', 'F-100']);

    // Unselecting all COP items frees the USD one.
    await user.click(within(card('prueba fill out all')).getByRole('checkbox'));
    await user.click(within(card('Factura 100')).getByRole('checkbox'));
    expect(screen.queryByRole('region', { name: 'Pagar seleccionados' })).toBeNull();
    expect((within(card('Licencia anual')).getByRole('checkbox') as HTMLInputElement).disabled).toBe(false);
  });

  test('the store itself refuses a second currency', () => {
    const { deps } = setup();
    const store = deps.store.getState();
    expect(store.toggle({ ref: 'A', currency: 'COP' })).toBe(true);
    expect(deps.store.getState().toggle({ ref: 'B', currency: 'USD' })).toBe(false);
    expect(deps.store.getState().selection).toEqual([{ ref: 'A', currency: 'COP' }]);
  });

  test('an invalid amount in the selection blocks "Pagar seleccionados" and says why', async () => {
    const { user } = setup();
    await user.click(within(card('prueba fill out all')).getByRole('checkbox'));
    const input = within(card('prueba fill out all')).getByLabelText('Valor a pagar');
    await user.clear(input);
    await user.type(input, '1');
    const button = within(screen.getByRole('region', { name: 'Pagar seleccionados' })).getByRole('button', {
      name: 'Pagar seleccionados',
    }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(describedText(button)).toBe('Revisa el valor a pagar antes de continuar.');
  });

  test('an empty lookup says so', () => {
    setup(lookupResponse({ items: [], payer: { maskedName: null } }));
    expect(screen.getByText('Hola')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'No tienes pagos pendientes' })).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  test('an overdue item without a late fee shows its days overdue, not a zero fee', () => {
    setup(lookupResponse({ items: [item({ daysOverdue: 3, limitDate: '2025-03-07' })] }));
    const scope = within(card('prueba fill out all'));
    expect(scope.getByText(/3 días de mora/)).toBeTruthy();
    expect(scope.queryByText('Intereses de mora')).toBeNull();
  });

  test('the linked item of a statement link is marked', () => {
    const onPay = vi.fn();
    renderWithProviders(<ItemsView data={lookupResponse()} highlightRef="F-100" onPay={onPay} />);
    expect(within(card('Factura 100')).getByText('Este es el pago de tu enlace.')).toBeTruthy();
  });

  test('in English, money follows the English format of the merchant region', () => {
    setup(lookupResponse({ items: [item()] }), 'en');
    expect(screen.getByRole('heading', { level: 2, name: 'Your pending payments' })).toBeTruthy();
    expect(within(card('prueba fill out all')).getAllByText('COP 25,000')).toHaveLength(2);
    expect(screen.getByRole('button', { name: /Pay with PayU/ })).toBeTruthy();
  });

  test('a long list shows every card (those past the first few in a background render)', async () => {
    const items = Array.from({ length: 40 }, (_, i) =>
      item({ ref: `FE-${2001 + i}`, description: `Factura FE-${2001 + i}`, picture: null }),
    );
    setup(lookupResponse({ items }));
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 2, name: 'Tus pagos pendientes' }),
    );
    expect(await screen.findAllByRole('heading', { level: 3 })).toHaveLength(40);
    expect(within(screen.getByRole('list')).getAllByRole('listitem')).toHaveLength(40);
    expect(screen.getByText(/40 pagos pendientes/)).toBeTruthy();
  });
});
