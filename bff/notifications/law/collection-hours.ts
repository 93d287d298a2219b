import { colombianHolidayName } from '../../../shared/calendar/colombian-holidays';
import { addDays, calendarDateIn, type IsoDate } from '../../../shared/dates';

/**
 * Ley 2300 de 2023 ("dejen de fregar") as pure functions (docs/spec/notifications.md "Collection law").
 * Every function takes the instant to judge (`now`) as an argument: nothing here reads a clock.
 *
 * - Collection contacts (charge, reminder) go out Monday–Friday 07:00–19:00 and Saturday 08:00–15:00 in the
 *   merchant's time zone, never on Sundays or Colombian public holidays (moved "puente" Mondays included).
 *   The windows are half-open: 19:00 and 15:00 themselves are outside (docs/decisions/0032-collection-law-readings.md).
 * - At most one collection contact per payer per local calendar day, and one channel per calendar week
 *   (Monday to Sunday, local).
 * - A statement is not a collection contact but still respects the hours; a receipt is sent at once, and so
 *   is a return notice (money going back to the payer asks nothing of them: docs/spec/money-back.md "Payer notices").
 */

export type NotificationKind = 'statement' | 'charge' | 'reminder' | 'receipt' | 'return';
export type Channel = 'email' | 'whatsapp';

export type HoldReason = 'outside_hours' | 'sunday' | 'holiday' | 'daily_limit' | 'weekly_channel';

export interface ContactHistory {
  /** A collection contact already went to this payer on the local day of `now` (by another message). */
  readonly contactedToday: boolean;
  /** The channel this payer was contacted by during the local week of `now`, if any. */
  readonly weekChannel: Channel | null;
}

export interface SendRequest {
  readonly now: Date;
  readonly timeZone: string;
  /** Merchants outside Colombia are not bound by Ley 2300: no window, no contact limits. */
  readonly country: string;
  readonly kind: NotificationKind;
  readonly channel: Channel;
  readonly history: ContactHistory;
}

export type SendDecision =
  | { readonly send: true }
  | {
      readonly send: false;
      readonly reason: HoldReason;
      /** The first allowed minute at which the message may be tried again. */
      readonly notBefore: Date;
      /** Human-readable, for the merchant (no personal data). */
      readonly detail: string;
    };

interface Window {
  readonly from: number;
  readonly to: number;
}

const WEEKDAY_WINDOW: Window = { from: 7 * 60, to: 19 * 60 };
const SATURDAY_WINDOW: Window = { from: 8 * 60, to: 15 * 60 };

export function isCollectionContact(kind: NotificationKind): boolean {
  return kind === 'charge' || kind === 'reminder';
}

/** The Colombian public holiday on a local date (its Spanish name), or null. Moved Mondays count on the Monday. */
export const colombianHoliday = colombianHolidayName;

/** 0 = Sunday … 6 = Saturday, of a calendar date (no time zone involved). */
export function weekdayOf(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The Monday that starts the local week of `date`. */
export function weekStart(date: IsoDate): IsoDate {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

/** The window in which messages may go on a local date, or why none: Sunday, or a holiday by name. */
export function windowOn(date: IsoDate): Window | { closed: 'sunday' } | { closed: 'holiday'; name: string } {
  const weekday = weekdayOf(date);
  if (weekday === 0) return { closed: 'sunday' };
  const holiday = colombianHoliday(date);
  if (holiday !== null) return { closed: 'holiday', name: holiday };
  return weekday === 6 ? SATURDAY_WINDOW : WEEKDAY_WINDOW;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of `instant` in `timeZone`. */
export function localMinutes(timeZone: string, instant: Date): number {
  let f = timeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

/**
 * The instant at which the local wall clock in `timeZone` shows `date` at `minutes` past midnight. The zone's
 * offset is read at a first guess and again at the result, which settles it across a DST change.
 */
export function zonedInstant(timeZone: string, date: IsoDate, minutes: number): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let instant = wall - offsetMs(timeZone, new Date(wall));
  instant = wall - offsetMs(timeZone, new Date(instant));
  return new Date(instant);
}

function offsetMs(timeZone: string, instant: Date): number {
  const date = calendarDateIn(timeZone, instant);
  const wall = Date.parse(`${date}T00:00:00Z`) + localMinutes(timeZone, instant) * 60_000;
  return wall - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/** The first allowed minute at or after `now` on `fromDate` or a later local date. */
export function nextAllowedMinute(timeZone: string, now: Date, fromDate?: IsoDate): Date {
  const today = calendarDateIn(timeZone, now);
  const start = fromDate ?? today;
  const nowMinutes = localMinutes(timeZone, now);
  // Holidays and Sundays never cluster beyond a few days; 30 days is a safe, bounded horizon.
  for (let i = 0; i < 30; i++) {
    const date = addDays(start, i);
    const w = windowOn(date);
    if ('closed' in w) continue;
    if (date === today) {
      if (nowMinutes < w.from) return zonedInstant(timeZone, date, w.from);
      if (nowMinutes < w.to) return now;
      continue;
    }
    if (date < today) continue;
    return zonedInstant(timeZone, date, w.from);
  }
  throw new Error('no allowed minute within 30 days');
}

/** Whether a message may go now, and if not why and until when it waits. */
export function decideSend(req: SendRequest): SendDecision {
  if (req.kind === 'receipt' || req.kind === 'return' || req.country !== 'CO') return { send: true };
  const today = calendarDateIn(req.timeZone, req.now);
  const w = windowOn(today);
  const minutes = localMinutes(req.timeZone, req.now);
  if ('closed' in w || minutes < w.from || minutes >= w.to) {
    const notBefore = nextAllowedMinute(req.timeZone, req.now);
    const reason: HoldReason = 'closed' in w ? w.closed : 'outside_hours';
    const why =
      'closed' in w
        ? w.closed === 'sunday'
          ? 'Sunday: no collection messages'
          : `public holiday (${w.name}): no collection messages`
        : 'outside the allowed hours (Mon–Fri 07:00–19:00, Sat 08:00–15:00)';
    return { send: false, reason, notBefore, detail: `${why}; waits until ${notBefore.toISOString()}` };
  }
  if (!isCollectionContact(req.kind)) return { send: true };
  if (req.history.contactedToday) {
    const notBefore = nextAllowedMinute(req.timeZone, req.now, addDays(today, 1));
    return {
      send: false,
      reason: 'daily_limit',
      notBefore,
      detail: `the payer was already contacted today; waits until ${notBefore.toISOString()}`,
    };
  }
  if (req.history.weekChannel !== null && req.history.weekChannel !== req.channel) {
    const notBefore = nextAllowedMinute(req.timeZone, req.now, addDays(weekStart(today), 7));
    return {
      send: false,
      reason: 'weekly_channel',
      notBefore,
      detail: `the payer was contacted by ${req.history.weekChannel} this week; ${req.channel} waits until ${notBefore.toISOString()}`,
    };
  }
  return { send: true };
}
