import { randomUUID } from 'node:crypto';
import { createApp } from '../../../bff/app';
import type { AppDeps } from '../../../bff/app-deps';
import { fakeDeps, fakeErp } from '../../support/fake-deps';

export const PAYER = '12345678';

/** One COP item (partial payments from 5000) and one USD item with cents, for checkout and status tests. */
export const erpBody = {
  payments: [
    {
      recauda_information: {
        description: 'Cuota de administración marzo',
        amount: 20000,
        currency_type: 'COP',
        id_number: PAYER,
        ref_payment: 'ADM-03',
        advance: { type: 'Valor Minimo', value: 5000 },
      },
      advanced_options: { limit_date: '2025-03-15' },
    },
    {
      recauda_information: {
        description: 'Licencia anual',
        amount: 120.5,
        currency_type: 'USD',
        id_number: PAYER,
        ref_payment: 'LIC-1',
        advance: { type: 'Valor Minimo', value: 10 },
      },
      advanced_options: { limit_date: '2025-03-15' },
    },
  ],
};

export const buyer = { email: 'pagador@example.co', fullName: 'Ana Pérez', phone: '3001234567' };

/** createApp over the shared fakes, with `overrides` of its deps; `checkout` posts one as the SPA does. */
export async function routeApp(overrides: Partial<AppDeps> = {}) {
  const deps = await fakeDeps({ erp: fakeErp({ [PAYER]: erpBody }).port });
  const app = createApp({ ...deps, ...overrides });
  const checkout = (body: unknown, key: string | null = randomUUID(), headers: Record<string, string> = {}) =>
    app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === null ? {} : { 'idempotency-key': key }),
        ...headers,
      },
      body: JSON.stringify(body),
    });
  return { app, deps, checkout, close: () => deps.store.close() };
}

export async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string; fields?: { path: string }[] } })
    .error;
}
