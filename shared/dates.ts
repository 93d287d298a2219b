/**
 * Calendar dates as `YYYY-MM-DD` strings. Pure: "today" is always computed from an instant the caller passes.
 */
export type IsoDate = string;

const DASH = 45;
const SLASH = 47;

/** The digit at `i` (0–9), or -1: reading char codes instead of running a regex keeps the hot path allocation-free. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `mo` (1–12) of the proleptic Gregorian year `y`, the calendar `Date` uses. */
function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return isLeapYear(y) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/**
 * The digits of `YYYY?MM?DD` (positions 0–3, 5–6, 8–9) packed as y·10000 + m·100 + d, or −1 when any of
 * them is not a digit. A number, not an object: both callers are on the pricing hot path.
 */
function dateDigits(text: string): number {
  const y0 = digitAt(text, 0);
  const y1 = digitAt(text, 1);
  const y2 = digitAt(text, 2);
  const y3 = digitAt(text, 3);
  const m0 = digitAt(text, 5);
  const m1 = digitAt(text, 6);
  const d0 = digitAt(text, 8);
  const d1 = digitAt(text, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return -1;
  return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 10_000 + (m0 * 10 + m1) * 100 + d0 * 10 + d1;
}

/**
 * Validates a calendar date. Seeds 002/004 write late-fee dates `AAAA/MM/DD`, seed 003 `Y-m-d`: both are
 * accepted and normalised to `YYYY-MM-DD`.
 *
 * Called several times per ERP item, so it checks the calendar with arithmetic rather than building a
 * `Date` (and a regex match) per call. It keeps what the `Date.UTC` round trip it replaced accepted:
 * `Date.UTC` reads years 0–99 as 1900–1999, so years before 0100 never round-tripped and stay refused.
 */
export function parseIsoDate(value: unknown): IsoDate | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length !== 10) return null;
  const sep1 = text.charCodeAt(4);
  const sep2 = text.charCodeAt(7);
  if ((sep1 !== DASH && sep1 !== SLASH) || (sep2 !== DASH && sep2 !== SLASH)) return null;
  const packed = dateDigits(text);
  if (packed < 0) return null;
  const y = Math.floor(packed / 10_000);
  const mo = Math.floor(packed / 100) % 100;
  const d = packed % 100;
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  // Already in the normal form: the trimmed text is the answer (no new string).
  if (sep1 === DASH && sep2 === DASH) return text;
  return `${text.slice(0, 4)}-${text.slice(5, 7)}-${text.slice(8, 10)}`;
}

/** Days from 1970-01-01 to y-mo-01 (proleptic Gregorian, y ≥ 0, 1 ≤ mo ≤ 12), as `Date.UTC` counts them. */
function daysToMonthStart(y: number, mo: number): number {
  // Howard Hinnant's days_from_civil, with the year starting in March so February's length comes last.
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function dayNumber(date: IsoDate): number {
  // Pricing calls this several times per item. The arithmetic path covers what the ERP reader produces
  // (digits in place, a real month, a year ≥ 100); anything else keeps the `Date.UTC` reading, with its
  // quirks (month overflow, years 0–99 read as 19xx, NaN for non-digits). Day overflow is linear in both.
  const packed = date.length >= 10 ? dateDigits(date) : -1;
  if (packed >= 0) {
    const y = Math.floor(packed / 10_000);
    const mo = Math.floor(packed / 100) % 100;
    if (y >= 100 && mo >= 1 && mo <= 12) return daysToMonthStart(y, mo) + (packed % 100) - 1;
  }
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
  );
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `instant` in `timeZone` (merchant time zone, default America/Bogota). */
export function calendarDateIn(timeZone: string, instant: Date): IsoDate {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(instant);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}
