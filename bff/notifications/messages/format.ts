import { PRECISION, type Currency } from '../../../shared/money';

/** Intl.NumberFormat (ES2023) formats a decimal string exactly; the project's lib typings stop at ES2022. */
type ExactFormat = (value: string) => string;

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A decimal amount text ("25000", "10.50") in the message's locale: "$ 25.000" — the text goes to Intl unchanged. */
export function formatAmount(amountText: string, currency: Currency, locale: string): string {
  const key = `${locale}|${currency}`;
  let nf = numberFormats.get(key);
  if (!nf) {
    const p = PRECISION[currency];
    nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: p,
      maximumFractionDigits: p,
    });
    numberFormats.set(key, nf);
  }
  return (nf.format as unknown as ExactFormat)(amountText);
}

/** A `YYYY-MM-DD` calendar date read as a date, so no time zone can shift its day. */
export function formatDate(isoDate: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  let df = dateFormats.get(locale);
  if (!df) {
    df = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(locale, df);
  }
  return df.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}
