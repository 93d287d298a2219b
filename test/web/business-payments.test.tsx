import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { CheckoutResponse, LookupItem, Withholding } from '../../shared/api/schemas';
import { CheckoutForm } from '../../web/features/checkout/checkout-form';
import { ItemsView } from '../../web/features/items/items-view';
import { paymentPlan } from '../../web/features/items/payment-plan';
import { PaymentResult } from '../../web/features/result/payment-result';
import { apiError, fakeApi, json, type FakeRoutes, type RecordedCall } from './support/fake-api';
import { item, lookupResponse, payment } from './support/fixtures';
import { renderWithProviders } from './support/render';

/**
 * docs/spec/business-payments.md in the list: select all with a running total, one amount spread over the
 * selection with the BFF's preview (its loading state, its errors, the lower/upper suggestions), "Pay all",
 * and the withholdings a NIT payer may tick; then checkout sending the spread or the withholdings.
 */

const NIT = '900373923-8';

function withholding(code: string, label: string, amount: string): Withholding {
  return { code, label, base: '1000000', rate: '0.04', amount };
}

/** The spec's example: 30000 (whole only), 50000 (part payments from 10000), 20000; oldest first. */
const INVOICES: LookupItem[] = [
  item({
    ref: 'FE-1',
    description: 'Factura FE-1',
    amount: '30000',
    delivery: '0',
    total: '30000',
    balance: '30000',
    minimum: '30000',
    maxPartial: null,
    limitDate: '2025-03-01',
    picture: null,
    references: [],
    withholdings: [
      withholding('rtefte-servicios', 'Retención en la fuente 4 %', '1200'),
      withholding('reteiva', 'ReteIVA 15 %', '0'),
    ],
  }),
  item({
    ref: 'FE-2',
    description: 'Factura FE-2',
    amount: '50000',
    delivery: '0',
    total: '50000',
    balance: '50000',
    minimum: '10000',
    maxPartial: '40000',
    limitDate: '2025-03-05',
    picture: null,
    references: [],
    withholdings: [withholding('rtefte-servicios', 'Retención en la fuente 4 %', '2000')],
  }),
  item({
    ref: 'FE-3',
    description: 'Factura FE-3',
    amount: '20000',
    delivery: '0',
    total: '20000',
    balance: '20000',
    minimum: '20000',
    maxPartial: null,
    limitDate: '2025-03-20',
    picture: null,
    references: [],
    withholdings: [],
  }),
];

const company = () => lookupResponse({ items: INVOICES, payer: { maskedName: 'In******** Al******' } });

/** What the BFF answers for the spec's example amounts. */
function allocateLikeTheSpec(call: RecordedCall): Response {
  const { amount } = call.body as { amount: string };
  const table: Record<string, { ref: string; amount: string }[]> = {
    '60000': [
      { ref: 'FE-1', amount: '30000' },
      { ref: 'FE-2', amount: '30000' },
    ],
    '40000': [
      { ref: 'FE-1', amount: '30000' },
      { ref: 'FE-2', amount: '10000' },
    ],
    '100000': [
      { ref: 'FE-1', amount: '30000' },
      { ref: 'FE-2', amount: '50000' },
      { ref: 'FE-3', amount: '20000' },
    ],
  };
  const allocations = table[amount];
  if (allocations) return json({ currency: 'COP', total: amount, allocations });
  if (amount === '35000') {
    return json(
      { error: { code: 'amount_not_allocatable', message: 'server text', lower: '30000', upper: '40000' } },
      422,
    );
  }
  return json(
    { error: { code: 'amount_not_allocatable', message: 'server text', lower: '100000', upper: null } },
    422,
  );
}

function setup(routes: FakeRoutes = {}, credential = true) {
  const api = fakeApi({ allocate: allocateLikeTheSpec, ...routes });
  const onPay = vi.fn();
  const view = renderWithProviders(<ItemsView data={company()} onPay={onPay} />, { fetch: api.fetch });
  if (credential) view.deps.store.getState().setCredential({ kind: 'idNumber', idNumber: NIT });
  return { ...view, api, onPay };
}

function card(description: string): HTMLElement {
  const article = screen.getByRole('heading', { level: 3, name: description }).closest('article');
  if (!article) throw new Error(`no card for ${description}`);
  return article;
}

const bar = () => screen.getByRole('region', { name: 'Pagar seleccionados' });
const payButton = () =>
  within(bar()).getByRole('button', { name: 'Pagar seleccionados' }) as HTMLButtonElement;

async function openSpread(user: ReturnType<typeof setup>['user']) {
  await user.click(screen.getByRole('button', { name: 'Seleccionar todos (3)' }));
  await user.click(within(bar()).getByRole('button', { name: 'Pagar un valor total' }));
  return (await within(bar()).findByLabelText('Valor total a pagar')) as HTMLInputElement;
}

/** Text with every run of spaces (money has no-break spaces) as one plain space. */
const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The whole amount in one change (typing digit by digit could pause past the debounce on a busy machine). */
function typeAmount(input: HTMLInputElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

/** The allocate calls' amounts, in order. */
const askedAmounts = (api: ReturnType<typeof fakeApi>) =>
  api.callsTo('allocate').map((c) => (c.body as { amount: string }).amount);

describe('selection and running total', () => {
  test('"Seleccionar todos" selects every payable item and the bar adds their balances; again clears it', async () => {
    const { user, deps } = setup();
    await user.click(screen.getByRole('button', { name: 'Seleccionar todos (3)' }));
    expect(deps.store.getState().selection.map((s) => s.ref)).toEqual(['FE-1', 'FE-2', 'FE-3']);
    expect(within(bar()).getByText('3 seleccionados')).toBeTruthy();
    expect(within(bar()).getByText('Total: $ 100.000')).toBeTruthy();

    await user.click(within(card('Factura FE-3')).getByRole('checkbox', { name: /^Seleccionar/ }));
    expect(within(bar()).getByText('Total: $ 80.000')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Seleccionar todos (3)' }));
    await user.click(screen.getByRole('button', { name: 'Quitar la selección' }));
    expect(deps.store.getState().selection).toEqual([]);
    expect(screen.queryByRole('region', { name: 'Pagar seleccionados' })).toBeNull();
  });

  test('without a payer to ask for (no credential) there is no spread, only the per-item total', async () => {
    const { user } = setup({}, false);
    await user.click(screen.getByRole('button', { name: 'Seleccionar todos (3)' }));
    expect(within(bar()).queryByRole('button', { name: 'Pagar un valor total' })).toBeNull();
  });
});

describe('one amount spread over the selection', () => {
  test('the preview asks the BFF once the payer pauses, shows a loading state, then each share', async () => {
    let answer: (response: Response) => void = () => undefined;
    const { user, api, deps } = setup({
      allocate: (call) =>
        new Promise<Response>((resolve) => (answer = () => resolve(allocateLikeTheSpec(call)))),
    });
    const input = await openSpread(user);
    expect(input.getAttribute('inputmode')).toBe('decimal');
    // Three changes in a row (no pause between them): one request, for the last amount.
    fireEvent.change(input, { target: { value: '6' } });
    fireEvent.change(input, { target: { value: '60' } });
    fireEvent.change(input, { target: { value: '60.000' } });
    expect(await within(bar()).findByText('Calculando el reparto…')).toBeTruthy();
    await waitFor(() => expect(api.callsTo('allocate')).toHaveLength(1));
    expect(api.callsTo('allocate')[0]?.body).toEqual({
      idNumber: NIT,
      refs: ['FE-1', 'FE-2', 'FE-3'],
      amount: '60000',
    });
    // Until the preview is in, the selection cannot be paid.
    expect(payButton().disabled).toBe(true);
    answer(new Response());

    expect(await within(bar()).findByText('Pagarás $ 60.000 en 2 cobros.')).toBeTruthy();
    const shares = within(bar())
      .getAllByRole('listitem')
      .map((li) => squash(li.textContent));
    expect(shares).toEqual([
      'Factura FE-1 Ref. FE-1$ 30.000',
      'Factura FE-2 Ref. FE-2Abono de $ 30.000 (saldo $ 50.000)',
      'Factura FE-3 Ref. FE-3No se incluye',
    ]);
    expect(within(bar()).getByText('Total: $ 60.000')).toBeTruthy();
    expect(payButton().disabled).toBe(false);
    expect(deps.store.getState().allocation).toEqual({
      refs: ['FE-1', 'FE-2', 'FE-3'],
      amount: '60000',
      allocations: [
        { ref: 'FE-1', amount: '30000' },
        { ref: 'FE-2', amount: '30000' },
      ],
    });
    expect(askedAmounts(api)).toEqual(['60000']);
  });

  test('an amount that cannot be spread offers the nearest lower and upper amounts as buttons that set it', async () => {
    const { user, api } = setup();
    const input = await openSpread(user);
    typeAmount(input, '35000');
    const group = await within(bar()).findByRole('group', { name: 'Valores que sí se pueden repartir' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(within(bar()).getByText(/Ese valor no se puede repartir/)).toBeTruthy();
    expect(payButton().disabled).toBe(true);
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => squash(b.textContent))).toEqual([
      'Pagar $ 30.000 (menos)',
      'Pagar $ 40.000 (más)',
    ]);

    await user.click(within(group).getByRole('button', { name: /^Pagar \$\s40\.000 \(más\)$/ }));
    expect(input.value).toBe('40000');
    // Focus goes back to the field (the buttons go away with the refusal).
    expect(document.activeElement).toBe(input);
    expect(await within(bar()).findByText('Pagarás $ 40.000 en 2 cobros.')).toBeTruthy();
    expect(payButton().disabled).toBe(false);

    // Back to an amount already seen: its answer is reused, nothing is asked again.
    typeAmount(input, '35000');
    expect(
      await within(bar()).findByRole('group', { name: 'Valores que sí se pueden repartir' }),
    ).toBeTruthy();
    expect(askedAmounts(api)).toEqual(['35000', '40000']);
  });

  test('above everything owed there is only a lower suggestion', async () => {
    const { user } = setup();
    const input = await openSpread(user);
    typeAmount(input, '150000');
    const group = await within(bar()).findByRole('group', { name: 'Valores que sí se pueden repartir' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((b) => squash(b.textContent)),
    ).toEqual(['Pagar $ 100.000 (menos)']);
  });

  test('"Pagar todo" types the sum of the selected balances', async () => {
    const { user, api } = setup();
    const input = await openSpread(user);
    await user.click(within(bar()).getByRole('button', { name: /^Pagar todo \(\$\s100\.000\)$/ }));
    expect(input.value).toBe('100000');
    expect(await within(bar()).findByText('Pagarás $ 100.000 en 3 cobros.')).toBeTruthy();
    expect(askedAmounts(api)).toEqual(['100000']);
  });

  test('an amount that is not a number is said at once and asks nothing', async () => {
    const { user, api } = setup();
    const input = await openSpread(user);
    await user.type(input, '12abc');
    expect(within(bar()).getByText('Escribe solo el valor, p. ej. 30000.')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(api.callsTo('allocate')).toHaveLength(0);
  });

  test('a failed preview says why in the payer’s words and retries on demand', async () => {
    let fail = true;
    const { user, api } = setup({
      allocate: (call) =>
        fail ? apiError(429, 'rate_limited', { 'Retry-After': '30' }) : allocateLikeTheSpec(call),
    });
    const input = await openSpread(user);
    typeAmount(input, '60000');
    expect(
      await within(bar()).findByText(
        'Hiciste muchas consultas seguidas. Espera unos minutos e intenta de nuevo.',
      ),
    ).toBeTruthy();
    expect(within(bar()).queryByText('server text the SPA must never show')).toBeNull();
    expect(payButton().disabled).toBe(true);
    fail = false;
    await user.click(within(bar()).getByRole('button', { name: 'Reintentar' }));
    expect(await within(bar()).findByText('Pagarás $ 60.000 en 2 cobros.')).toBeTruthy();
    expect(askedAmounts(api)).toEqual(['60000', '60000']);
  });

  test('closing the panel drops the amount: the items are paid one by one again', async () => {
    const { user, deps } = setup();
    const input = await openSpread(user);
    typeAmount(input, '60000');
    await within(bar()).findByText('Pagarás $ 60.000 en 2 cobros.');
    await user.click(within(bar()).getByRole('button', { name: 'Pagar un valor total' }));
    expect(deps.store.getState().spreadText).toBe('');
    expect(within(bar()).getByText('Total: $ 100.000')).toBeTruthy();
    expect(payButton().disabled).toBe(false);
  });
});

describe('withholdings', () => {
  test('only the kinds with an amount are offered; ticking one pays the balance net of it', async () => {
    const { user, deps } = setup();
    const group = await within(card('Factura FE-1')).findByRole('group', {
      name: 'Retenciones que practicas',
    });
    const boxes = within(group).getAllByRole('checkbox');
    // ReteIVA is 0 on this invoice: not offered.
    expect(boxes).toHaveLength(1);
    expect(boxes[0]?.getAttribute('id')).toBeTruthy();
    expect(
      within(card('Factura FE-3')).queryByRole('group', { name: 'Retenciones que practicas' }),
    ).toBeNull();

    await user.click(within(group).getByRole('checkbox', { name: /Retención en la fuente 4 %: \$\s1\.200/ }));
    expect(within(group).getByText('Pagarás $ 28.800 y retienes $ 1.200.')).toBeTruthy();
    expect(deps.store.getState().withholdings).toEqual({ 'FE-1': ['rtefte-servicios'] });

    // FE-2 takes part payments, but with a withholding ticked its whole balance is settled: no amount field.
    const second = within(card('Factura FE-2'));
    expect(second.getByLabelText('Valor a pagar')).toBeTruthy();
    await user.click(
      within(await second.findByRole('group', { name: 'Retenciones que practicas' })).getByRole('checkbox'),
    );
    expect(second.queryByLabelText('Valor a pagar')).toBeNull();

    // The running total is net of what is withheld, and says how much that is.
    await user.click(screen.getByRole('button', { name: 'Seleccionar todos (3)' }));
    expect(within(bar()).getByText('Total: $ 96.800')).toBeTruthy();
    expect(within(bar()).getByText(/Retenido: \$ 3\.200/)).toBeTruthy();

    // A spread cannot carry withholdings: the panel says so instead of offering the amount.
    await user.click(within(bar()).getByRole('button', { name: 'Pagar un valor total' }));
    expect(within(bar()).getByText(/Con retenciones pagas el saldo completo/)).toBeTruthy();
    expect(within(bar()).queryByLabelText('Valor total a pagar')).toBeNull();

    const plan = paymentPlan(INVOICES, deps.store.getState());
    expect(plan).toMatchObject({ kind: 'items', ok: true });
    expect(plan?.lines.map((l) => [l.item.ref, l.amount, l.withholdings.map((w) => w.code)])).toEqual([
      ['FE-1', '28800', ['rtefte-servicios']],
      ['FE-2', '48000', ['rtefte-servicios']],
      ['FE-3', '20000', []],
    ]);
  });

  test('in English', async () => {
    const api = fakeApi({ allocate: allocateLikeTheSpec });
    const view = renderWithProviders(<ItemsView data={company()} onPay={vi.fn()} />, {
      fetch: api.fetch,
      language: 'en',
    });
    view.deps.store.getState().setCredential({ kind: 'idNumber', idNumber: NIT });
    const group = await within(card('Factura FE-1')).findByRole('group', { name: 'Taxes you withhold' });
    await view.user.click(within(group).getByRole('checkbox'));
    expect(within(group).getByText('You will pay COP 28,800 and withhold COP 1,200.')).toBeTruthy();
    await view.user.click(screen.getByRole('button', { name: 'Select all (3)' }));
    await view.user.click(within(card('Factura FE-1')).getByRole('checkbox', { name: /Retención/ }));
    const region = screen.getByRole('region', { name: 'Pay selected' });
    await view.user.click(within(region).getByRole('button', { name: 'Pay one total amount' }));
    const input = await within(region).findByLabelText('Total amount to pay');
    typeAmount(input as HTMLInputElement, '35000');
    expect(await within(region).findByRole('button', { name: /^Pay COP\s40,000 \(more\)$/ })).toBeTruthy();
  });
});

describe('checkout of a business payment', () => {
  const created: CheckoutResponse = {
    reference: 'SALDO-BIZ1',
    action: 'https://sandbox.checkout.payulatam.com/ppp-web-gateway-payu/',
    method: 'POST',
    fields: { referenceCode: 'SALDO-BIZ1', amount: '40000' },
    allocation: [
      { ref: 'FE-1', amount: '30000' },
      { ref: 'FE-2', amount: '10000' },
    ],
  };

  beforeEach(() => {
    vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(() => undefined);
  });

  async function submit(props: Partial<Parameters<typeof CheckoutForm>[0]>) {
    const api = fakeApi({ checkout: () => json(created, 201) });
    const view = renderWithProviders(
      <CheckoutForm
        merchantId="demo"
        credential={{ kind: 'idNumber', idNumber: NIT }}
        lines={[]}
        language="es"
        onBack={vi.fn()}
        {...props}
      />,
      { fetch: api.fetch },
    );
    await view.user.type(screen.getByLabelText('Correo electrónico'), 'tesoreria@altamira.co');
    await view.user.type(screen.getByLabelText('Nombre completo'), 'Tesorería Altamira');
    await view.user.type(screen.getByLabelText('Teléfono celular'), '300 123 4567');
    const summary = screen.getByRole('heading', { name: 'Vas a pagar' }).parentElement!;
    const text = squash(summary.textContent);
    await view.user.click(screen.getByRole('button', { name: 'Ir a pagar con PayU' }));
    await waitFor(() => expect(api.callsTo('checkout')).toHaveLength(1));
    return { body: api.callsTo('checkout')[0]?.body as Record<string, unknown>, summary: text };
  }

  test('a spread amount is sent as `spread`, never as items, and the summary shows the previewed shares', async () => {
    const { body, summary } = await submit({
      lines: [
        { item: INVOICES[0]!, amount: '30000' },
        { item: INVOICES[1]!, amount: '10000' },
      ],
      spread: { refs: ['FE-1', 'FE-2', 'FE-3'], amount: '40000' },
    });
    expect(body.spread).toEqual({ refs: ['FE-1', 'FE-2', 'FE-3'], amount: '40000' });
    expect(body.items).toBeUndefined();
    expect(body.idNumber).toBe(NIT);
    expect(summary).toContain('Total a pagar $ 40.000');
    expect(summary).toContain('Tu valor se reparte del cobro más antiguo al más reciente.');
  });

  test('withholdings go with their item as codes, the amount being the cash part', async () => {
    const rtefte = INVOICES[0]!.withholdings![0]!;
    const { body, summary } = await submit({
      lines: [
        { item: INVOICES[0]!, amount: '28800', withholdings: [rtefte] },
        { item: INVOICES[2]!, amount: '20000' },
      ],
    });
    expect(body.items).toEqual([
      { ref: 'FE-1', amount: '28800', withholdings: ['rtefte-servicios'] },
      { ref: 'FE-3', amount: '20000' },
    ]);
    expect(body.spread).toBeUndefined();
    expect(summary).toContain('Retienes $ 1.200');
    expect(summary).toContain('Total retenido $ 1.200');
    expect(summary).toContain('Total a pagar $ 48.800');
  });
});

describe('result of a payment with withholdings', () => {
  test('each item shows its gross amount, each withholding and the cash paid', async () => {
    const rtefte = { ...INVOICES[0]!.withholdings![0]!, base: '30000', amount: '1200' };
    const api = fakeApi({
      payment: () =>
        json(
          payment({
            status: 'approved',
            amount: '48800',
            gross: '50000',
            withheld: '1200',
            items: [
              {
                ref: 'FE-1',
                description: 'Factura FE-1',
                amount: '28800',
                gross: '30000',
                withheld: '1200',
                withholdings: [rtefte],
              },
              { ref: 'FE-3', description: 'Factura FE-3', amount: '20000' },
            ],
          }),
        ),
    });
    renderWithProviders(
      <PaymentResult
        merchantId="demo"
        reference="SALDO-7K2M9Q"
        returnUrl={null}
        onPayAnother={vi.fn()}
        polling={{ intervalMs: 20 }}
      />,
      { fetch: api.fetch },
    );
    await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' });
    const lines = [...document.querySelectorAll('.receipt-items > li')].map((li) => squash(li.textContent));
    expect(lines).toEqual([
      'Factura FE-1 Ref. FE-1$ 28.800Valor del cobro$ 30.000Retención en la fuente 4 %−$ 1.200Pagado$ 28.800',
      'Factura FE-3 Ref. FE-3$ 20.000',
    ]);
  });
});
