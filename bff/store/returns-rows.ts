import type { Currency } from '../../shared/money';
import { canTransition, type ReturnRoute, type ReturnState } from '../../shared/money-back/return-state';
import type {
  NewReturn,
  OverpaymentCheck,
  ReturnEventRecord,
  ReturnItem,
  ReturnPatch,
  ReturnRecord,
  ReturnTransition,
} from './returns-store';

/**
 * Rows of the returns tables and their one mapping, plus the engine-neutral decisions both engines make
 * (sqlite-returns.ts, postgres-returns.ts only add their way of making them atomic).
 */
type IntColumn = bigint | string | number;
type InstantColumn = bigint | number | Date;

export interface ReturnRow {
  id: string;
  merchant_id: string;
  reference: string;
  idempotency_key: string;
  reason: string;
  note: string | null;
  currency: string;
  amount: IntColumn;
  state: string;
  route: string;
  created_at: InstantColumn;
  updated_at: InstantColumn;
  next_action_at: InstantColumn | null;
  attempts: IntColumn;
  refund_declined: IntColumn | boolean;
  payment_order_id: string | null;
  bank_account_id: string | null;
  payout_state: string | null;
  order_status: string | null;
  in_bank_at: InstantColumn | null;
  expected_arrival_at: InstantColumn | null;
  bank_details: string | null;
  bank_masked: string | null;
  failure: string | null;
}

export interface ReturnItemRow {
  return_id: string;
  ref: string;
  amount: IntColumn;
}

export interface ReturnEventRow {
  at: InstantColumn;
  actor: string;
  ip: string | null;
  action: string;
  from_state: string | null;
  to_state: string | null;
  detail: string | null;
}

const int = (v: IntColumn): bigint => (typeof v === 'bigint' ? v : BigInt(v));
const instant = (v: InstantColumn): Date => (v instanceof Date ? v : new Date(Number(v)));
const maybeInstant = (v: InstantColumn | null): Date | null => (v === null ? null : instant(v));

export function toReturn(row: ReturnRow, items: readonly ReturnItem[]): ReturnRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    reference: row.reference,
    idempotencyKey: row.idempotency_key,
    reason: row.reason,
    note: row.note,
    currency: row.currency as Currency,
    amount: int(row.amount),
    items,
    state: row.state as ReturnState,
    route: row.route as ReturnRoute,
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
    nextActionAt: maybeInstant(row.next_action_at),
    attempts: Number(row.attempts),
    refundDeclined: row.refund_declined === true || Number(row.refund_declined) === 1,
    payout: {
      paymentOrderId: row.payment_order_id,
      bankAccountId: row.bank_account_id,
      payoutState: row.payout_state,
      orderStatus: row.order_status,
      inBankAt: maybeInstant(row.in_bank_at),
      expectedArrivalAt: maybeInstant(row.expected_arrival_at),
    },
    bankDetailsSealed: row.bank_details,
    bankMasked: row.bank_masked,
    failure: row.failure,
  };
}

export function toReturns(rows: readonly ReturnRow[], itemRows: readonly ReturnItemRow[]): ReturnRecord[] {
  const byId = new Map<string, ReturnItem[]>();
  for (const r of itemRows) {
    const item = { ref: r.ref, amount: int(r.amount) };
    const list = byId.get(r.return_id);
    if (list) list.push(item);
    else byId.set(r.return_id, [item]);
  }
  return rows.map((row) => toReturn(row, byId.get(row.id) ?? []));
}

export function toReturnEvent(row: ReturnEventRow): ReturnEventRecord {
  return {
    at: instant(row.at),
    actor: row.actor,
    ip: row.ip,
    action: row.action,
    fromState: row.from_state as ReturnState | null,
    toState: row.to_state as ReturnState | null,
    detail: row.detail === null ? null : JSON.parse(row.detail),
  };
}

/** The return may move: the committed state is the one decided on and the state table allows the move. */
export function transitionAllowed(
  current: ReturnState,
  input: Pick<ReturnTransition, 'from' | 'to'>,
): boolean {
  if (current !== input.from) return false;
  return input.to === input.from || canTransition(input.from, input.to);
}

/** The columns a patch writes, in a fixed order; instants stay Dates (each engine converts them). */
export function patchColumns(
  patch: ReturnPatch | undefined,
  to: ReturnState,
  now: Date,
): [column: string, value: string | number | bigint | boolean | Date | null][] {
  const cols: [string, string | number | bigint | boolean | Date | null][] = [
    ['state', to],
    ['updated_at', now],
  ];
  if (!patch) return cols;
  if (patch.route !== undefined) cols.push(['route', patch.route]);
  if (patch.nextActionAt !== undefined) cols.push(['next_action_at', patch.nextActionAt]);
  if (patch.attempts !== undefined) cols.push(['attempts', patch.attempts]);
  if (patch.refundDeclined !== undefined) cols.push(['refund_declined', patch.refundDeclined]);
  if (patch.bankDetailsSealed !== undefined) cols.push(['bank_details', patch.bankDetailsSealed]);
  if (patch.bankMasked !== undefined) cols.push(['bank_masked', patch.bankMasked]);
  if (patch.failure !== undefined) cols.push(['failure', patch.failure]);
  const p = patch.payout;
  if (p) {
    if (p.paymentOrderId !== undefined) cols.push(['payment_order_id', p.paymentOrderId]);
    if (p.bankAccountId !== undefined) cols.push(['bank_account_id', p.bankAccountId]);
    if (p.payoutState !== undefined) cols.push(['payout_state', p.payoutState]);
    if (p.orderStatus !== undefined) cols.push(['order_status', p.orderStatus]);
    if (p.inBankAt !== undefined) cols.push(['in_bank_at', p.inBankAt]);
    if (p.expectedArrivalAt !== undefined) cols.push(['expected_arrival_at', p.expectedArrivalAt]);
  }
  return cols;
}

/** States whose amount still counts against what may be returned of a payment. */
export const COUNTED_RETURN_STATES_SQL =
  "('pending','recorded','approved','awaiting_details','sending','needs_review','in_bank','paid')";
/** States whose amount has left the merchant: an item's paid amount is net of them. */
export const COMPLETED_RETURN_STATES_SQL = "('paid','recorded')";

/** One return row to insert, as both engines write it (merchant returns and over-payments alike). */
export interface ReturnInsert {
  readonly id: string;
  readonly merchantId: string;
  readonly reference: string;
  readonly idempotencyKey: string;
  readonly reason: string;
  readonly note: string | null;
  readonly currency: string;
  readonly amount: bigint;
  readonly state: string;
  readonly route: string;
  readonly now: Date;
  readonly items: readonly ReturnItem[];
  readonly audit: NewReturn['audit'];
  readonly events: NewReturn['events'];
}

/**
 * The over-payment of one item of an approved checkout (docs/spec/money-back.md): what all approvals of the
 * item add up to beyond its returns and its total due when this checkout was made, at most what this checkout
 * paid for it; null when there is none.
 */
export function overpaymentReturn(
  input: OverpaymentCheck,
  checkout: { currency: string; approvedAt: Date; paymentMethodType: string | null },
  item: { ref: string; amount: bigint; dueTotal: bigint },
  approved: bigint,
  counted: bigint,
): ReturnInsert | null {
  let excess = approved - counted - item.dueTotal;
  if (excess > item.amount) excess = item.amount;
  if (excess <= 0n) return null;
  return {
    id: input.newId(),
    merchantId: input.merchantId,
    reference: input.reference,
    idempotencyKey: `overpayment:${input.reference}:${item.ref}`,
    reason: 'overpayment',
    note: null,
    currency: checkout.currency,
    amount: excess,
    state: 'pending',
    route: input.route({ ...checkout, amount: excess }),
    now: input.now,
    items: [{ ref: item.ref, amount: excess }],
    audit: input.audit,
    events: input.events,
  };
}
