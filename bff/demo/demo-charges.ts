import { addDays, calendarDateIn, type IsoDate } from '../../shared/dates';
import type { AppDeps } from '../app-deps';
import { createCharge, updateCharge } from '../charges/charge-service';

/**
 * The demo merchant's pushed charges (docs/spec/merchant-charges.md), created through the same service as
 * the API at start-up. Each has a fixed Idempotency-Key, so a restart creates nothing new; dates are relative
 * to the day the demo database was first seeded. Payer: Valentina Ruiz, CC 1122334455 (fictitious).
 */
export const DEMO_CHARGE_PAYER = '1122334455';

const slash = (d: IsoDate) => d.replaceAll('-', '/');

function demoCharges(today: IsoDate) {
  const payer = { user_id_type: 'CC', user_id_number: DEMO_CHARGE_PAYER, first_name: 'Valentina' };
  const common = { currency: 'COP', merchant_id_number: '900373923', merchant_phone: '573001234567', payer };
  return [
    {
      key: 'demo-charge-tiers',
      body: {
        ...common,
        amount: 80000,
        description: 'Mensualidad de diciembre: paga antes y ahorra',
        reference_one: 'Contrato C-204',
        reference_two: 'Sede norte',
        limit_date: slash(addDays(today, 15)),
        attachment: 'https://example.com/soportes/contrato-c-204.pdf',
        advance_payment: {
          condition_type: 'fixed',
          fixed: [
            { date: slash(addDays(today, 3)), value: 5000 },
            { date: slash(addDays(today, 10)), value: 2000 },
          ],
        },
      },
    },
    {
      key: 'demo-charge-automated',
      body: {
        ...common,
        amount: 120000,
        description: 'Curso de inglés, módulo 3',
        reference_one: 'FAC-3391',
        limit_date: slash(addDays(today, 12)),
        advance_payment: {
          condition_type: 'automated',
          type: 'percentage',
          value: 0.01,
          frequency: 3,
          limit: 5,
        },
        late_fees: { condition_type: 'automated', type: 'percentage', value: 0.02, frequency: 3, limit: 5 },
      },
    },
    {
      key: 'demo-charge-review',
      body: { ...common, amount: 45000, description: 'Pedido 7781: pago en efectivo en tienda' },
      patch: { process_type: 'cash' },
    },
    {
      key: 'demo-charge-qr',
      body: { ...common, amount: 30000, description: 'Reparación de bicicleta' },
      patch: { process_type: 'express', express: { method: 'qr' } },
    },
    {
      key: 'demo-charge-scheduled',
      body: {
        ...common,
        amount: 65000,
        description: 'Mensualidad de enero (programada)',
        status: 'scheduled',
        reminder_date: slash(addDays(today, 2)),
        limit_date: slash(addDays(today, 20)),
      },
    },
  ];
}

/** Seeds the demo merchant's charges; returns how many were created now (0 on every later start). */
export async function seedDemoCharges(deps: AppDeps, merchantId = 'demo'): Promise<number> {
  const merchant = deps.merchants.get(merchantId);
  if (!merchant) return 0;
  const today = calendarDateIn(merchant.timezone, deps.clock.now());
  let created = 0;
  for (const charge of demoCharges(today)) {
    const result = await createCharge(deps, merchant, charge.body, charge.key);
    if (!result.ok || result.replay) continue;
    created++;
    if (charge.patch) await updateCharge(deps, merchant, result.body.external_reference, charge.patch);
  }
  return created;
}
