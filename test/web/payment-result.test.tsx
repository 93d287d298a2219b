import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
// Loaded up front so the client's lazy import of the schemas resolves under fake timers too.
import '../../shared/api/schemas';
import type { PaymentResponse } from '../../shared/api/schemas';
import { PaymentResult, type PaymentResultProps } from '../../web/features/result/payment-result';
import { apiError, fakeApi, json } from './support/fake-api';
import { payment } from './support/fixtures';
import { renderWithProviders } from './support/render';

function sequence(...answers: (() => Response)[]) {
  let i = 0;
  return () => {
    const answer = answers[Math.min(i, answers.length - 1)];
    i += 1;
    if (!answer) throw new Error('no answer');
    return answer();
  };
}

function setup(answer: () => Response | Promise<Response>, props: Partial<PaymentResultProps> = {}) {
  const api = fakeApi({ payment: answer });
  const onPayAnother = vi.fn();
  const onFinalStatus = vi.fn<(p: PaymentResponse) => void>();
  const view = renderWithProviders(
    <PaymentResult
      merchantId="demo"
      reference="SALDO-7K2M9Q"
      returnUrl="https://www.demo.co/tienda"
      onPayAnother={onPayAnother}
      onFinalStatus={onFinalStatus}
      polling={{ intervalMs: 20 }}
      {...props}
    />,
    { fetch: api.fetch },
  );
  return { ...view, api, onPayAnother, onFinalStatus };
}

/**
 * Waits for what the page shows next. Under fake timers vi.waitFor moves the clock on by `interval` between
 * its looks, so each check comes only after the previous answer was handled; the ceiling is the test's own.
 */
function eventually<T>(look: () => T): Promise<T> {
  return vi.waitFor(look, { timeout: 15_000, interval: 10 });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('result page', () => {
  test('keeps checking while PayU has not confirmed, then shows the approval, then stops', async () => {
    // The clock is driven by the test: a check can only happen when the test lets time pass.
    vi.useFakeTimers();
    // PayU answers "approved" only once the test has seen the pending state: the checks run as the clock
    // moves, and on a busy machine they could otherwise race past it before the test looks.
    let seenPending!: () => void;
    const pendingSeen = new Promise<void>((resolve) => (seenPending = resolve));
    let calls = 0;
    const { api, onFinalStatus } = setup(
      async () => {
        calls += 1;
        if (calls < 3) return json(payment());
        await pendingSeen;
        return json(payment({ status: 'approved', payuReference: '8a9b-payu-1' }));
      },
      { payuState: 'pending' },
    );
    expect(screen.getByRole('status').textContent).toBe('Consultando el estado de tu pago…');
    await eventually(() => screen.getByRole('heading', { level: 1, name: 'Pago en proceso' }));
    expect(screen.getByText('Consultando a PayU…')).toBeTruthy();
    seenPending();
    await eventually(() => screen.getByRole('heading', { level: 1, name: 'Pago aprobado' }));

    const approved = screen.getByRole('heading', { level: 1, name: 'Pago aprobado' });
    expect(document.activeElement).toBe(approved);
    expect(screen.queryByText('Consultando a PayU…')).toBeNull();
    expect(api.callsTo('payment')).toHaveLength(3);
    expect(api.callsTo('payment')[0]?.path).toBe('/api/v1/merchants/demo/payments/SALDO-7K2M9Q');
    expect(screen.getByText('8a9b-payu-1')).toBeTruthy();
    expect(screen.getAllByText('$ 25.000')).toHaveLength(2);
    expect(screen.getByText('prueba fill out all', { exact: false })).toBeTruthy();
    await eventually(() => expect(onFinalStatus).toHaveBeenCalledOnce());
    expect(onFinalStatus.mock.calls[0]?.[0]).toMatchObject({ reference: 'SALDO-7K2M9Q', status: 'approved' });

    // A final status ends the polling: an hour later nobody has asked again.
    await act(() => vi.advanceTimersByTimeAsync(60 * 60_000));
    expect(api.callsTo('payment')).toHaveLength(3);
    expect(onFinalStatus).toHaveBeenCalledOnce();
  });

  test('asks every 3 s, backs off, and stops after about ten minutes', async () => {
    vi.useFakeTimers();
    const { api } = setup(() => json(payment()), { polling: undefined, payuState: 'pending' });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(api.callsTo('payment')).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(2_999));
    expect(api.callsTo('payment')).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(api.callsTo('payment')).toHaveLength(2);

    await act(() => vi.advanceTimersByTimeAsync(10 * 60_000));
    const checks = api.callsTo('payment').length;
    expect(checks).toBeGreaterThan(15);
    expect(checks).toBeLessThan(60);
    expect(screen.getByText(/Aún no tenemos la confirmación/)).toBeTruthy();
    expect(screen.queryByText('Consultando a PayU…')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(10 * 60_000));
    expect(api.callsTo('payment')).toHaveLength(checks);

    fireEvent.click(screen.getByRole('button', { name: 'Consultar de nuevo' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(api.callsTo('payment')).toHaveLength(checks + 1);
    expect(screen.getByText('Consultando a PayU…')).toBeTruthy();
  });

  test.each(['4', 'approved'])(
    'PayU’s state in the URL (%s) is only a hint, never the status',
    async (state) => {
      setup(() => json(payment()), { payuState: state });
      expect(await screen.findByRole('heading', { level: 1, name: 'Pago en proceso' })).toBeTruthy();
      expect(screen.getByText('PayU indicó «aprobado»; estamos esperando su confirmación.')).toBeTruthy();
      expect(screen.queryByText('Pago aprobado')).toBeNull();
    },
  );

  test('the receipt names the merchant when the BFF says who it is', async () => {
    setup(() =>
      json(
        payment({
          status: 'approved',
          merchant: { id: 'demo', name: 'Tienda Demo S.A.S.', returnUrl: null },
        }),
      ),
    );
    await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' });
    expect(screen.getByText('Tienda Demo S.A.S.')).toBeTruthy();
  });

  test('links the printable receipt when the BFF gives its address, and not otherwise', async () => {
    setup(() => json(payment({ status: 'approved', receiptUrl: '/demo/receipts/abc' })));
    const link = await screen.findByRole('link', { name: 'Ver comprobante (imprimir o PDF)' });
    expect(link.getAttribute('href')).toBe('/demo/receipts/abc');
  });

  test('no receipt link without its address', async () => {
    setup(() => json(payment({ status: 'approved' })));
    await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' });
    expect(screen.queryByRole('link', { name: /comprobante/ })).toBeNull();
  });

  test.each([
    ['declined', 'Pago rechazado'],
    ['expired', 'Pago vencido'],
    ['error', 'No se pudo completar el pago'],
  ] as const)('a %s payment says so and offers to try the same items again', async (status, title) => {
    const onRetry = vi.fn();
    const { user, api, onPayAnother, onFinalStatus } = setup(() => json(payment({ status })), { onRetry });
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeTruthy();
    // No receipt to print for a payment that did not happen.
    expect(screen.queryByRole('button', { name: 'Imprimir comprobante' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Intentar de nuevo' }));
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ reference: 'SALDO-7K2M9Q', status }));
    expect(screen.getByRole('link', { name: 'Volver a la tienda' }).getAttribute('href')).toBe(
      'https://www.demo.co/tienda',
    );
    await user.click(screen.getByRole('button', { name: 'Pagar otra factura' }));
    expect(onPayAnother).toHaveBeenCalledOnce();
    expect(onFinalStatus).toHaveBeenCalledOnce();
    expect(api.callsTo('payment')).toHaveLength(1);
  });

  test('an approved payment can be printed', async () => {
    const print = vi.fn();
    // happy-dom has no window.print.
    Object.defineProperty(window, 'print', { configurable: true, writable: true, value: print });
    const { user } = setup(() => json(payment({ status: 'approved' })));
    await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' });
    await user.click(screen.getByRole('button', { name: 'Imprimir comprobante' }));
    expect(print).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Intentar de nuevo' })).toBeNull();
  });

  test('a checkout PayU never saw is "not finished", with its hold and a way back, not "processing"', async () => {
    const onBackToPayments = vi.fn();
    const { user } = setup(
      () => json(payment({ payuReference: null, holdUntil: '2025-03-10T15:30:00.000Z' })),
      {
        onBackToPayments,
        now: () => Date.parse('2025-03-10T15:10:00.000Z'),
      },
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Pago sin terminar' })).toBeTruthy();
    expect(screen.getByText('Aún no has pagado en PayU.')).toBeTruthy();
    expect(screen.getByText(/Tus cobros quedan reservados hasta el 10 de marzo de 2025/)).toBeTruthy();
    expect(screen.queryByText(/PayU está procesando/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Ver mis pagos' }));
    expect(onBackToPayments).toHaveBeenCalledOnce();
  });

  test('once its hold is over, a checkout PayU never saw says the items are free again', async () => {
    setup(() => json(payment({ payuReference: null, holdUntil: '2025-03-10T15:30:00.000Z' })), {
      now: () => Date.parse('2025-03-10T15:31:00.000Z'),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Pago sin terminar' })).toBeTruthy();
    expect(screen.getByText(/ya no están reservados/)).toBeTruthy();
  });

  test('a pending result says it once: no "PayU said pending" beside "in progress"', async () => {
    setup(() => json(payment()), { payuState: 'pending' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Pago en proceso' })).toBeTruthy();
    expect(screen.queryByText(/PayU indicó/)).toBeNull();
    expect(screen.getAllByText(/esperando|procesando/)).toHaveLength(1);
  });

  test('an unknown reference is explained, without retrying', async () => {
    vi.useFakeTimers();
    const { api } = setup(() => apiError(404, 'not_found'));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('heading', { level: 1, name: 'No pudimos consultar tu pago' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('No encontramos lo que buscas.');
    expect(screen.queryByRole('button', { name: 'Consultar de nuevo' })).toBeNull();
    // Ten minutes of polling time pass: still the one request.
    await act(() => vi.advanceTimersByTimeAsync(10 * 60_000));
    expect(api.callsTo('payment')).toHaveLength(1);
  });

  test('a dropped connection while waiting is retried quietly', async () => {
    setup(
      sequence(
        () => json(payment()),
        () => {
          throw new TypeError('Failed to fetch');
        },
        () => json(payment({ status: 'approved' })),
      ),
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a return address that is not http(s) is not offered', async () => {
    setup(() => json(payment({ status: 'approved' })), { returnUrl: 'javascript:alert(1)' });
    await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' });
    expect(screen.queryByRole('link', { name: 'Volver a la tienda' })).toBeNull();
  });
});
