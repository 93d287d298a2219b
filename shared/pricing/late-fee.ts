import { daysBetween, type IsoDate } from '../dates';
import { applyRate, parseDecimal, toMinor, type Currency } from '../money';
import type { LateFeePolicy } from './late-fee-policy';

export interface LateFeeResult {
  /** L, in minor units. */
  readonly amount: bigint;
  /** Whole calendar days past limit_date (0 when not overdue or without a limit date). */
  readonly daysOverdue: number;
  /** Automated policies: how many increments apply today. */
  readonly increments: number;
}

const NONE: LateFeeResult = { amount: 0n, daysOverdue: 0, increments: 0 };

export function daysOverdue(limitDate: IsoDate | null, today: IsoDate): number {
  if (!limitDate) return 0;
  return Math.max(0, daysBetween(limitDate, today));
}

/**
 * Late fee L (docs/spec/pricing.md, seed 002 `late_fees`). Automated: n = min(limit, ceil(d / frequency)) increments,
 * the first on the first day overdue; a percentage is a fraction of A, simple (not compounded). Fixed: the
 * sum of the entries dated on or before today.
 */
export function lateFee(
  amount: bigint,
  currency: Currency,
  limitDate: IsoDate | null,
  policy: LateFeePolicy | null,
  today: IsoDate,
): LateFeeResult {
  if (!policy || !limitDate) return NONE;
  const d = daysOverdue(limitDate, today);
  if (policy.condition_type === 'fixed') {
    let sum = 0n;
    let applied = 0;
    for (const entry of policy.fixed) {
      if (entry.date > today) continue;
      sum += toMinor(entry.value, currency) ?? 0n;
      applied++;
    }
    return { amount: sum, daysOverdue: d, increments: applied };
  }
  if (d === 0) return NONE;
  const n = Math.min(policy.limit, Math.ceil(d / policy.frequency));
  const value = parseDecimal(policy.value);
  if (!value) return { ...NONE, daysOverdue: d };
  const fee =
    policy.type === 'amount'
      ? (toMinor(policy.value, currency) ?? 0n) * BigInt(n)
      : applyRate(amount * BigInt(n), value, 1n, 'halfUp');
  return { amount: fee, daysOverdue: d, increments: n };
}
