/** Money-back payouts land in Colombian banks: the payer reads the arrival in Bogotá's time, wherever the phone is. */
const ARRIVAL_TIME_ZONE = 'America/Bogota';

export interface ArrivalParts {
  weekday: string;
  day: string;
  month: string;
  time: string;
}

/**
 * The pieces of an expected arrival instant for the `refund.arrival` sentence, e.g. es-CO
 * "2026-12-03T15:40:00Z" → { weekday: "jueves", day: "3", month: "diciembre", time: "10:40 a. m." }.
 * Each language orders them in its own sentence. Null when the instant cannot be read.
 */
export function arrivalParts(iso: string, locale: string): ArrivalParts | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const dateParts = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: ARRIVAL_TIME_ZONE,
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => dateParts.find((p) => p.type === type)?.value ?? '';
  const time = new Intl.DateTimeFormat(locale, {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: ARRIVAL_TIME_ZONE,
  }).format(date);
  return { weekday: part('weekday'), day: part('day'), month: part('month'), time };
}
