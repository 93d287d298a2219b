import { describe, expect, test } from 'vitest';
import type { ChargeDetails, FixedEntry } from '../../../shared/charges/charge-input';
import { nextReminderOn, planReminders } from '../../../shared/charges/charge-reminders';

const entry = (id: string, date: string, reminder = true): FixedEntry => ({
  id,
  date,
  value: '1000',
  reminder,
  reminder_template: reminder ? 'aviso' : null,
  reminder_channel: reminder ? 'email' : null,
});

function details(fees: FixedEntry[], incentives: FixedEntry[]): ChargeDetails {
  return {
    late_fees: fees.length > 0 ? { condition_type: 'fixed', fixed: fees } : null,
    advance_payment: incentives.length > 0 ? { condition_type: 'fixed', fixed: incentives } : null,
  } as ChargeDetails;
}

const d = details(
  [
    entry('f1', '2025-03-11'),
    entry('f2', '2025-03-13'),
    entry('f3', '2025-03-15', false),
    entry('f4', '2025-03-20'),
  ],
  [entry('i1', '2025-03-05'), entry('i2', '2025-03-08')],
);
const ids = (plan: ReturnType<typeof planReminders>) => plan.send.map((r) => `${r.event}:${r.entry.id}`);

describe('charge reminders (docs/spec/merchant-charges.md "Notifications")', () => {
  test('the next reminder date skips entries without reminder and dates before the start', () => {
    expect(nextReminderOn(d, '2025-03-01')).toBe('2025-03-05');
    expect(nextReminderOn(d, '2025-03-14')).toBe('2025-03-20');
    expect(nextReminderOn(d, '2025-03-21')).toBeNull();
  });

  test('on each date, day by day, every entry is reminded once, in order', () => {
    let dueOn: string | null = nextReminderOn(d, '2025-03-01');
    const sent: string[] = [];
    for (let day = 1; day <= 31 && dueOn !== null; day++) {
      const today = `2025-03-${String(day).padStart(2, '0')}`;
      if (dueOn > today) continue;
      const plan = planReminders(d, dueOn, today);
      sent.push(...ids(plan));
      dueOn = plan.next;
    }
    expect(sent).toEqual([
      'incentive_end:i1',
      'incentive_end:i2',
      'late_fee:f1',
      'late_fee:f2',
      'late_fee:f4',
    ]);
  });

  test('after downtime: only the latest late fee; an incentive whose day passed is skipped', () => {
    const plan = planReminders(d, '2025-03-05', '2025-03-14');
    expect(ids(plan)).toEqual(['late_fee:f2']);
    expect(plan.next).toBe('2025-03-20');
    expect(ids(planReminders(d, '2025-03-05', '2025-03-08'))).toEqual(['incentive_end:i2']);
  });
});
