import { addDays, type IsoDate } from '../dates';
import type { ChargeCondition, ChargeDetails, FixedEntry } from './charge-input';

/**
 * When a charge's `fixed[]` entries with `reminder: true` turn into reminders (docs/spec/merchant-charges.md
 * "Notifications"). Pure: the caller passes the merchant's calendar date.
 *
 * - A late-fee entry is reminded on its date (the fee applies from that day on, pricing.md).
 * - An incentive entry is reminded on its date (the last day its discount applies).
 * - Catching up after downtime never sends a backlog: of the late-fee entries that fell due since the last
 *   scan, only the latest is reminded (it names the fee that applies now); an incentive whose date has passed
 *   is not reminded at all (its discount is gone). The others are skipped for good.
 */

export type ReminderEvent = 'late_fee' | 'incentive_end';

export interface ReminderEntry {
  readonly event: ReminderEvent;
  readonly entry: FixedEntry;
}

function fixedEntries(policy: ChargeCondition | null): readonly FixedEntry[] {
  return policy?.condition_type === 'fixed' ? policy.fixed : [];
}

/** The entries of a charge that ask for a reminder, by date (late fees before incentives on one date). */
export function reminderEntries(d: ChargeDetails): ReminderEntry[] {
  const out: ReminderEntry[] = [
    ...fixedEntries(d.late_fees)
      .filter((e) => e.reminder)
      .map((entry) => ({ event: 'late_fee' as const, entry })),
    ...fixedEntries(d.advance_payment)
      .filter((e) => e.reminder)
      .map((entry) => ({ event: 'incentive_end' as const, entry })),
  ];
  return out.sort((a, b) => (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : 0));
}

/** The first reminder date on or after `from`, or null when no reminder entry is left. */
export function nextReminderOn(d: ChargeDetails, from: IsoDate): IsoDate | null {
  for (const r of reminderEntries(d)) if (r.entry.date >= from) return r.entry.date;
  return null;
}

export interface ReminderPlan {
  /** What to remind today: at most one late fee and the incentives ending today. */
  readonly send: readonly ReminderEntry[];
  /** The next date to look again (after today), or null. */
  readonly next: IsoDate | null;
}

/** The scan of one charge on `today`, for the entries dated from `dueOn` (its last unscanned date) to today. */
export function planReminders(d: ChargeDetails, dueOn: IsoDate, today: IsoDate): ReminderPlan {
  const due = reminderEntries(d).filter((r) => r.entry.date >= dueOn && r.entry.date <= today);
  const lateFees = due.filter((r) => r.event === 'late_fee');
  const latestFee = lateFees[lateFees.length - 1];
  const send = [
    ...(latestFee ? [latestFee] : []),
    ...due.filter((r) => r.event === 'incentive_end' && r.entry.date === today),
  ];
  return { send, next: nextReminderOn(d, addDays(today, 1)) };
}
