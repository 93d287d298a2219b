import { describe, expect, test } from 'vitest';
import {
  colombianHoliday,
  decideSend,
  nextAllowedMinute,
  weekStart,
  zonedInstant,
  type ContactHistory,
  type SendRequest,
} from '../../../bff/notifications/law/collection-hours';

const BOGOTA = 'America/Bogota';
const NONE: ContactHistory = { contactedToday: false, weekChannel: null };

/** A local Bogotá wall time (UTC−5, no DST) as an instant. */
const bogota = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00-05:00`);

function req(now: Date, overrides: Partial<SendRequest> = {}): SendRequest {
  return {
    now,
    timeZone: BOGOTA,
    country: 'CO',
    kind: 'reminder',
    channel: 'email',
    history: NONE,
    ...overrides,
  };
}

describe('hours (2026-11-27 is a Friday)', () => {
  test('Friday 18:59 is inside the window: the reminder goes', () => {
    expect(decideSend(req(bogota('2026-11-27', '18:59')))).toEqual({ send: true });
  });

  test('Friday 19:01 waits for Saturday 08:00', () => {
    const d = decideSend(req(bogota('2026-11-27', '19:01')));
    expect(d.send).toBe(false);
    if (d.send) return;
    expect(d.reason).toBe('outside_hours');
    expect(d.notBefore).toEqual(bogota('2026-11-28', '08:00'));
    expect(d.detail).toContain('outside the allowed hours');
  });

  test('Friday 19:00 exactly is already outside (half-open window)', () => {
    expect(decideSend(req(bogota('2026-11-27', '19:00'))).send).toBe(false);
  });

  test('Saturday 14:59 goes; Saturday 15:00 waits for Monday 07:00 (Sunday skipped)', () => {
    expect(decideSend(req(bogota('2026-11-28', '14:59')))).toEqual({ send: true });
    const d = decideSend(req(bogota('2026-11-28', '15:00')));
    expect(d.send).toBe(false);
    if (d.send) return;
    expect(d.reason).toBe('outside_hours');
    expect(d.notBefore).toEqual(bogota('2026-11-30', '07:00'));
  });

  test('Saturday 07:59 waits for 08:00 the same day', () => {
    const d = decideSend(req(bogota('2026-11-28', '07:59')));
    expect(d.send).toBe(false);
    if (!d.send) expect(d.notBefore).toEqual(bogota('2026-11-28', '08:00'));
  });

  test('Sunday at noon waits for Monday 07:00 and says it is Sunday', () => {
    const d = decideSend(req(bogota('2026-11-29', '12:00')));
    expect(d.send).toBe(false);
    if (d.send) return;
    expect(d.reason).toBe('sunday');
    expect(d.notBefore).toEqual(bogota('2026-11-30', '07:00'));
  });

  test('the hours follow the merchant time zone, not UTC', () => {
    // 23:59Z is 18:59 in Bogotá (allowed) and 20:59 in Buenos Aires; as a CO merchant there it waits.
    const now = new Date('2026-11-27T23:59:00Z');
    expect(decideSend(req(now)).send).toBe(true);
    expect(decideSend(req(now, { timeZone: 'America/Argentina/Buenos_Aires' })).send).toBe(false);
  });
});

describe('holidays (moved Mondays included)', () => {
  test('Reyes Magos 2026 is celebrated on Monday 12 January, not on the 6th', () => {
    expect(colombianHoliday('2026-01-12')).toBe('Reyes Magos');
    expect(colombianHoliday('2026-01-06')).toBeNull();
  });

  test('a holiday Monday at 10:00 waits for Tuesday 07:00 and names the holiday', () => {
    const d = decideSend(req(bogota('2026-11-16', '10:00')));
    expect(d.send).toBe(false);
    if (d.send) return;
    expect(d.reason).toBe('holiday');
    expect(d.detail).toContain('Independencia de Cartagena');
    expect(d.notBefore).toEqual(bogota('2026-11-17', '07:00'));
  });

  test('Saturday after 15:00 before a holiday Monday waits until Tuesday', () => {
    expect(nextAllowedMinute(BOGOTA, bogota('2026-11-14', '16:00'))).toEqual(bogota('2026-11-17', '07:00'));
  });

  test('Easter week: Thursday and Friday are holidays, Saturday opens at 08:00', () => {
    expect(nextAllowedMinute(BOGOTA, bogota('2026-04-01', '20:00'))).toEqual(bogota('2026-04-04', '08:00'));
  });
});

describe('one contact a day, one channel a week', () => {
  test('a second collection message the same day waits for the next allowed day', () => {
    const d = decideSend(
      req(bogota('2026-11-27', '10:00'), { history: { contactedToday: true, weekChannel: 'email' } }),
    );
    expect(d.send).toBe(false);
    if (d.send) return;
    expect(d.reason).toBe('daily_limit');
    expect(d.notBefore).toEqual(bogota('2026-11-28', '08:00'));
  });

  test('the same channel later in the week goes', () => {
    const d = decideSend(
      req(bogota('2026-11-25', '10:00'), { history: { contactedToday: false, weekChannel: 'email' } }),
    );
    expect(d).toEqual({ send: true });
  });

  test('WhatsApp in a week the payer got email waits until next Monday 07:00', () => {
    const d = decideSend(
      req(bogota('2026-11-25', '10:00'), {
        channel: 'whatsapp',
        history: { contactedToday: false, weekChannel: 'email' },
      }),
    );
    expect(d.send).toBe(false);
    if (d.send) return;
    expect(d.reason).toBe('weekly_channel');
    expect(d.notBefore).toEqual(bogota('2026-11-30', '07:00'));
    expect(d.detail).toContain('email');
  });

  test('the week starts on Monday', () => {
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
  });
});

describe('which messages the law covers', () => {
  test('a statement respects the hours but not the contact limits', () => {
    const busy: ContactHistory = { contactedToday: true, weekChannel: 'whatsapp' };
    expect(decideSend(req(bogota('2026-11-27', '10:00'), { kind: 'statement', history: busy }))).toEqual({
      send: true,
    });
    expect(decideSend(req(bogota('2026-11-27', '21:00'), { kind: 'statement' })).send).toBe(false);
  });

  test('a receipt goes at once, even on a Sunday night', () => {
    expect(decideSend(req(bogota('2026-11-29', '23:30'), { kind: 'receipt' }))).toEqual({ send: true });
  });

  test('a merchant outside Colombia is not held', () => {
    expect(decideSend(req(bogota('2026-11-29', '23:30'), { country: 'MX' }))).toEqual({ send: true });
  });
});

test('zonedInstant crosses a DST change correctly (New York, 2026-03-08)', () => {
  expect(zonedInstant('America/New_York', '2026-03-07', 7 * 60).toISOString()).toBe(
    '2026-03-07T12:00:00.000Z',
  );
  expect(zonedInstant('America/New_York', '2026-03-09', 7 * 60).toISOString()).toBe(
    '2026-03-09T11:00:00.000Z',
  );
});
