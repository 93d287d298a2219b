import { daysOverdue as overdueDays } from './late-fee';
import { discount } from './discount';
import { delivery } from './delivery';
import { lateFee } from './late-fee';
import { effectiveMinimum, itemMinimum } from './minimum';
import type { LateFeePolicy } from './late-fee-policy';
import type { IsoDate } from '../dates';
import type { ErpItem } from '../erp/erp-item';
import { maxMinor } from '../money';

export type BlockedReason = 'paid' | 'payment_pending' | 'below_minimum' | 'expired';

export interface PricingContext {
  /** T: the calendar date in the merchant's time zone. */
  readonly today: IsoDate;
  /** The merchant's minimum for the item's currency, minor units (0 when none). */
  readonly merchantMinimum: bigint;
  /** The gateway's minimum for the item's currency, minor units (0 when none). */
  readonly gatewayMinimum: bigint;
  /** The merchant's default late-fee policy, used when the item has none. */
  readonly merchantLateFees: LateFeePolicy | null;
  /** P: approved payments the portal recorded for this merchant + ref. */
  readonly paid: bigint;
  /** A checkout for this item is in progress at PayU. */
  readonly pending: boolean;
  /** W: withholdings declared in approved payments (docs/spec/business-payments.md §2); absent = 0. */
  readonly withheld?: bigint;
}

export interface PricedItem {
  readonly item: ErpItem;
  readonly discount: bigint;
  readonly discountUntil: IsoDate | null;
  readonly lateFee: bigint;
  readonly daysOverdue: number;
  readonly delivery: bigint;
  /** G = A − D + L + V. */
  readonly total: bigint;
  readonly paid: bigint;
  /** Withheld by earlier approved payments. */
  readonly withheld: bigint;
  /** B = max(0, G − P − W). */
  readonly balance: bigint;
  /** M. */
  readonly itemMinimum: bigint;
  /** E. */
  readonly minimum: bigint;
  /** X may be chosen in [E, B] only when the item allows an advance; otherwise X = B. */
  readonly allowsPartial: boolean;
  readonly payable: boolean;
  readonly blockedReason: BlockedReason | null;
}

/** Everything docs/spec/pricing.md says about one item today, composed from one function per rule. */
export function priceItem(item: ErpItem, ctx: PricingContext): PricedItem {
  const d = discount(item.amount, item.discount, ctx.today);
  const l = lateFee(
    item.amount,
    item.currency,
    item.limitDate,
    item.lateFees ?? ctx.merchantLateFees,
    ctx.today,
  );
  const v = delivery(item.delivery);
  const total = item.amount - d.amount + l.amount + v;
  const withheld = ctx.withheld ?? 0n;
  const balance = maxMinor(0n, total - ctx.paid - withheld);
  const m = itemMinimum(item.advance, total, balance);
  const e = effectiveMinimum(m, ctx.merchantMinimum, ctx.gatewayMinimum);
  const expired = item.expiration && item.limitDate !== null && ctx.today > item.limitDate;
  let blockedReason: BlockedReason | null = null;
  if (balance <= 0n) blockedReason = 'paid';
  else if (ctx.pending) blockedReason = 'payment_pending';
  else if (e > balance) blockedReason = 'below_minimum';
  else if (expired) blockedReason = 'expired';
  return {
    item,
    discount: d.amount,
    discountUntil: d.until,
    lateFee: l.amount,
    daysOverdue: overdueDays(item.limitDate, ctx.today),
    delivery: v,
    total,
    paid: ctx.paid,
    withheld,
    balance,
    itemMinimum: m,
    minimum: e,
    allowsPartial: item.advance !== null,
    payable: blockedReason === null,
    blockedReason,
  };
}

/**
 * The amounts a payer may pay for a priced item: [E, B] with an advance, exactly B without; null when the
 * item is not payable.
 */
export function payableRange(priced: PricedItem): { min: bigint; max: bigint } | null {
  if (!priced.payable) return null;
  return priced.allowsPartial
    ? { min: priced.minimum, max: priced.balance }
    : { min: priced.balance, max: priced.balance };
}
