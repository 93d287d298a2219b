import type { ErrorCode, FieldError } from '../../shared/api/schemas';
import { spreadAmount } from '../../shared/business/allocate';
import { formatMinor, parseAmountText, PRECISION, type Currency } from '../../shared/money';
import type { PricedItem } from '../../shared/pricing/price-item';

export interface SpreadShare {
  readonly priced: PricedItem;
  readonly amount: bigint;
}

export type SpreadOutcome =
  | { readonly ok: true; readonly currency: Currency; readonly total: bigint; readonly shares: SpreadShare[] }
  | {
      readonly ok: false;
      readonly status: 400 | 409 | 422;
      readonly code: ErrorCode;
      readonly message?: string;
      readonly fields?: readonly FieldError[];
      /** amount_not_allocatable: the nearest amounts that spread, as API text (null: none). */
      readonly lower?: string | null;
      readonly upper?: string | null;
    };

/**
 * Spreads one amount over the chosen refs of a fresh lookup (docs/spec/business-payments.md §1). `priced`
 * is in the lookup's order, which is the spread's order. Refs that exist but cannot be paid now are left
 * out; when every chosen item is held by a payment in process the answer is 409 payment_pending.
 */
export function spreadOverLookup(
  priced: readonly PricedItem[],
  refs: readonly string[],
  amountText: string,
  amountPath: string,
): SpreadOutcome {
  const wanted = new Set(refs);
  if (wanted.size !== refs.length) {
    return { ok: false, status: 400, code: 'invalid_request', message: 'Each item may appear once.' };
  }
  const chosen = priced.filter((p) => wanted.has(p.item.ref));
  if (chosen.length !== wanted.size) return { ok: false, status: 422, code: 'unknown_item' };
  const currency = chosen[0]!.item.currency;
  if (chosen.some((p) => p.item.currency !== currency)) {
    return { ok: false, status: 422, code: 'mixed_currencies' };
  }
  const amount = parseAmountText(amountText, currency);
  if (amount === null) {
    const message = `must be a plain decimal with at most ${PRECISION[currency]} decimals (${currency})`;
    return {
      ok: false,
      status: 422,
      code: 'invalid_request',
      message: `Invalid field(s): ${amountPath}`,
      fields: [{ path: amountPath, message }],
    };
  }
  const payable = chosen.filter((p) => p.payable);
  if (payable.length === 0 && chosen.some((p) => p.blockedReason === 'payment_pending')) {
    return { ok: false, status: 409, code: 'payment_pending' };
  }
  const result = spreadAmount(
    payable.map((p) => ({
      ref: p.item.ref,
      balance: p.balance,
      minimum: p.minimum,
      allowsPartial: p.allowsPartial,
    })),
    amount,
  );
  if (!result.ok) {
    const text = (v: bigint | null) => (v === null ? null : formatMinor(v, currency));
    return {
      ok: false,
      status: 422,
      code: 'amount_not_allocatable',
      lower: text(result.lower),
      upper: text(result.upper),
    };
  }
  const byRef = new Map(payable.map((p) => [p.item.ref, p]));
  return {
    ok: true,
    currency,
    total: result.total,
    shares: result.allocations.map((a) => ({ priced: byRef.get(a.ref)!, amount: a.amount })),
  };
}
