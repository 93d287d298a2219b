import { describe, expect, test } from 'vitest';
import { isColombianHoliday } from '../../../shared/calendar/colombian-holidays';
import { expectedArrival, isWorkingDay, nextWorkingDay } from '../../../shared/money-back/ach-schedule';

// Bogotá is UTC−5 all year: 10:00 local = 15:00Z.
const bogota = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);
const local = (d: Date) => new Date(d.getTime() - 5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('Colombian holidays', () => {
  test.each([
    ['2026-01-12', true, 'Reyes Magos moved from Tuesday 6 to Monday 12'],
    ['2026-01-06', false, 'the nominal date of a moved holiday is a working day'],
    ['2026-12-08', true, 'Inmaculada Concepción is never moved'],
    ['2026-04-03', true, 'Good Friday (Easter-based)'],
    ['2026-11-27', false, 'an ordinary Friday'],
  ])('%s is a holiday: %s (%s)', (date, expected) => {
    expect(isColombianHoliday(date)).toBe(expected);
  });
});

describe('working days', () => {
  test('weekends and holidays are not working days', () => {
    expect(isWorkingDay('2026-11-28', isColombianHoliday)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29', isColombianHoliday)).toBe(false); // Sunday
    expect(isWorkingDay('2026-12-08', isColombianHoliday)).toBe(false); // Tuesday holiday
    expect(isWorkingDay('2026-12-07', isColombianHoliday)).toBe(true);
  });

  test('the next working day skips a weekend followed by a holiday Monday', () => {
    // Friday 9 Jan 2026 → Saturday, Sunday, Monday 12 (Reyes) → Tuesday 13.
    expect(nextWorkingDay('2026-01-09', isColombianHoliday)).toBe('2026-01-13');
  });
});

describe('expected arrival from the ACH table', () => {
  test.each([
    // [reached IN_BANKING_PROCESS (local), expected answer (local), row]
    [
      '2026-12-01',
      '06:00',
      '2026-12-01 19:55',
      'early morning joins the 09:00 batch, answer 19:55 the same day',
    ],
    ['2026-12-01', '07:20', '2026-12-01 19:55', '07:20 is still the first row'],
    ['2026-12-01', '07:21', '2026-12-02 10:40', '07:21 joins the 11:30 batch, answer next working day 10:40'],
    ['2026-12-01', '09:45', '2026-12-02 10:40', '09:45 is the end of that row'],
    ['2026-12-01', '09:46', '2026-12-02 13:45', 'the 14:00 batch'],
    ['2026-12-01', '12:31', '2026-12-02 16:40', 'the 16:00 batch'],
    ['2026-12-01', '14:50', '2026-12-02 16:40', 'last minute of the 16:00 batch'],
    ['2026-12-01', '14:55', '2026-12-02 18:20', "PayU's 14:51–14:58 gap goes to the 18:00 batch"],
    ['2026-12-01', '16:20', '2026-12-02 18:20', 'last minute of the day'],
    ['2026-12-01', '16:21', '2026-12-02 19:55', 'after 16:20: first batch of the next working day'],
    ['2026-12-04', '17:00', '2026-12-07 19:55', 'Friday evening waits for Monday'],
    ['2026-12-07', '10:00', '2026-12-09 13:45', 'Monday before the 8 December holiday answers on Wednesday'],
    ['2026-12-08', '10:00', '2026-12-09 19:55', 'on a holiday it waits for the next working day'],
    ['2026-11-28', '11:00', '2026-11-30 19:55', 'on a Saturday it waits for Monday'],
  ])('%s %s → %s (%s)', (date, time, expected) => {
    expect(local(expectedArrival(bogota(date, time), isColombianHoliday))).toBe(expected);
  });
});
