import { PRECISION, type Currency } from './money';

/**
 * How money and calendar dates read to people, the same in the SPA and in the portal's emails and
 * WhatsApp messages: one formatter per locale (building an Intl object costs far more than using one).
 */

/** Intl.NumberFormat (ES2023) formats a decimal string exactly; the project's lib typings stop at ES2022. */
type ExactFormat = (value: string) => string;

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An API amount (decimal text with the currency's precision) in a locale, e.g. ("25000", "COP", "es-CO") →
 * "$ 25.000". The text goes to Intl unchanged (no float).
 */
export function formatMoney(amountText: string, currency: Currency, locale: string): string {
  const key = `${locale}|${currency}`;
  let nf = moneyFormats.get(key);
  if (!nf) {
    const p = PRECISION[currency];
    nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: p,
      maximumFractionDigits: p,
    });
    moneyFormats.set(key, nf);
  }
  // `format` is a getter that returns a function bound to its formatter.
  return (nf.format as unknown as ExactFormat)(amountText.trim());
}

const calendarFormats = new Map<string, Intl.DateTimeFormat>();

/** The long calendar-date format of a locale (built once; read in UTC, see formatIsoDate). */
export function calendarDateFormat(locale: string): Intl.DateTimeFormat {
  let df = calendarFormats.get(locale);
  if (!df) {
    df = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    calendarFormats.set(locale, df);
  }
  return df;
}

/** A `YYYY-MM-DD` calendar date, read as a date (not an instant), so no time zone can shift its day. */
export function formatIsoDate(isoDate: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return calendarDateFormat(locale).format(date);
}
