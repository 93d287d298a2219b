import type { PaymentStatus } from '../../shared/api/schemas';
import { maskName } from '../../shared/mask';
import { formatMinor, type Currency } from '../../shared/money';
import type { MerchantConfig } from '../config/config-schema';
import type { CheckoutRecord } from '../store/store';

/** Everything a receipt shows (docs/spec/business-payments.md §3), already formatted for one language. */
export interface Receipt {
  readonly language: 'es' | 'en';
  readonly merchantName: string;
  readonly merchantTaxId: string | null;
  readonly payer: string | null;
  readonly reference: string;
  readonly payuReference: string | null;
  /** Date and time of the last state change, in the merchant's time zone. */
  readonly when: string;
  readonly timeZone: string;
  readonly method: string | null;
  readonly status: PaymentStatus;
  readonly currency: Currency;
  readonly items: readonly ReceiptItem[];
  readonly gross: string;
  readonly withheld: string;
  readonly cash: string;
}

export interface ReceiptItem {
  readonly ref: string;
  readonly description: string;
  readonly gross: string;
  readonly withheld: string;
  readonly cash: string;
  readonly withholdings: readonly { label: string; base: string; rate: string; amount: string }[];
}

const TEXTS = {
  es: {
    title: 'Comprobante de pago',
    verifyTitle: 'Verificación de comprobante',
    merchant: 'Comercio',
    taxId: 'NIT',
    payer: 'Pagador',
    reference: 'Referencia de pago',
    payuReference: 'Referencia PayU',
    date: 'Fecha y hora',
    method: 'Medio de pago',
    status: 'Estado',
    item: 'Concepto',
    gross: 'Valor bruto',
    withheld: 'Retenido',
    cash: 'Pagado',
    total: 'Total',
    base: 'base',
    rate: 'tarifa',
    scan: 'Escanee para verificar este comprobante',
    genuine: 'Este comprobante es auténtico: fue emitido por el portal de pagos.',
    printHint: 'Imprima esta página o descargue el PDF.',
    pdfA4: 'Descargar PDF (A4)',
    pdfLetter: 'Descargar PDF (carta)',
    print: 'Imprimir',
    statuses: {
      pending: 'Pendiente',
      approved: 'Aprobado',
      declined: 'Rechazado',
      expired: 'Vencido',
      error: 'Error',
    },
  },
  en: {
    title: 'Payment receipt',
    verifyTitle: 'Receipt verification',
    merchant: 'Merchant',
    taxId: 'Tax id (NIT)',
    payer: 'Payer',
    reference: 'Payment reference',
    payuReference: 'PayU reference',
    date: 'Date and time',
    method: 'Payment method',
    status: 'Status',
    item: 'Item',
    gross: 'Gross',
    withheld: 'Withheld',
    cash: 'Paid',
    total: 'Total',
    base: 'base',
    rate: 'rate',
    scan: 'Scan to verify this receipt',
    genuine: 'This receipt is genuine: it was issued by the payment portal.',
    printHint: 'Print this page or download the PDF.',
    pdfA4: 'Download PDF (A4)',
    pdfLetter: 'Download PDF (Letter)',
    print: 'Print',
    statuses: {
      pending: 'Pending',
      approved: 'Approved',
      declined: 'Declined',
      expired: 'Expired',
      error: 'Error',
    },
  },
} as const;

export type ReceiptTexts = (typeof TEXTS)['es'] | (typeof TEXTS)['en'];

export function receiptTexts(language: 'es' | 'en'): ReceiptTexts {
  return TEXTS[language];
}

export function receiptLanguage(merchant: MerchantConfig, asked: string | undefined): 'es' | 'en' {
  if (asked === 'es' || asked === 'en') return asked;
  return merchant.locale.startsWith('en') ? 'en' : 'es';
}

/** Amounts for people: thousands separators and the currency code ("COP 1.111.840", "USD 25.50"). */
function money(units: bigint, currency: Currency, language: 'es' | 'en'): string {
  const text = formatMinor(units, currency);
  const [whole = '0', fraction] = text.split('.');
  const group = language === 'es' ? '.' : ',';
  const decimal = language === 'es' ? ',' : '.';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${currency} ${fraction === undefined ? grouped : `${grouped}${decimal}${fraction}`}`;
}

export function buildReceipt(
  merchant: MerchantConfig,
  checkout: CheckoutRecord,
  language: 'es' | 'en',
): Receipt {
  const c = checkout.currency;
  const when = new Intl.DateTimeFormat(language === 'es' ? 'es-CO' : 'en-US', {
    timeZone: merchant.timezone,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(checkout.updatedAt);
  let withheldTotal = 0n;
  const items = checkout.items.map((i): ReceiptItem => {
    const withheld = i.withheld ?? 0n;
    withheldTotal += withheld;
    return {
      ref: i.ref,
      description: i.description,
      gross: money(i.amount + withheld, c, language),
      withheld: money(withheld, c, language),
      cash: money(i.amount, c, language),
      withholdings: (i.withholdings ?? []).map((w) => ({
        label: w.label,
        base: money(w.base, c, language),
        rate: w.rate,
        amount: money(w.amount, c, language),
      })),
    };
  });
  const buyer = checkout.fields.buyerFullName;
  return {
    language,
    merchantName: merchant.name,
    merchantTaxId: merchant.taxId ?? null,
    payer: maskName(typeof buyer === 'string' ? buyer : null),
    reference: checkout.reference,
    payuReference: checkout.payuReference,
    when,
    timeZone: merchant.timezone,
    method: checkout.paymentMethod ?? null,
    status: checkout.status,
    currency: c,
    items,
    gross: money(checkout.amount + withheldTotal, c, language),
    withheld: money(withheldTotal, c, language),
    cash: money(checkout.amount, c, language),
  };
}
