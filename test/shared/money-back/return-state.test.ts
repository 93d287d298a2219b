import { describe, expect, test } from 'vitest';
import {
  RETURN_STATES,
  canTransition,
  chooseRoute,
  isCompletedReturn,
  isFinalReturn,
} from '../../../shared/money-back/return-state';
import {
  asPaymentOrderState,
  asPayoutRequestState,
  payoutCancellable,
  payoutProgress,
} from '../../../shared/money-back/payout-states';

describe('return states', () => {
  test.each([
    ['pending', 'approved', true],
    ['pending', 'rejected', true],
    ['pending', 'sending', false],
    ['approved', 'awaiting_details', true],
    ['awaiting_details', 'sending', true],
    ['sending', 'needs_review', true],
    ['sending', 'in_bank', true],
    ['in_bank', 'paid', true],
    ['paid', 'failed', false],
    ['failed', 'approved', true],
    ['recorded', 'approved', false],
    ['rejected', 'approved', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  test('final states are paid, rejected and recorded; completed are paid and recorded', () => {
    expect(RETURN_STATES.filter(isFinalReturn)).toEqual(['rejected', 'recorded', 'paid']);
    expect(RETURN_STATES.filter(isCompletedReturn)).toEqual(['recorded', 'paid']);
  });
});

describe('route', () => {
  const base = {
    paymentMethodType: '2',
    currency: 'COP',
    amountMinor: 5000n,
    approvedAt: new Date('2026-11-01T00:00:00Z'),
    now: new Date('2026-11-27T00:00:00Z'),
    refundDeclinedBefore: false,
  };
  test('a card payment in COP goes back through the Refunds API', () => {
    expect(chooseRoute(base)).toBe('refund');
  });
  test.each([
    ['PSE', { paymentMethodType: '4' }],
    ['cash', { paymentMethodType: '7' }],
    ['under 100 COP', { amountMinor: 99n }],
    ['USD', { currency: 'USD' }],
    ['over two years old', { approvedAt: new Date('2024-11-01T00:00:00Z') }],
    ['a declined card refund', { refundDeclinedBefore: true }],
  ])('%s goes by payout', (_name, change) => {
    expect(chooseRoute({ ...base, ...change })).toBe('payout');
  });
});

describe('PayU payout states', () => {
  test('spaces and underscores mean the same state, and the old name is understood', () => {
    expect(asPayoutRequestState('AWAITING SANCTION SCREENING')).toBe('AWAITING_SANCTION_SCREENING');
    expect(asPayoutRequestState('processing_completed')).toBe('PROCESSING_COMPLETED');
    expect(asPayoutRequestState('AWAITING TO SEND')).toBe('AWAITING_FOR_SENT');
    expect(asPayoutRequestState('SOMETHING ELSE')).toBeNull();
    expect(asPaymentOrderState('IN BANKING PROCESS')).toBe('IN_BANKING_PROCESS');
  });

  test.each([
    ['AWAITING_SANCTION_SCREENING', null, 'sending'],
    ['CREATED', 'IN_PAYU_PROCESS', 'sending'],
    ['CREATED', 'IN_BANKING_PROCESS', 'in_bank'],
    ['PROCESSING_COMPLETED', 'CONFIRMED_BY_THE_BANK', 'paid'],
    ['PROCESSING_COMPLETED', 'REJECTED', 'failed'],
    ['REJECTED', null, 'failed'],
    [null, null, null],
  ] as const)('state %s, status %s → %s', (state, status, progress) => {
    expect(payoutProgress(state, status)).toBe(progress);
  });

  test('cancellable up to IN_PAYU_PROCESS only', () => {
    expect(payoutCancellable('IN_PAYU_PROCESS')).toBe(true);
    expect(payoutCancellable('AWAITING_BANK_SENT')).toBe(false);
    expect(payoutCancellable('IN_BANKING_PROCESS')).toBe(false);
  });
});
