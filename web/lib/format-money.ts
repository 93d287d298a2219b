import { calendarDateFormat } from '../../shared/format';

/**
 * The one money formatter and the calendar-date formatter (shared/format.ts, the same in the portal's
 * messages): an API amount in the payer's locale, e.g. ("25000", "COP", "es-CO") → "$ 25.000".
 */
export { formatMoney, formatIsoDate } from '../../shared/format';

/** The locale money and dates are shown in: the UI language with the merchant's region (es-CO, en-CO). */
export function displayLocale(language: string, merchantLocale: string): string {
  const [merchantLanguage, region] = merchantLocale.split('-');
  if (merchantLanguage === language) return merchantLocale;
  return region ? `${language}-${region}` : language;
}

/** Building an Intl.DateTimeFormat costs far more than using one (a 40-item list formats ~80 dates). */
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Builds the date format of a locale ahead of use: the first one costs tens of milliseconds on a phone,
 * better spent while a lookup is on the network than inside the render of its list.
 */
export function prepareDateFormat(locale: string): void {
  calendarDateFormat(locale);
}

export function formatInstant(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let df = instantFormats.get(locale);
  if (!df) {
    df = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' });
    instantFormats.set(locale, df);
  }
  return df.format(date);
}
