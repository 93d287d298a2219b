import { addDays, daysBetween, type IsoDate } from '../dates';
import { applyRate, parseDecimal, toMinor, type Currency } from '../money';

/**
 * Early-payment incentive of a merchant charge (docs/spec/merchant-charges.md "Incentives"): the discount D of
 * pricing, earned by paying before `limit_date`. Values stay decimal text until priced in the charge's currency.
 */
export type IncentivePolicy =
  | {
      readonly condition_type: 'automated';
      readonly type: 'amount' | 'percentage';
      readonly value: string;
      readonly frequency: number;
      readonly limit: number;
    }
  | {
      readonly condition_type: 'fixed';
      readonly fixed: readonly { readonly date: IsoDate; readonly value: string }[];
    };

export interface IncentiveResult {
  /** D, in minor units. */
  readonly amount: bigint;
  /** The last day on which today's D still applies (null when D = 0). */
  readonly until: IsoDate | null;
}

const NONE: IncentiveResult = { amount: 0n, until: null };

/** Whole days paid early: limit_date − today when today is before it, else 0. */
export function earlyDays(limitDate: IsoDate, today: IsoDate): number {
  return Math.max(0, daysBetween(today, limitDate));
}

/**
 * D for one charge today. Automated: n = min(limit, floor(e / frequency)) steps, one per full period paid early
 * (the n steps hold until limit_date − n·frequency). Fixed: the tier dated on the earliest date ≥ today.
 */
export function incentive(
  amount: bigint,
  currency: Currency,
  limitDate: IsoDate | null,
  policy: IncentivePolicy | null,
  today: IsoDate,
): IncentiveResult {
  if (!policy || !limitDate) return NONE;
  if (policy.condition_type === 'fixed') {
    let tier: { date: IsoDate; value: string } | null = null;
    for (const entry of policy.fixed) {
      if (entry.date < today) continue;
      if (tier === null || entry.date < tier.date) tier = entry;
    }
    if (!tier) return NONE;
    const d = toMinor(tier.value, currency) ?? 0n;
    return d > 0n ? { amount: d < amount ? d : amount, until: tier.date } : NONE;
  }
  const e = earlyDays(limitDate, today);
  const n = Math.min(policy.limit, Math.floor(e / policy.frequency));
  if (n <= 0) return NONE;
  const value = parseDecimal(policy.value);
  if (!value) return NONE;
  const d =
    policy.type === 'amount'
      ? (toMinor(policy.value, currency) ?? 0n) * BigInt(n)
      : applyRate(amount * BigInt(n), value, 1n, 'halfUp');
  if (d <= 0n) return NONE;
  return { amount: d < amount ? d : amount, until: addDays(limitDate, -n * policy.frequency) };
}

/**
 * Why an incentive could reach the whole amount, or null when it cannot (refused at create/update):
 * automated needs limit × value < A (amount) or limit × value < 1 (percentage); every fixed value < A.
 * Returns the offending path relative to the policy.
 */
export function incentiveReachesAmount(
  amount: bigint,
  currency: Currency,
  policy: IncentivePolicy,
): { path: (string | number)[]; message: string } | null {
  if (policy.condition_type === 'fixed') {
    for (const [i, entry] of policy.fixed.entries()) {
      const v = toMinor(entry.value, currency);
      if (v === null || v >= amount) {
        return { path: ['fixed', i, 'value'], message: 'must be less than the amount' };
      }
    }
    return null;
  }
  const value = parseDecimal(policy.value);
  if (!value) return { path: ['value'], message: 'must be a positive number' };
  if (policy.type === 'amount') {
    const v = toMinor(policy.value, currency);
    if (v === null || v * BigInt(policy.limit) >= amount) {
      return { path: ['value'], message: 'limit × value must be less than the amount' };
    }
    return null;
  }
  // value·limit < 1, exactly: int·limit < 10^scale.
  if (value.int * BigInt(policy.limit) >= 10n ** BigInt(value.scale)) {
    return { path: ['value'], message: 'limit × value must be less than 1 (100 %)' };
  }
  return null;
}
