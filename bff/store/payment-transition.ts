import { PAYMENT_STATUSES, type PaymentStatus } from '../../shared/api/schemas';

/**
 * The one rule for what a reported payment state does to a checkout (docs/spec: a confirmation is the
 * source of truth, approved is final, a repeated status is no change). Both store engines call it; they
 * only add their own way of making the decision atomic. Pure: no clock, no I/O.
 *
 * New states (returns, refunds) are added here: a new entry in FINAL or a new case in paymentTransition,
 * and every engine follows, because the engines never test statuses themselves.
 */

/** A state PayU can report for a checkout (a confirmation or a reconciliation): never "pending". */
export type ReportedStatus = Exclude<PaymentStatus, 'pending'>;

export type PaymentTransition =
  /** The checkout moves to `to`: write it, free its held items and enqueue the merchant event. */
  | { readonly kind: 'change'; readonly to: PaymentStatus }
  /** Nothing changes: the report is recorded, the checkout is not touched and no event is written. */
  | { readonly kind: 'no_change' };

/** States no report can leave. */
const FINAL: ReadonlySet<PaymentStatus> = new Set<PaymentStatus>(['approved']);

const NO_CHANGE: PaymentTransition = { kind: 'no_change' };

export function paymentTransition(current: PaymentStatus, reported: ReportedStatus): PaymentTransition {
  if (FINAL.has(current)) return NO_CHANGE;
  // A new transaction repeating the current status (a payer's second declined attempt) is no change.
  if (current === reported) return NO_CHANGE;
  return { kind: 'change', to: reported };
}

/**
 * For an engine that decides inside one SQL statement against the row's latest committed state: the states
 * `reported` changes (`status = ANY(from)`) and the one state it changes them to. Derived from
 * paymentTransition, so the statement follows the rule; throws if a future rule sends one report to
 * different states from different starting states (such an engine would then need a CASE).
 */
export function changesBy(reported: ReportedStatus): {
  readonly from: readonly PaymentStatus[];
  readonly to: PaymentStatus;
} {
  const from: PaymentStatus[] = [];
  const targets = new Set<PaymentStatus>();
  for (const current of PAYMENT_STATUSES) {
    const t = paymentTransition(current, reported);
    if (t.kind === 'change') {
      from.push(current);
      targets.add(t.to);
    }
  }
  if (targets.size > 1) throw new Error(`a reported ${reported} leads to several states`);
  return { from, to: [...targets][0] ?? reported };
}

/** True when no report at all can change a checkout in `status`, so a stale read of it cannot be wrong. */
export function isFinalStatus(status: PaymentStatus): boolean {
  return PAYMENT_STATUSES.every((s) => s === 'pending' || paymentTransition(status, s).kind === 'no_change');
}
