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

/** A `YYYY-MM-DD` calendar date, read as a date (not an instant), so no time zone can shift its day. */
export function formatIsoDate(isoDate: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export function formatInstant(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}
