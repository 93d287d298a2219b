import { PRECISION, type Currency } from '../../shared/money';

/** Intl.NumberFormat (ES2023) formats a decimal string exactly; the project's lib typings stop at ES2022. */
type ExactFormat = (value: string) => string;

const cache = new Map<string, Intl.NumberFormat>();

function formatter(currency: Currency, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let nf = cache.get(key);
  if (!nf) {
    const p = PRECISION[currency];
    nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: p,
      maximumFractionDigits: p,
    });
    cache.set(key, nf);
  }
  return nf;
}

/**
 * The one money formatter: an API amount (decimal text with the currency's precision) in the payer's
 * locale, e.g. ("25000", "COP", "es-CO") → "$ 25.000". The text goes to Intl unchanged (no float).
 */
export function formatMoney(amountText: string, currency: Currency, locale: string): string {
  // `format` is a getter that returns a function bound to its formatter.
  const format = formatter(currency, locale).format as unknown as ExactFormat;
  return format(amountText.trim());
}

/** The locale money and dates are shown in: the UI language with the merchant's region (es-CO, en-CO). */
export function displayLocale(language: string, merchantLocale: string): string {
  const [merchantLanguage, region] = merchantLocale.split('-');
  if (merchantLanguage === language) return merchantLocale;
  return region ? `${language}-${region}` : language;
}

/** Building an Intl.DateTimeFormat costs far more than using one (a 40-item list formats ~80 dates). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(kind: 'date' | 'instant', locale: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}`;
  let df = dateFormats.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(
      locale,
      kind === 'date' ? { dateStyle: 'long', timeZone: 'UTC' } : { dateStyle: 'long', timeStyle: 'short' },
    );
    dateFormats.set(key, df);
  }
  return df;
}

/**
 * Builds the date format of a locale ahead of use: the first one costs tens of milliseconds on a phone,
 * better spent while a lookup is on the network than inside the render of its list.
 */
export function prepareDateFormat(locale: string): void {
  dateFormat('date', locale);
}

/** A `YYYY-MM-DD` calendar date, read as a date (not an instant), so no time zone can shift its day. */
export function formatIsoDate(isoDate: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dateFormat('date', locale).format(date);
}

export function formatInstant(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat('instant', locale).format(date);
}
