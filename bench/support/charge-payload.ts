import { addDays, type IsoDate } from '../../shared/dates';

/**
 * Realistic "Generar cobro" bodies (docs/spec/merchant-charges.md) for the charges benchmarks, in a fixed mix
 * so every run stores and prices the same work: plain charges, references, an attachment, automated and fixed
 * incentives, automated and fixed late fees, charges past their limit date. All `pending` (visible and
 * payable), joined to the payer `payerId` (a CC number).
 */

type Json = Record<string, unknown>;

const DESCRIPTIONS = [
  'Mensualidad del plan de datos',
  'Curso de inglés, módulo 3',
  'Cuota de sostenimiento',
  'Reparación de bicicleta',
  'Pedido 7781 en tienda',
  'Arriendo de bodega',
  'Suscripción anual revista',
];

const slash = (d: IsoDate) => d.replaceAll('-', '/');

export function benchChargeBody(i: number, payerId: string, today: IsoDate): Json {
  const body: Json = {
    amount: 30_000 + ((i * 7919) % 40) * 2_500,
    currency: 'COP',
    description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} ${i + 1}`,
    merchant_id_number: '900373923',
    merchant_phone: '573001234567',
    payer: { user_id_type: 'CC', user_id_number: payerId, first_name: 'Valentina' },
    reference_one: `CT-${558_200 + i}`,
  };
  if (i % 2 === 0) body.reference_two = `Sede ${i % 3 === 0 ? 'norte' : 'sur'}`;
  if (i % 5 === 0) body.attachment = `https://cdn.example.co/soportes/cobro-${i}.pdf`;
  const limit = addDays(today, (i % 30) - 10);
  switch (i % 5) {
    case 0:
      break;
    case 1:
      body.limit_date = slash(addDays(today, 12 + (i % 9)));
      body.advance_payment = {
        condition_type: 'automated',
        type: 'percentage',
        value: 0.01,
        frequency: 3,
        limit: 5,
      };
      break;
    case 2:
      body.limit_date = slash(addDays(today, 15));
      body.advance_payment = {
        condition_type: 'fixed',
        fixed: [
          { date: slash(addDays(today, 3)), value: 5_000 },
          { date: slash(addDays(today, 10)), value: 2_000 },
        ],
      };
      break;
    case 3:
      body.limit_date = slash(limit);
      body.late_fees = {
        condition_type: 'automated',
        type: 'percentage',
        value: 0.02,
        frequency: 3,
        limit: 5,
      };
      break;
    default:
      body.limit_date = slash(limit);
      body.late_fees = {
        condition_type: 'fixed',
        fixed: [
          { date: slash(addDays(today, -5)), value: 5_000 },
          { date: slash(addDays(today, 10)), value: 5_000 },
        ],
      };
  }
  return body;
}
