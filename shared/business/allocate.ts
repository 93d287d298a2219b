/**
 * Spreading one amount over several items, oldest first (docs/spec/business-payments.md §1). Pure: money in
 * bigint minor units of one currency, items already priced for today.
 */

/** What the spread needs to know about one payable item. */
export interface SpreadItem {
  readonly ref: string;
  /** B: what is still owed today. */
  readonly balance: bigint;
  /** E: the least one payment may be (item, merchant and gateway minimums together). */
  readonly minimum: bigint;
  /** The item takes partial payments (it has an `advance`). */
  readonly allowsPartial: boolean;
}

export interface Allocation {
  readonly ref: string;
  readonly amount: bigint;
}

export type SpreadResult =
  | { readonly ok: true; readonly total: bigint; readonly allocations: readonly Allocation[] }
  /** The nearest amounts that can be spread (`lower` null when no smaller one works, `upper` null when no larger). */
  | { readonly ok: false; readonly lower: bigint | null; readonly upper: bigint | null };

/** The spread's order: by limit date (none last), then by ref — the lookup's own order. */
export function compareSpreadOrder(
  a: { readonly limitDate: string | null; readonly ref: string },
  b: { readonly limitDate: string | null; readonly ref: string },
): number {
  if (a.limitDate !== b.limitDate) {
    if (a.limitDate === null) return 1;
    if (b.limitDate === null) return -1;
    return a.limitDate < b.limitDate ? -1 : 1;
  }
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/**
 * Spreads `amount` over `items`, which must already be in spread order: every item gets its whole balance
 * while the rest covers it; the first one it does not cover gets the rest when it takes partial payments and
 * the rest reaches its minimum; the items after it get nothing. Anything else cannot be spread, and the
 * answer names the nearest amounts that can.
 */
export function spreadAmount(items: readonly SpreadItem[], amount: bigint): SpreadResult {
  const allocations: Allocation[] = [];
  let rest = amount;
  if (amount > 0n) {
    for (const item of items) {
      if (rest >= item.balance) {
        allocations.push({ ref: item.ref, amount: item.balance });
        rest -= item.balance;
        if (rest === 0n) break;
        continue;
      }
      if (item.allowsPartial && rest >= item.minimum) {
        allocations.push({ ref: item.ref, amount: rest });
        rest = 0n;
      }
      break;
    }
  }
  if (amount > 0n && rest === 0n) return { ok: true, total: amount, allocations };
  return { ok: false, ...nearestAllocatable(items, amount) };
}

/**
 * The amounts that can be spread form one segment per item k: with S(k) the balances of the items before it,
 * [S(k) + E_k, S(k) + B_k] when k takes partial payments, else the single point S(k) + B_k. The segments rise
 * with k (E_k > 0), so one walk finds the largest spreadable amount below `amount` and the smallest above.
 */
export function nearestAllocatable(
  items: readonly SpreadItem[],
  amount: bigint,
): { lower: bigint | null; upper: bigint | null } {
  let lower: bigint | null = null;
  let before = 0n;
  for (const item of items) {
    const high = before + item.balance;
    const low = item.allowsPartial ? before + item.minimum : high;
    if (low < amount) lower = high < amount ? high : amount - 1n;
    const above = low > amount ? low : amount + 1n;
    if (above <= high) return { lower, upper: above };
    before = high;
  }
  return { lower, upper: null };
}
