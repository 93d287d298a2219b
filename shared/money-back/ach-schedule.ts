import { addDays, type IsoDate } from '../dates';

/**
 * When a payout reaches the payer's bank (docs/spec/money-back.md "Expected arrival"): PayU sends payouts
 * through ACH Colombia in batches; the batch an order joins depends on when it reached IN_BANKING_PROCESS.
 * PayU's table gives no time zone: it is Colombian time, which is UTC−5 all year (Colombia has no daylight
 * saving), so a fixed offset is exact. Decisions where the table is silent or has holes:
 * - working days are Monday to Friday that are not Colombian holidays (the caller supplies the calendar);
 * - 14:51–14:58 (a gap in PayU's table) belongs to the 18:00 batch, the row after it;
 * - after 16:20, and on a non-working day, the order waits for the first batch (09:00) of the next working
 *   day, whose answer comes 19:55 the same day — the table's "05:31 p.m. – 07:20 a.m." row.
 */
const OFFSET_MINUTES = -5 * 60;

interface Batch {
  /** Last minute of the day (inclusive) that still joins this batch. */
  readonly until: number;
  /** Minute of the day of the bank's answer. */
  readonly answerAt: number;
  /** The answer comes the next working day (PayU: "Next working day"). */
  readonly nextWorkingDay: boolean;
}

const hm = (h: number, m: number) => h * 60 + m;

const BATCHES: readonly Batch[] = [
  { until: hm(7, 20), answerAt: hm(19, 55), nextWorkingDay: false },
  { until: hm(9, 45), answerAt: hm(10, 40), nextWorkingDay: true },
  { until: hm(12, 30), answerAt: hm(13, 45), nextWorkingDay: true },
  { until: hm(14, 50), answerAt: hm(16, 40), nextWorkingDay: true },
  { until: hm(16, 20), answerAt: hm(18, 20), nextWorkingDay: true },
];
const FIRST = BATCHES[0] as Batch;

export type HolidayCalendar = (date: IsoDate) => boolean;

function localParts(instant: Date): { date: IsoDate; minute: number } {
  const local = new Date(instant.getTime() + OFFSET_MINUTES * 60_000);
  return {
    date: local.toISOString().slice(0, 10),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

function toInstant(date: IsoDate, minute: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + (minute - OFFSET_MINUTES) * 60_000);
}

export function isWorkingDay(date: IsoDate, isHoliday: HolidayCalendar): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isHoliday(date);
}

export function nextWorkingDay(date: IsoDate, isHoliday: HolidayCalendar): IsoDate {
  let d = addDays(date, 1);
  while (!isWorkingDay(d, isHoliday)) d = addDays(d, 1);
  return d;
}

/** The expected instant of the bank's answer for an order that reached IN_BANKING_PROCESS at `inBankingAt`. */
export function expectedArrival(inBankingAt: Date, isHoliday: HolidayCalendar): Date {
  const { date, minute } = localParts(inBankingAt);
  if (!isWorkingDay(date, isHoliday)) return toInstant(nextWorkingDay(date, isHoliday), FIRST.answerAt);
  const batch = BATCHES.find((b) => minute <= b.until);
  if (!batch) return toInstant(nextWorkingDay(date, isHoliday), FIRST.answerAt);
  return toInstant(batch.nextWorkingDay ? nextWorkingDay(date, isHoliday) : date, batch.answerAt);
}
