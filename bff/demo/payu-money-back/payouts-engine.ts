import { expectedArrival, type HolidayCalendar } from '../../../shared/money-back/ach-schedule';
import type { PaymentOrderState, PayoutRequestState } from '../../../shared/money-back/payout-states';

/**
 * The state engine of the PayU Payouts double (docs/spec/money-back.md "Simulators"): both PayU machines,
 * driven by an injected clock. Each step takes a minute of simulated time, except the bank, which answers at
 * the ACH table's expected time (Colombian working days). What happens to a payout is chosen by the last
 * four digits of its account number, so demos and tests can ask for every path:
 *   …8888 sanction screening rejects the payee        …9999 the bank rejects the transfer
 *   …7777 screening required, then passes             …6666 PayU's policy validation rejects it
 *   anything else: no screening, the bank confirms.
 */
export interface SimPayout {
  readonly paymentOrderId: string;
  readonly bankAccountId: string;
  readonly value: number;
  readonly accountNumber: string;
  readonly documentNumber: string;
  readonly fullName: string;
  readonly createdAt: Date;
  state: PayoutRequestState;
  status: PaymentOrderState | null;
  validationState: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** When the next automatic step is due. */
  nextAt: Date | null;
  /** Simulated time per automatic step (a minute by default; the demo runs faster). */
  readonly stepMs: number;
  cancelRequested: boolean;
  cancelWillFail: boolean;
  inBankingAt: Date | null;
}

const DEFAULT_STEP_MS = 60_000;

export type PayoutChange = {
  readonly payout: SimPayout;
  readonly event: 'TRANSFER_CREATION' | 'TRANSFER_UPDATE' | 'VALIDATION_RESULT';
};

function outcome(
  accountNumber: string,
): 'screen_reject' | 'bank_reject' | 'screen_pass' | 'policy_reject' | 'ok' {
  const tail = accountNumber.slice(-4);
  if (tail === '8888') return 'screen_reject';
  if (tail === '9999') return 'bank_reject';
  if (tail === '7777') return 'screen_pass';
  if (tail === '6666') return 'policy_reject';
  return 'ok';
}

export function createPayout(p: {
  paymentOrderId: string;
  bankAccountId: string;
  value: number;
  accountNumber: string;
  documentNumber: string;
  fullName: string;
  now: Date;
  stepMs?: number;
}): SimPayout {
  const stepMs = p.stepMs ?? DEFAULT_STEP_MS;
  const screening = ['screen_reject', 'screen_pass'].includes(outcome(p.accountNumber));
  return {
    ...p,
    createdAt: p.now,
    state: screening ? 'AWAITING_SANCTION_SCREENING' : 'AWAITING_FOR_SENT',
    status: null,
    validationState: null,
    errorCode: null,
    errorMessage: null,
    stepMs,
    nextAt: new Date(p.now.getTime() + stepMs),
    cancelRequested: false,
    cancelWillFail: false,
    inBankingAt: null,
  };
}

/** One step, if due; returns the webhook event it causes (or null for a silent step). */
function step(p: SimPayout, isHoliday: HolidayCalendar): PayoutChange['event'] | 'silent' | null {
  if (!p.nextAt) return null;
  const at = p.nextAt;
  const then = (ms: number) => new Date(at.getTime() + ms);
  const kind = outcome(p.accountNumber);

  if (p.cancelRequested) {
    if (p.state !== 'AWAITING_TO_CANCEL' && p.state !== 'SENT_FOR_CANCELLATION') {
      p.state = 'AWAITING_TO_CANCEL';
      p.nextAt = then(p.stepMs);
      return 'TRANSFER_UPDATE';
    }
    if (p.state === 'AWAITING_TO_CANCEL') {
      p.state = 'SENT_FOR_CANCELLATION';
      p.nextAt = then(p.stepMs);
      return 'silent';
    }
    p.state = p.cancelWillFail ? 'CANCELLATION_FAILED' : 'REJECTED';
    p.cancelRequested = false;
    p.nextAt = p.cancelWillFail ? then(p.stepMs) : null;
    return 'TRANSFER_UPDATE';
  }

  switch (p.state) {
    case 'AWAITING_SANCTION_SCREENING':
      if (kind === 'screen_reject') {
        p.state = 'REJECTED';
        p.validationState = 'REJECTED';
        p.errorCode = 'SANCTION_SCREENING';
        p.errorMessage = 'The payee did not pass the sanction screening';
        p.nextAt = null;
        return 'TRANSFER_UPDATE';
      }
      p.state = 'AWAITING_FOR_SENT';
      p.validationState = 'APPROVED';
      p.nextAt = then(p.stepMs);
      return 'VALIDATION_RESULT';
    case 'AWAITING_FOR_SENT':
      p.state = 'SENT_TO_CREATE';
      p.nextAt = then(p.stepMs);
      return 'silent';
    case 'SENT_TO_CREATE':
      p.state = 'CREATED';
      p.status = 'REQUEST_BY_THE_MERCHANT';
      p.nextAt = then(p.stepMs);
      return 'TRANSFER_CREATION';
    case 'CANCELLATION_FAILED':
    case 'CREATED':
      switch (p.status) {
        case 'REQUEST_BY_THE_MERCHANT':
          p.status = kind === 'policy_reject' ? 'IN_VALIDATION' : 'IN_PAYU_PROCESS';
          p.nextAt = then(p.stepMs);
          return 'silent';
        case 'IN_VALIDATION':
          p.status = 'REJECTED';
          p.state = 'PROCESSING_COMPLETED';
          p.errorMessage = 'Rejected by PayU policy validation';
          p.nextAt = null;
          return 'TRANSFER_UPDATE';
        case 'IN_PAYU_PROCESS':
          p.status = 'AWAITING_BANK_SENT';
          p.nextAt = then(p.stepMs);
          return 'silent';
        case 'AWAITING_BANK_SENT':
          p.status = 'IN_BANKING_PROCESS';
          p.inBankingAt = at;
          p.nextAt = expectedArrival(at, isHoliday);
          return 'silent';
        case 'IN_BANKING_PROCESS':
          p.status = kind === 'bank_reject' ? 'REJECTED' : 'CONFIRMED_BY_THE_BANK';
          p.state = 'PROCESSING_COMPLETED';
          if (kind === 'bank_reject') p.errorMessage = 'Rejected by the bank: account does not exist';
          p.nextAt = null;
          return kind === 'bank_reject' ? 'VALIDATION_RESULT' : 'silent';
        default:
          p.nextAt = null;
          return null;
      }
    default:
      p.nextAt = null;
      return null;
  }
}

/** Moves every payout forward to `now`, returning the state changes in the order they happened. */
export function advance(payouts: Iterable<SimPayout>, now: Date, isHoliday: HolidayCalendar): PayoutChange[] {
  const changes: { at: number; change: PayoutChange }[] = [];
  for (const p of payouts) {
    while (p.nextAt && p.nextAt.getTime() <= now.getTime()) {
      const at = p.nextAt.getTime();
      const ev = step(p, isHoliday);
      if (ev === null) break;
      // Every change is reported (PayU's Benefits text promises status updates; its event list names three).
      changes.push({ at, change: { payout: { ...p }, event: ev === 'silent' ? 'TRANSFER_UPDATE' : ev } });
    }
  }
  return changes.sort((a, b) => a.at - b.at).map((c) => c.change);
}

export function cancellable(p: SimPayout): boolean {
  return (
    p.state !== 'REJECTED' &&
    p.state !== 'PROCESSING_COMPLETED' &&
    (p.status === null || ['REQUEST_BY_THE_MERCHANT', 'IN_VALIDATION', 'IN_PAYU_PROCESS'].includes(p.status))
  );
}
