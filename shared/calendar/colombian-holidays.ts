import { getHolidaysForYear } from 'colombian-holidays';
import type { IsoDate } from '../dates';

/**
 * Colombian public holidays as observed (Ley 51 de 1983 "Ley Emiliani": most move to the following Monday),
 * from the maintained `colombian-holidays` package (docs/decisions/0011-colombian-holidays.md). The observed
 * date (`celebrationDate`) is what closes banks and forbids collection messages, not the nominal one.
 * One set per year, computed once.
 */
const byYear = new Map<number, ReadonlySet<IsoDate>>();

export function isColombianHoliday(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  let set = byYear.get(year);
  if (!set) {
    set = new Set(getHolidaysForYear(year).map((h) => h.celebrationDate));
    byYear.set(year, set);
  }
  return set.has(date);
}
