import { addDays, type IsoDate } from '../../shared/dates';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The offset of `timeZone` from UTC at `instant`, in milliseconds (Bogotá: −5 h). */
function offsetAt(timeZone: string, instant: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (plus `plusDays`) starts in `timeZone`: 2025-03-10 in Bogotá → 05:00Z. */
export function startOfDayIn(timeZone: string, date: IsoDate, plusDays = 0): Date {
  const day = addDays(date, plusDays);
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Two passes settle a day whose offset changes near midnight (DST zones); Colombia has none.
  let guess = utcMidnight - offsetAt(timeZone, utcMidnight);
  guess = utcMidnight - offsetAt(timeZone, guess);
  return new Date(guess);
}
