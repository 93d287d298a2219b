import { describe, expect, test } from 'vitest';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../../shared/api/schemas';
import {
  isFinalStatus,
  paymentTransition,
  changesBy,
  type ReportedStatus,
} from '../../../bff/store/payment-transition';

const REPORTED: readonly ReportedStatus[] = ['approved', 'declined', 'expired', 'error'];

describe('paymentTransition', () => {
  test.each(REPORTED)('approved is final: a reported %s changes nothing', (reported) => {
    expect(paymentTransition('approved', reported)).toEqual({ kind: 'no_change' });
  });

  test.each(REPORTED)('a repeated status (%s) is no change', (status) => {
    expect(paymentTransition(status, status)).toEqual({ kind: 'no_change' });
  });

  test('every other pair is a change to the reported status', () => {
    const changes: string[] = [];
    for (const current of PAYMENT_STATUSES) {
      for (const reported of REPORTED) {
        const t = paymentTransition(current, reported);
        if (t.kind === 'change') {
          expect(t.to).toBe(reported);
          changes.push(`${current}→${reported}`);
        }
      }
    }
    expect(changes).toEqual([
      'pending→approved',
      'pending→declined',
      'pending→expired',
      'pending→error',
      'declined→approved',
      'declined→expired',
      'declined→error',
      'expired→approved',
      'expired→declined',
      'expired→error',
      'error→approved',
      'error→declined',
      'error→expired',
    ]);
  });
});

describe('changesBy', () => {
  test.each(REPORTED)(
    'lists exactly the states a reported %s changes, and changes them to it',
    (reported) => {
      const expected = PAYMENT_STATUSES.filter((s) => s !== 'approved' && s !== reported);
      const { from, to } = changesBy(reported);
      expect([...from].sort()).toEqual([...expected].sort());
      expect(to).toBe(reported);
    },
  );
});

describe('isFinalStatus', () => {
  test('only approved is final', () => {
    const finals = PAYMENT_STATUSES.filter((s: PaymentStatus) => isFinalStatus(s));
    expect(finals).toEqual(['approved']);
  });
});
