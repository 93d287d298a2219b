import { describe, expect, test } from 'vitest';
import { addDays, calendarDateIn, daysBetween, isValidTimeZone, parseIsoDate } from '../../shared/dates';

describe('parseIsoDate', () => {
  test.each([
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['2025-03-15', '2025-03-15'],
    ['2025-12-31', '2025-12-31'],
    ['2025/01/30', '2025-01-30'],
    [' 2025-03-10 ', '2025-03-10'],
  ])('%j is the date %s', (input, expected) => {
    expect(parseIsoDate(input)).toBe(expected);
  });

  test.each([
    ['2025-02-29'],
    ['1900-02-29'],
    ['2025-04-31'],
    ['2025-13-01'],
    ['2025-00-10'],
    ['2025-01-00'],
    ['2025-3-1'],
    ['20250310'],
    ['10/03/2025'],
    ['2025-03-10T00:00:00Z'],
    ['2025-03-1O'],
    [''],
  ])('%j is not a calendar date', (input) => {
    expect(parseIsoDate(input)).toBeNull();
  });

  test.each([[null], [undefined], [20250310], [new Date('2025-03-10T00:00:00Z')], [{}]])(
    'a non-string (%s) is not a date',
    (input) => {
      expect(parseIsoDate(input)).toBeNull();
    },
  );
});

describe('daysBetween', () => {
  test.each([
    ['2025-03-01', '2025-03-10', 9],
    ['2025-03-10', '2025-03-01', -9],
    ['2025-03-10', '2025-03-10', 0],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-02-28', '2025-03-01', 1],
    ['2024-12-31', '2025-01-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['2025-01-01', '2026-01-01', 365],
    ['2025-03-08', '2025-03-10', 2],
    ['2025-10-25', '2025-10-27', 2],
  ])('from %s to %s is %i whole days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('addDays', () => {
  test.each([
    ['2025-02-28', 1, '2025-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2025-03-01', 9, '2025-03-10'],
    ['2025-03-10', 0, '2025-03-10'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });
});

describe('calendarDateIn', () => {
  // Bogotá is UTC−5 all year (no daylight saving): its day starts at 05:00 UTC.
  test.each([
    ['2025-03-10T05:00:00.000Z', '2025-03-10'],
    ['2025-03-10T04:59:59.999Z', '2025-03-09'],
    ['2025-03-11T00:00:00.000Z', '2025-03-10'],
    ['2025-03-11T04:59:59.999Z', '2025-03-10'],
    ['2025-03-11T05:00:00.000Z', '2025-03-11'],
    ['2025-01-01T03:00:00.000Z', '2024-12-31'],
    ['2024-03-01T04:00:00.000Z', '2024-02-29'],
    ['2025-07-01T04:59:00.000Z', '2025-06-30'],
  ])('at %s it is %s in America/Bogota', (instant, expected) => {
    expect(calendarDateIn('America/Bogota', new Date(instant))).toBe(expected);
  });

  test('the same instant is a different date in UTC and in Bogotá around midnight UTC', () => {
    const instant = new Date('2025-03-11T00:30:00.000Z');
    expect(calendarDateIn('UTC', instant)).toBe('2025-03-11');
    expect(calendarDateIn('America/Bogota', instant)).toBe('2025-03-10');
  });

  test('the result is always a valid YYYY-MM-DD date', () => {
    for (const zone of ['America/Bogota', 'UTC', 'Europe/Madrid', 'Asia/Tokyo']) {
      const date = calendarDateIn(zone, new Date('2025-12-31T23:59:59Z'));
      expect(parseIsoDate(date)).toBe(date);
    }
  });
});

describe('isValidTimeZone', () => {
  test.each([
    ['America/Bogota', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%j is %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});
