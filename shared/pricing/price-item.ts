import { daysOverdue as overdueDays } from './late-fee';
import { discount } from './discount';
import { delivery } from './delivery';
import { lateFee } from './late-fee';
import { effectiveMinimum, itemMinimum } from './minimum';
import type { LateFeePolicy } from './late-fee-policy';
import type { IsoDate } from '../dates';
import type { ErpItem } from '../erp/erp-item';
import { maxMinor } from '../money';
import { incentive, type IncentivePolicy } from './incentive';

export type BlockedReason =
  | 'paid'
  | 'payment_pending'
  | 'below_minimum'
  | 'expired'
  | 'cancelled'
  | 'in_review'
  | 'settled_offline'
  | 'returned';

/**
 * What a merchant charge adds to an item (docs/spec/merchant-charges.md): the incentive replaces the ERP's
 * discount rule, a status or an offline collection may block it, and split parts collected offline count as paid.
 */
export interface ChargePricing {
  readonly incentive: IncentivePolicy | null;
  readonly block: 'cancelled' | 'expired' | 'in_review' | 'settled_offline' | 'returned' | null;
  readonly paidOffline: bigint;
}

/** An ERP item, or a merchant charge read into the same shape (`source: 'charge'`). */
export interface PayableItem extends ErpItem {
  readonly source?: 'erp' | 'charge';
  readonly charge?: ChargePricing;
}

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
  readonly item: PayableItem;
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
  /** The item has an advance: a partial amount may be chosen when one leaves a payable remainder. */
  readonly allowsPartial: boolean;
  /**
   * The largest partial amount, B − E: a partial X must leave a remainder of at least E (B − X ≥ E) or the
   * rest could never be paid. Null when no partial amount is possible (no advance, B < 2E, or not payable).
   */
  readonly maxPartial: bigint | null;
  readonly payable: boolean;
  readonly blockedReason: BlockedReason | null;
}

/** Everything docs/spec/pricing.md says about one item today, composed from one function per rule. */
export function priceItem(item: PayableItem, ctx: PricingContext): PricedItem {
  const charge = item.charge;
  const d = charge
    ? incentive(item.amount, item.currency, item.limitDate, charge.incentive, ctx.today)
    : discount(item.amount, item.discount, ctx.today);
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
  const paid = ctx.paid + (charge?.paidOffline ?? 0n);
  const balance = maxMinor(0n, total - paid - withheld);
  const m = itemMinimum(item.advance, total, balance);
  const e = effectiveMinimum(m, ctx.merchantMinimum, ctx.gatewayMinimum);
  const expired = item.expiration && item.limitDate !== null && ctx.today > item.limitDate;
  // A final balance of an item already partly paid may be paid in full whenever it reaches the gateway
  // minimum: the merchant minimum (or a remainder left before this rule) never strands it.
  const finalBalance = ctx.paid > 0n && balance >= ctx.gatewayMinimum;
  let blockedReason: BlockedReason | null = null;
  if (balance <= 0n) blockedReason = 'paid';
  else if (charge?.block) blockedReason = charge.block;
  else if (ctx.pending) blockedReason = 'payment_pending';
  else if (e > balance && !finalBalance) blockedReason = 'below_minimum';
  else if (expired) blockedReason = 'expired';
  const payable = blockedReason === null;
  const maxPartial =
    payable && item.advance !== null && e <= balance && balance - e >= e ? balance - e : null;
  return {
    item,
    discount: d.amount,
    discountUntil: d.until,
    lateFee: l.amount,
    daysOverdue: overdueDays(item.limitDate, ctx.today),
    delivery: v,
    total,
    paid,
    withheld,
    balance,
    itemMinimum: m,
    minimum: e,
    allowsPartial: item.advance !== null,
    maxPartial,
    payable,
    blockedReason,
  };
}

/**
 * The amounts a payer may pay for a priced item, null when it is not payable: the balance B always, and
 * when a partial amount is possible, any X in [min, maxPartial] = [E, B − E] too. `min` is E then, else B.
 */
export function payableRange(
  priced: PricedItem,
): { min: bigint; max: bigint; maxPartial: bigint | null } | null {
  if (!priced.payable) return null;
  return priced.maxPartial !== null
    ? { min: priced.minimum, max: priced.balance, maxPartial: priced.maxPartial }
    : { min: priced.balance, max: priced.balance, maxPartial: null };
}

export type AmountCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'not_payable' | 'amount_out_of_range' }
  /** X in [E, B) would leave 0 < B − X < E; `maxPartial` is the largest partial allowed (null: none). */
  | { readonly ok: false; readonly code: 'remainder_below_minimum'; readonly maxPartial: bigint | null };

/** Whether the payer may pay X for this item today (docs/spec/pricing.md "Payable or not"). */
export function checkPayAmount(priced: PricedItem, amount: bigint): AmountCheck {
  const range = payableRange(priced);
  if (!range) return { ok: false, code: 'not_payable' };
  if (amount === range.max) return { ok: true };
  if (range.maxPartial !== null && amount >= range.min && amount <= range.maxPartial) return { ok: true };
  // Between the minimum and the balance, but leaving a remainder nobody could pay.
  if (priced.allowsPartial && amount >= priced.minimum && amount < priced.balance) {
    return { ok: false, code: 'remainder_below_minimum', maxPartial: range.maxPartial };
  }
  return { ok: false, code: 'amount_out_of_range' };
}
