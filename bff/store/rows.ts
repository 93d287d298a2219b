import type { PaymentStatus } from '../../shared/api/schemas';
import type { Currency } from '../../shared/money';
import { withheldFields } from './common';
import type { CheckoutItemRecord, CheckoutRecord, OutboxMessage } from './store';

/**
 * The rows of both engines and their one mapping to records. The engines differ only in how a column
 * arrives: SQLite (safe integers on) gives integers as bigint and instants as epoch milliseconds;
 * PostgreSQL gives int8 as text and timestamptz as a Date. JSON columns arrive as text from both (the
 * PostgreSQL store turns pg's json parser off), so each is parsed here, once, in its original key order.
 */

/** An integer column: bigint (SQLite), text (PostgreSQL int8) or number (PostgreSQL int4). */
type IntColumn = bigint | string | number;
/** An instant column: epoch milliseconds (SQLite) or a Date (PostgreSQL timestamptz). */
type InstantColumn = bigint | number | Date;

export interface CheckoutRow {
  reference: string;
  merchant_id: string;
  idempotency_key: string;
  request_hash: string;
  status: string;
  currency: string;
  amount: IntColumn;
  action: string;
  fields: string;
  comment: string | null;
  delivery_address: string | null;
  created_at: InstantColumn;
  updated_at: InstantColumn;
  hold_until: InstantColumn;
  payu_reference: string | null;
  transaction_id: string | null;
  payer_hash?: string | null;
  payment_method_type?: string | null;
  receipt_token: string | null;
  payment_method: string | null;
}

export interface ItemRow {
  reference: string;
  ref: string;
  description: string;
  amount: IntColumn;
  metadata: string | null;
  webhook_url: string | null;
  due_total?: IntColumn | null;
  withheld: IntColumn;
  withholdings: string | null;
}

export interface OutboxRow {
  id: IntColumn;
  message_id: string;
  merchant_id: string;
  url: string;
  body: string;
  attempts: IntColumn;
  created_at: InstantColumn;
}

/** Never through Number: amounts may exceed 2^53. */
const int = (value: IntColumn): bigint => (typeof value === 'bigint' ? value : BigInt(value));
const instant = (value: InstantColumn): Date => (value instanceof Date ? value : new Date(Number(value)));
const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function toItem(row: ItemRow): CheckoutItemRecord {
  return {
    ref: row.ref,
    description: row.description,
    amount: int(row.amount),
    metadata: json(row.metadata),
    webhookUrl: row.webhook_url,
    dueTotal: row.due_total === undefined || row.due_total === null ? null : int(row.due_total),
    ...withheldFields(int(row.withheld), json(row.withholdings)),
  };
}

export function toCheckout(row: CheckoutRow, items: readonly CheckoutItemRecord[]): CheckoutRecord {
  return {
    reference: row.reference,
    merchantId: row.merchant_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    status: row.status as PaymentStatus,
    currency: row.currency as Currency,
    amount: int(row.amount),
    items,
    action: row.action,
    fields: JSON.parse(row.fields) as Record<string, string>,
    comment: row.comment,
    deliveryAddress: json(row.delivery_address),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
    holdUntil: instant(row.hold_until),
    payuReference: row.payu_reference,
    transactionId: row.transaction_id,
    payerHash: row.payer_hash ?? null,
    paymentMethodType: row.payment_method_type ?? null,
    ...(row.receipt_token === null ? {} : { receiptToken: row.receipt_token }),
    ...(row.payment_method === null ? {} : { paymentMethod: row.payment_method }),
  };
}

/** Checkouts with their items, from the item rows of all of them ordered by reference and position. */
export function toCheckouts(rows: readonly CheckoutRow[], itemRows: readonly ItemRow[]): CheckoutRecord[] {
  const byReference = new Map<string, CheckoutItemRecord[]>();
  for (const row of itemRows) {
    const list = byReference.get(row.reference);
    if (list) list.push(toItem(row));
    else byReference.set(row.reference, [toItem(row)]);
  }
  return rows.map((row) => toCheckout(row, byReference.get(row.reference) ?? []));
}

/**
 * A checkout row that carries its items as one JSON array of `[ref, description, amount, metadata,
 * webhook_url, due_total, withheld, withholdings]` (amounts and JSON as text, so neither passes through a JS number or a re-encoding):
 * one statement reads a checkout with its items.
 */
export interface CheckoutWithItemsRow extends CheckoutRow {
  items: string | null;
}

type AggregatedItem = [
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string | null,
];

export function toCheckoutWithItems(row: CheckoutWithItemsRow): CheckoutRecord {
  const items = row.items === null ? [] : (JSON.parse(row.items) as AggregatedItem[]);
  return toCheckout(
    row,
    items.map(([ref, description, amount, metadata, webhookUrl, dueTotal, withheld, withholdings]) =>
      toItem({
        reference: row.reference,
        ref,
        description,
        amount,
        metadata,
        webhook_url: webhookUrl,
        due_total: dueTotal,
        withheld,
        withholdings,
      }),
    ),
  );
}

export function toOutbox(row: OutboxRow): OutboxMessage {
  return {
    id: String(row.id),
    messageId: row.message_id,
    merchantId: row.merchant_id,
    url: row.url,
    body: row.body,
    attempts: Number(row.attempts),
    createdAt: instant(row.created_at),
  };
}
