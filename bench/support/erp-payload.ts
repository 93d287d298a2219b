import { addDays, type IsoDate } from '../../shared/dates';

/**
 * Realistic Recauda ERP answers (seed 003 shape) for the benchmarks: Spanish descriptions, advances,
 * discounts, delivery, limit dates, late fees, references, webhooks and metadata, in a fixed mix so every
 * run reads the same bytes.
 */

type Json = Record<string, unknown>;

const DESCRIPTIONS = [
  'Cuota de administración',
  'Factura de energía eléctrica',
  'Pensión escolar',
  'Matrícula semestre',
  'Servicio de internet hogar',
  'Mantenimiento preventivo ascensor',
  'Parqueadero de visitantes',
  'Cuota extraordinaria arreglo de fachada',
  'Suscripción plan empresarial',
  'Arriendo local comercial',
  'Seguro de vida grupo',
  'Crédito de libranza cuota',
];
const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre'];

export interface ItemOptions {
  /** The id_number the item states (a placeholder when the bytes are templated per request). */
  readonly idNumber: string;
  readonly payerName: string;
  /** Dates are relative to this day, so discounts, overdue fees and limits all apply. */
  readonly today: IsoDate;
  readonly webhookUrl: string;
}

/** The i-th valid item: amounts, options and dates vary with i in a fixed pattern. */
export function recaudaItem(i: number, o: ItemOptions): Json {
  const usd = i % 17 === 16;
  const amount = usd ? `${(25 + (i % 40) * 3.5).toFixed(2)}` : 20_000 + ((i * 7919) % 90) * 5_000;
  const info: Json = {
    description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} ${MONTHS[i % MONTHS.length]} 2025`,
    amount,
    selected_taxes: null,
    currency_type: usd ? 'USD' : 'COP',
    id_number: o.idNumber,
    payer_name: o.payerName,
    ref_payment: `FAC-2025-${String(100_000 + i)}`,
    metadata: {
      contrato: `CT-${558_200 + i}`,
      sede: i % 2 === 0 ? 'Bogotá' : 'Medellín',
      cuota: (i % 12) + 1,
    },
  };
  if (i % 3 === 0) info.advance = { type: 'Valor Minimo', value: usd ? 10 : 10_000 };
  else if (i % 3 === 1) info.advance = { type: 'Porcentaje Minimo', value: 30 };

  const options: Json = {
    limit_date: addDays(o.today, (i % 45) - 15),
    references: [`CT-${558_200 + i}`, `Unidad ${(i % 40) + 1}`],
    result_urls: { webhook: o.webhookUrl },
    has_comments: i % 5 === 0,
    comments_label: 'Deja tus comentarios',
  };
  if (i % 4 === 0) options.discount = { before_on: addDays(o.today, 5), type: 'Porcentaje', value: 10 };
  else if (i % 4 === 1) {
    options.discount = { before_on: addDays(o.today, 2), type: 'Valor', value: usd ? 5 : 5_000 };
  }
  options.delivery_service = i % 6 === 0 ? { type: 'Con Valor', value: usd ? 4 : 8_000 } : { type: 'Gratis' };
  if (i % 6 === 0) options.request_address_delivery = true;
  if (i % 7 === 0) {
    options.late_fees = {
      condition_type: 'automated',
      type: 'percentage',
      value: 0.02,
      frequency: 3,
      limit: 5,
    };
  } else if (i % 7 === 3) {
    options.late_fees = {
      condition_type: 'fixed',
      fixed: [
        { date: addDays(o.today, -5), value: usd ? 2 : 5_000 },
        { date: addDays(o.today, 10), value: usd ? 2 : 5_000 },
      ],
    };
  }
  if (i % 10 === 0) options.picture = 'https://cdn.example.co/facturas/logo.svg';
  return { recauda_information: info, advanced_options: options };
}

/** Kinds of broken items a real ERP sends; the reader must skip each one. */
function invalidItem(i: number, o: ItemOptions): Json {
  const base = recaudaItem(i, o);
  const info = { ...(base.recauda_information as Json) };
  switch (i % 5) {
    case 0:
      return { advanced_options: base.advanced_options };
    case 1:
      return { ...base, recauda_information: { ...info, amount: 'abc' } };
    case 2:
      return { ...base, recauda_information: { ...info, currency_type: 'ARS' } };
    case 3:
      return { ...base, recauda_information: { ...info, id_number: '99999999' } };
    default:
      return {
        ...base,
        advanced_options: { ...(base.advanced_options as Json), delivery_service: { type: 'Express' } },
      };
  }
}

/** `count` items for one payer: mostly valid, with `duplicateEvery`-th repeating an earlier ref and `invalidEvery`-th broken. */
export function recaudaPayload(
  count: number,
  o: ItemOptions,
  mix: { duplicateEvery?: number; invalidEvery?: number } = {},
): { payments: Json[]; valid: number; duplicates: number; invalid: number } {
  const payments: Json[] = [];
  let duplicates = 0;
  let invalid = 0;
  let next = 0;
  for (let n = 0; n < count; n++) {
    if (mix.invalidEvery && n % mix.invalidEvery === mix.invalidEvery - 1) {
      payments.push(invalidItem(1_000_000 + n, o));
      invalid++;
    } else if (mix.duplicateEvery && n % mix.duplicateEvery === mix.duplicateEvery - 1 && next > 0) {
      payments.push(recaudaItem((n * 31) % next, o));
      duplicates++;
    } else {
      payments.push(recaudaItem(next++, o));
    }
  }
  return { payments, valid: next, duplicates, invalid };
}
