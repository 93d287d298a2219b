import { addDays, type IsoDate } from '../../shared/dates';
import seed003Payload from './seed-003-payload.json' with { type: 'json' };

/**
 * The demo Recauda ERP's payers. Dates are relative to "today" so every pricing rule (discount window,
 * overdue late fees, minimums) is visible whenever the demo runs. Names and numbers are fictitious.
 * Every `ref_payment` is unique across payers: the portal keys recorded payments by merchant + ref.
 */

export interface DemoPayer {
  /** What the payer types in the portal. */
  readonly idNumber: string;
  /** The same number as people write it (dots, NIT check digit). */
  readonly display: string;
  readonly label: string;
  /** What this payer demonstrates, for the README. */
  readonly shows: string;
}

export const DEMO_PAYERS: readonly DemoPayer[] = [
  {
    idNumber: '12345678',
    display: '12.345.678',
    label: 'efipay (seed 003 example)',
    shows:
      'The seed 003 example payload, unchanged: advance "Valor Minimo", delivery "Con Valor", references, picture.',
  },
  {
    idNumber: '1020304050',
    display: '1.020.304.050',
    label: 'Camila Andrea Rojas Pérez',
    shows:
      'Early-payment discounts: 10 % until today+5, a fixed-value discount, and one whose window has closed.',
  },
  {
    idNumber: '79865432',
    display: '79.865.432',
    label: 'Jorge Enrique Salazar Muñoz',
    shows: 'Overdue items with late fees: automated 2 % every 3 days (9 days late), and a fixed dated fee.',
  },
  {
    idNumber: '52123456',
    display: '52.123.456',
    label: 'Luz Marina Cárdenas Ospina',
    shows: 'Partial payment (30 % minimum), paid delivery with a delivery address, and a comment box.',
  },
  {
    idNumber: '1098765432',
    display: '1.098.765.432',
    label: 'Sebastián Torres Vargas',
    shows: 'An item under the merchant minimum (COP 8.000): shown with a disabled pay button.',
  },
  {
    idNumber: '88776655',
    display: '88.776.655',
    label: 'Andrés Felipe Gómez Restrepo',
    shows: 'Foreign currencies: USD with cents and one EUR item.',
  },
  {
    idNumber: '43215678',
    display: '43.215.678',
    label: 'María Fernanda López Castro',
    shows:
      'A messy ERP answer: a duplicated ref_payment, broken items (no recauda_information, amount "abc", ' +
      'currency ARS, another payer’s id) that are skipped, and the misspelled advanded_options.',
  },
  {
    idNumber: '900373923',
    display: '900.373.923-8',
    label: 'Inversiones Altamira S.A.S. (NIT)',
    shows:
      'A company with 40 invoices: varied amounts, some overdue, some discounted, some allowing advances; ' +
      'typed with its check digit (900373923-8) it may declare the demo merchant’s withholdings.',
  },
];

type Json = Record<string, unknown>;

interface ItemSpec {
  readonly ref: string | number;
  readonly description: string;
  readonly amount: string | number;
  readonly currency?: string;
  readonly idNumber: string | null;
  readonly payerName: string;
  readonly advance?: Json;
  readonly metadata?: unknown;
}

function item(spec: ItemSpec, options: Json | null): Json {
  const info: Json = {
    description: spec.description,
    amount: spec.amount,
    selected_taxes: null,
    currency_type: spec.currency ?? 'COP',
    ...(spec.idNumber === null ? {} : { id_number: spec.idNumber }),
    payer_name: spec.payerName,
    ref_payment: spec.ref,
  };
  if (spec.advance) info.advance = spec.advance;
  if (spec.metadata !== undefined) info.metadata = spec.metadata;
  return { recauda_information: info, advanced_options: options };
}

interface Context {
  readonly today: IsoDate;
  readonly webhookUrl: string;
}

const day = (ctx: Context, offset: number) => addDays(ctx.today, offset);

function discounts(ctx: Context): Json[] {
  const who = { idNumber: '1020304050', payerName: 'Camila Andrea Rojas Pérez' };
  const hooks = { webhook: ctx.webhookUrl };
  return [
    item(
      {
        ...who,
        ref: 'ADM-2025-0317',
        description: 'Cuota de administración marzo',
        amount: 350000,
        metadata: { conjunto: 'Conjunto Residencial Los Almendros', unidad: 'Torre B apto 502' },
      },
      {
        limit_date: day(ctx, 10),
        references: ['Torre B', 'Apto 502'],
        result_urls: hooks,
        discount: { before_on: day(ctx, 5), type: 'Porcentaje', value: 10 },
        has_comments: false,
      },
    ),
    item(
      {
        ...who,
        ref: 'ADM-2025-0318',
        description: 'Cuota extraordinaria arreglo de fachada',
        amount: '120000',
        metadata: { conjunto: 'Conjunto Residencial Los Almendros', asamblea: 'Acta 14 de 2025' },
      },
      {
        limit_date: day(ctx, 15),
        references: ['Acta 14'],
        result_urls: hooks,
        discount: { before_on: day(ctx, 2), type: 'Valor', value: 15000 },
        has_comments: false,
      },
    ),
    item(
      { ...who, ref: 'ADM-2025-0301', description: 'Parqueadero de visitantes febrero', amount: 45000 },
      {
        limit_date: day(ctx, 3),
        result_urls: hooks,
        // The window closed yesterday: shown at full price.
        discount: { before_on: day(ctx, -1), type: 'Porcentaje', value: 5 },
        has_comments: false,
      },
    ),
  ];
}

function overdue(ctx: Context): Json[] {
  const who = { idNumber: '79865432', payerName: 'Jorge Enrique Salazar Muñoz' };
  const hooks = { webhook: ctx.webhookUrl };
  return [
    item(
      {
        ...who,
        ref: 'FE-1043',
        description: 'Factura FE-1043 servicio de internet hogar',
        amount: 100000,
        metadata: { plan: 'Fibra 300 Mbps', contrato: 'CT-558201' },
      },
      {
        limit_date: day(ctx, -9),
        references: ['CT-558201'],
        result_urls: hooks,
        has_comments: false,
        late_fees: { condition_type: 'automated', type: 'percentage', value: 0.02, frequency: 3, limit: 5 },
      },
    ),
    item(
      {
        ...who,
        ref: 'FE-1051',
        description: 'Factura FE-1051 mantenimiento preventivo',
        amount: 80000,
        metadata: { orden: 'OT-2291' },
      },
      {
        limit_date: day(ctx, -6),
        result_urls: hooks,
        has_comments: false,
        late_fees: {
          condition_type: 'fixed',
          fixed: [
            { date: day(ctx, -5), value: 5000 },
            { date: day(ctx, 10), value: 5000 },
          ],
        },
      },
    ),
    item(
      { ...who, ref: 'FE-1060', description: 'Factura FE-1060 servicio de internet hogar', amount: 100000 },
      { limit_date: day(ctx, 20), references: ['CT-558201'], result_urls: hooks, has_comments: false },
    ),
  ];
}

function advanceAndDelivery(ctx: Context): Json[] {
  const who = { idNumber: '52123456', payerName: 'Luz Marina Cárdenas Ospina' };
  const hooks = { webhook: ctx.webhookUrl };
  return [
    item(
      {
        ...who,
        ref: 'PED-88412',
        description: 'Pedido 88412: mercado quincenal',
        amount: 250000,
        advance: { type: 'Porcentaje Minimo', value: 30 },
        metadata: { canal: 'tienda virtual', bodega: 'Chapinero' },
      },
      {
        limit_date: day(ctx, 7),
        references: ['Pedido 88412'],
        result_urls: hooks,
        delivery_service: { type: 'Con Valor', value: 8000 },
        request_address_delivery: true,
        has_comments: true,
        comments_label: 'Indicaciones para la entrega (torre, apartamento, horario)',
      },
    ),
    item(
      {
        ...who,
        ref: 'PED-88413',
        description: 'Pedido 88413: domicilio de farmacia',
        amount: 42000,
        // Written with the accent, as merchants do.
        advance: { type: 'Valor Mínimo', value: 20000 },
      },
      {
        limit_date: day(ctx, 2),
        result_urls: hooks,
        delivery_service: { type: 'Gratis', value: 0 },
        request_address_delivery: true,
        has_comments: false,
      },
    ),
  ];
}

function underMinimum(ctx: Context): Json[] {
  const who = { idNumber: '1098765432', payerName: 'Sebastián Torres Vargas' };
  const hooks = { webhook: ctx.webhookUrl };
  return [
    item(
      { ...who, ref: 'ACU-55102', description: 'Reconexión del servicio de acueducto', amount: 8000 },
      { limit_date: day(ctx, 4), references: ['Póliza 771203'], result_urls: hooks, has_comments: false },
    ),
    item(
      { ...who, ref: 'ACU-55103', description: 'Consumo de acueducto marzo', amount: 64500 },
      { limit_date: day(ctx, 12), references: ['Póliza 771203'], result_urls: hooks, has_comments: false },
    ),
  ];
}

function foreignCurrency(ctx: Context): Json[] {
  const who = { idNumber: '88776655', payerName: 'Andrés Felipe Gómez Restrepo' };
  const hooks = { webhook: ctx.webhookUrl };
  return [
    item(
      {
        ...who,
        ref: 'INV-US-2201',
        description: 'Suscripción anual software contable',
        amount: '100.00',
        currency: 'USD',
        metadata: { licencia: 'LIC-US-44810' },
      },
      { limit_date: day(ctx, 30), result_urls: hooks, has_comments: false },
    ),
    item(
      {
        ...who,
        ref: 'INV-US-2202',
        description: 'Soporte técnico remoto (5 horas)',
        amount: '49.99',
        currency: 'USD',
        advance: { type: 'Valor Minimo', value: '20.00' },
      },
      { limit_date: day(ctx, 8), result_urls: hooks, has_comments: false },
    ),
    item(
      {
        ...who,
        ref: 'INV-EU-3101',
        description: 'Curso virtual de facturación electrónica',
        amount: '75.50',
        currency: 'eur',
      },
      { limit_date: day(ctx, 14), result_urls: hooks, has_comments: false },
    ),
  ];
}

function messy(ctx: Context): Json[] {
  const who = { idNumber: '43215678', payerName: 'María Fernanda López Castro' };
  const hooks = { webhook: ctx.webhookUrl };
  const enrolment = {
    ...who,
    ref: 'UNI-7001',
    description: 'Matrícula semestre 2025-1',
    amount: 1850000,
    advance: { type: 'Porcentaje Minimo', value: 50 },
    metadata: { programa: 'Administración de Empresas', codigo: '2025101' },
  };
  return [
    item(enrolment, {
      limit_date: day(ctx, 21),
      references: ['Código 2025101'],
      result_urls: hooks,
      has_comments: false,
    }),
    // Sent twice by the ERP: the first one wins.
    item(
      { ...enrolment, description: 'Matrícula semestre 2025-1 (reenvío)' },
      { limit_date: day(ctx, 21), result_urls: hooks, has_comments: false },
    ),
    { advanced_options: { limit_date: day(ctx, 5), has_comments: false } },
    item({ ...who, ref: 'UNI-7002', description: 'Seguro estudiantil', amount: 'abc' }, null),
    item({ ...who, ref: 'UNI-7003', description: 'Libros importados', amount: 90000, currency: 'ARS' }, null),
    item(
      {
        ref: 'UNI-7004',
        description: 'Matrícula semestre 2025-1',
        amount: 1850000,
        idNumber: '80123456',
        payerName: 'Carlos Alberto Ruiz Mejía',
      },
      { limit_date: day(ctx, 21), has_comments: false },
    ),
    {
      recauda_information: {
        description: 'Carné estudiantil',
        amount: 25000,
        selected_taxes: null,
        currency_type: 'COP',
        id_number: '43215678',
        payer_name: 'María Fernanda López Castro',
        ref_payment: 'UNI-7005',
      },
      // Spelled as in the seed's field list.
      advanded_options: {
        limit_date: day(ctx, 12),
        references: ['Código 2025101'],
        result_urls: hooks,
        has_comments: false,
      },
    },
    // A numeric ref and a decimal-string amount, both allowed.
    item(
      { ...who, ref: 70060, description: 'Derechos de grado', amount: '320000.00' },
      {
        limit_date: day(ctx, 45),
        result_urls: hooks,
        has_comments: true,
        comments_label: 'Nombre como debe aparecer en el diploma',
      },
    ),
  ];
}

const COMPANY_CONCEPTS = [
  'Arrendamiento bodega Siberia',
  'Suministro de papelería',
  'Servicio de vigilancia',
  'Mantenimiento de ascensores',
  'Transporte de mercancía',
  'Aseo y cafetería',
  'Licencias de software',
  'Consultoría tributaria',
  'Dotación de uniformes',
  'Servicio de mensajería',
] as const;

const COMPANY_AMOUNTS = [185000, 92500, 1250000, 43800, 560000, 2300000, 78900, 315000] as const;

function company(ctx: Context): Json[] {
  const hooks = { webhook: ctx.webhookUrl };
  const items: Json[] = [];
  for (let i = 0; i < 40; i++) {
    const number = 2001 + i;
    const concept = COMPANY_CONCEPTS[i % COMPANY_CONCEPTS.length] ?? COMPANY_CONCEPTS[0];
    const base = COMPANY_AMOUNTS[i % COMPANY_AMOUNTS.length] ?? COMPANY_AMOUNTS[0];
    const amount = base + (i % 7) * 1350;
    // Spread the due dates from a month ago to two months ahead; every fifth invoice is overdue.
    const limitOffset = i % 5 === 0 ? -((i % 20) + 2) : ((i * 7) % 60) + 1;
    const options: Json = {
      limit_date: day(ctx, limitOffset),
      references: [`FE-${number}`, `OC-${4500 + i}`],
      result_urls: hooks,
      has_comments: i % 9 === 0,
      ...(i % 9 === 0 ? { comments_label: 'Número de orden de compra interna' } : {}),
    };
    if (i % 4 === 1)
      options.discount = { before_on: day(ctx, Math.min(limitOffset, 7)), type: 'Porcentaje', value: 3 };
    if (i % 10 === 3) options.discount = { before_on: day(ctx, 10), type: 'Valor', value: 20000 };
    // Two of three invoices carry their tax bases (the portal's `taxes` extension): 19 % IVA included,
    // so the demo merchant's withholdings (retefuente, ReteIVA, ReteICA) have bases to work on; the
    // others fall back to subtotal = amount, IVA 0 (docs/spec/business-payments.md §2).
    if (i % 3 !== 2) {
      const subtotal = Math.round(amount / 1.19);
      options.taxes = { subtotal, iva: amount - subtotal };
    }
    items.push(
      item(
        {
          ref: `FE-${number}`,
          description: `Factura FE-${number} ${concept.toLowerCase()}`,
          amount: i % 3 === 0 ? String(amount) : amount,
          // Some ERPs send the NIT with its check digit; the portal compares the base number.
          idNumber: i % 2 === 0 ? '900373923' : '900373923-8',
          payerName: 'Inversiones Altamira S.A.S.',
          ...(i % 6 === 2 ? { advance: { type: 'Porcentaje Minimo', value: 40 } } : {}),
          metadata: { centro_costo: `CC-${100 + (i % 4)}`, orden_compra: `OC-${4500 + i}` },
        },
        options,
      ),
    );
  }
  return items;
}

const BUILDERS: Readonly<Record<string, (ctx: Context) => unknown>> = {
  // The seed's example, unchanged (a fixture every suite loads): its dates and webhook are its own.
  '12345678': () => seed003Payload,
  '1020304050': (ctx) => ({ payments: discounts(ctx) }),
  '79865432': (ctx) => ({ payments: overdue(ctx) }),
  '52123456': (ctx) => ({ payments: advanceAndDelivery(ctx) }),
  '1098765432': (ctx) => ({ payments: underMinimum(ctx) }),
  '88776655': (ctx) => ({ payments: foreignCurrency(ctx) }),
  '43215678': (ctx) => ({ payments: messy(ctx) }),
  '900373923': (ctx) => ({ payments: company(ctx) }),
};

/** The ERP body for one payer, or `{ payments: [] }` for an unknown id (as a Recauda ERP answers). */
export function demoPayload(idNumber: string, ctx: Context): unknown {
  const build = Object.hasOwn(BUILDERS, idNumber) ? BUILDERS[idNumber] : undefined;
  return build ? build(ctx) : { payments: [] };
}
