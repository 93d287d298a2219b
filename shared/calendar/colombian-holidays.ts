import { getHolidaysForYear } from 'colombian-holidays';
import type { IsoDate } from '../dates';

/**
 * Colombian public holidays as observed (Ley 51 de 1983 "Ley Emiliani": most move to the following Monday),
 * from the maintained `colombian-holidays` package (docs/decisions/0011-colombian-holidays.md). The observed
 * date (`celebrationDate`) is what closes banks and forbids collection messages, not the nominal one.
 * One map per year (observed date → Spanish name), computed once.
 */
const byYear = new Map<number, ReadonlyMap<IsoDate, string>>();

function holidaysOf(year: number): ReadonlyMap<IsoDate, string> {
  let map = byYear.get(year);
  if (!map) {
    map = new Map(getHolidaysForYear(year).map((h) => [h.celebrationDate, h.name.es]));
    byYear.set(year, map);
  }
  return map;
}

export function isColombianHoliday(date: IsoDate): boolean {
  return holidaysOf(Number(date.slice(0, 4))).has(date);
}

/** The holiday's Spanish name ("Reyes Magos"), for messages that say why something waits; null on other days. */
export function colombianHolidayName(date: IsoDate): string | null {
  return holidaysOf(Number(date.slice(0, 4))).get(date) ?? null;
}
