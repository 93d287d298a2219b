import type Database from 'better-sqlite3';
import { jsonOrNull } from './common';
import { insertNotificationsSqlite } from './sqlite-notifications';
import {
  COUNTED_RETURN_STATES_SQL,
  overpaymentReturn,
  patchColumns,
  toReturnEvent,
  toReturns,
  transitionAllowed,
  type ReturnEventRow,
  type ReturnInsert,
  type ReturnItemRow,
  type ReturnRow,
} from './returns-rows';
import type { CreateReturnResult, ReturnRecord, ReturnsStore, TransitionReturnResult } from './returns-store';
import type { NewOutboxMessage } from './store';

/** Returns on SQLite: every write in the engine's BEGIN IMMEDIATE transaction (see sqlite-store.ts). */
export interface SqliteContext {
  readonly stmt: (sql: string) => Database.Statement;
  readonly write: <T>(fn: () => T) => T;
}

const sqlValue = (v: string | number | bigint | boolean | Date | null) =>
  v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : v;

export function createSqliteReturns({ stmt, write }: SqliteContext): ReturnsStore {
  const load = (rows: readonly ReturnRow[]): ReturnRecord[] => {
    if (rows.length === 0) return [];
    const items = stmt(
      `SELECT return_id, ref, amount FROM return_items WHERE return_id IN (SELECT value FROM json_each(?))
       ORDER BY return_id, ref`,
    ).all(JSON.stringify(rows.map((r) => r.id))) as ReturnItemRow[];
    return toReturns(rows, items);
  };
  const one = (row: ReturnRow | undefined): ReturnRecord | null => (row ? (load([row])[0] ?? null) : null);
  const byId = (merchantId: string, id: string) =>
    stmt('SELECT * FROM returns WHERE merchant_id = ? AND id = ?').get(merchantId, id) as
      ReturnRow | undefined;

  const outbox = (messages: readonly NewOutboxMessage[], now: Date) => {
    const insert = stmt(
      `INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const m of messages)
      insert.run(m.messageId, m.merchantId, m.url, m.body, now.getTime(), now.getTime());
  };
  const audit = (
    returnId: string,
    now: Date,
    a: { actor: string; ip: string | null; action: string; detail?: unknown; dedupeKey?: string },
    from: string | null,
    to: string | null,
  ) =>
    stmt(
      `INSERT INTO return_events (return_id, at, actor, ip, action, from_state, to_state, detail, dedupe_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      returnId,
      now.getTime(),
      a.actor,
      a.ip,
      a.action,
      from,
      to,
      jsonOrNull(a.detail ?? null),
      a.dedupeKey ?? null,
    );

  const insertReturn = (r: ReturnInsert): ReturnRecord => {
    const at = r.now.getTime();
    stmt(
      `INSERT INTO returns (id, merchant_id, reference, idempotency_key, reason, note, currency, amount, state, route,
         created_at, updated_at, next_action_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    ).run(
      r.id,
      r.merchantId,
      r.reference,
      r.idempotencyKey,
      r.reason,
      r.note,
      r.currency,
      r.amount,
      r.state,
      r.route,
      at,
      at,
    );
    const insertItem = stmt(
      'INSERT INTO return_items (return_id, merchant_id, ref, amount) VALUES (?, ?, ?, ?)',
    );
    for (const it of r.items) if (it.amount > 0n) insertItem.run(r.id, r.merchantId, it.ref, it.amount);
    audit(r.id, r.now, r.audit, null, r.state);
    const ret = one(byId(r.merchantId, r.id))!;
    outbox(r.events(ret), r.now);
    return ret;
  };

  return {
    async detectOverpayment(input) {
      return write(() => {
        const c = stmt(
          `SELECT status, currency, updated_at, payment_method_type, overpayment_checked FROM checkouts
           WHERE merchant_id = ? AND reference = ?`,
        ).get(input.merchantId, input.reference) as
          | {
              status: string;
              currency: string;
              updated_at: bigint;
              payment_method_type: string | null;
              overpayment_checked: bigint;
            }
          | undefined;
        if (!c || c.status !== 'approved' || c.overpayment_checked === 1n) return [];
        const method = c.payment_method_type ?? input.paymentMethodType;
        const items = stmt(
          'SELECT ref, amount, due_total FROM checkout_items WHERE reference = ? ORDER BY position',
        ).all(input.reference) as { ref: string; amount: bigint; due_total: bigint | null }[];
        const created: ReturnRecord[] = [];
        for (const item of items) {
          if (item.due_total === null) continue;
          const { approved } = stmt(
            `SELECT COALESCE(SUM(i.amount), 0) AS approved FROM checkout_items i JOIN checkouts c ON c.reference = i.reference
             WHERE i.merchant_id = ? AND i.ref = ? AND c.status = 'approved'`,
          ).get(input.merchantId, item.ref) as { approved: bigint };
          const { counted } = stmt(
            `SELECT COALESCE(SUM(ri.amount), 0) AS counted FROM return_items ri JOIN returns r ON r.id = ri.return_id
             WHERE ri.merchant_id = ? AND ri.ref = ? AND r.state IN ${COUNTED_RETURN_STATES_SQL}`,
          ).get(input.merchantId, item.ref) as { counted: bigint };
          const ret = overpaymentReturn(
            input,
            { currency: c.currency, approvedAt: new Date(Number(c.updated_at)), paymentMethodType: method },
            { ref: item.ref, amount: item.amount, dueTotal: item.due_total },
            approved,
            counted,
          );
          if (ret) created.push(insertReturn(ret));
        }
        stmt(
          'UPDATE checkouts SET overpayment_checked = 1, payment_method_type = ? WHERE merchant_id = ? AND reference = ?',
        ).run(method, input.merchantId, input.reference);
        return created;
      });
    },

    async uncheckedApprovals(limit) {
      return (
        stmt(
          `SELECT merchant_id, reference FROM checkouts WHERE status = 'approved' AND overpayment_checked = 0
           ORDER BY updated_at LIMIT ?`,
        ).all(limit) as { merchant_id: string; reference: string }[]
      ).map((r) => ({ merchantId: r.merchant_id, reference: r.reference }));
    },

    async createReturn(input): Promise<CreateReturnResult> {
      return write((): CreateReturnResult => {
        const existing = stmt('SELECT * FROM returns WHERE merchant_id = ? AND idempotency_key = ?').get(
          input.merchantId,
          input.idempotencyKey,
        ) as ReturnRow | undefined;
        if (existing) return { kind: 'idempotent', ret: one(existing)! };
        const checkout = stmt(
          'SELECT status, amount, currency FROM checkouts WHERE merchant_id = ? AND reference = ?',
        ).get(input.merchantId, input.reference) as
          { status: string; amount: bigint; currency: string } | undefined;
        if (!checkout) return { kind: 'not_found' };
        if (checkout.status !== 'approved') return { kind: 'not_approved' };
        const { counted } = stmt(
          `SELECT COALESCE(SUM(amount), 0) AS counted FROM returns
           WHERE merchant_id = ? AND reference = ? AND state IN ${COUNTED_RETURN_STATES_SQL}`,
        ).get(input.merchantId, input.reference) as { counted: bigint };
        const available = checkout.amount - counted;
        if (input.amount > available) return { kind: 'exceeds', available: available > 0n ? available : 0n };
        const checkoutItems = (
          stmt('SELECT ref, amount FROM checkout_items WHERE reference = ? ORDER BY position').all(
            input.reference,
          ) as {
            ref: string;
            amount: bigint;
          }[]
        ).map((r) => ({ ref: r.ref, amount: r.amount }));
        const ret = insertReturn({
          ...input,
          currency: checkout.currency,
          items: input.split(checkoutItems, input.amount),
        });
        return { kind: 'created', ret };
      });
    },

    async getReturn(merchantId, id) {
      return one(byId(merchantId, id));
    },

    async listReturns(merchantId, q) {
      const rows = stmt(
        `SELECT * FROM returns WHERE merchant_id = ? AND (? IS NULL OR state = ?) AND (? IS NULL OR reference = ?)
           AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?`,
      ).all(
        merchantId,
        q.state ?? null,
        q.state ?? null,
        q.reference ?? null,
        q.reference ?? null,
        q.after ?? null,
        q.after ?? null,
        q.limit,
      ) as ReturnRow[];
      return load(rows);
    },

    async findReturnByPaymentOrder(paymentOrderId) {
      return one(
        stmt('SELECT * FROM returns WHERE payment_order_id = ?').get(paymentOrderId) as ReturnRow | undefined,
      );
    },

    async transitionReturn(input): Promise<TransitionReturnResult> {
      return write((): TransitionReturnResult => {
        const row = byId(input.merchantId, input.id);
        if (!row) return { kind: 'not_found' };
        const current = one(row)!;
        if (input.audit.dedupeKey !== undefined) {
          const seen = stmt('SELECT 1 FROM return_events WHERE return_id = ? AND dedupe_key = ?').get(
            input.id,
            input.audit.dedupeKey,
          );
          if (seen) return { kind: 'duplicate', ret: current };
        }
        if (!transitionAllowed(current.state, input)) return { kind: 'conflict', ret: current };
        const cols = patchColumns(input.patch, input.to, input.now);
        stmt(
          `UPDATE returns SET ${cols.map(([c]) => `${c} = ?`).join(', ')}, locked_until = NULL WHERE id = ?`,
        ).run(...cols.map(([, v]) => sqlValue(v)), input.id);
        audit(input.id, input.now, input.audit, current.state, input.to);
        const ret = one(byId(input.merchantId, input.id))!;
        if (input.events) outbox(input.events(ret), input.now);
        if (input.notifications) insertNotificationsSqlite(stmt, input.notifications(ret));
        return { kind: 'changed', ret };
      });
    },

    async claimDueReturns(now, limit, leaseMs) {
      return write(() => {
        const at = now.getTime();
        const rows = stmt(
          `SELECT * FROM returns WHERE next_action_at IS NOT NULL AND next_action_at <= ?
             AND (locked_until IS NULL OR locked_until <= ?) ORDER BY next_action_at, id LIMIT ?`,
        ).all(at, at, limit) as ReturnRow[];
        const lease = stmt('UPDATE returns SET locked_until = ? WHERE id = ?');
        for (const r of rows) lease.run(at + leaseMs, r.id);
        return load(rows);
      });
    },

    async returnEvents(merchantId, id) {
      const rows = stmt(
        `SELECT e.at, e.actor, e.ip, e.action, e.from_state, e.to_state, e.detail FROM return_events e
         JOIN returns r ON r.id = e.return_id WHERE r.merchant_id = ? AND e.return_id = ? ORDER BY e.id`,
      ).all(merchantId, id) as ReturnEventRow[];
      return rows.map(toReturnEvent);
    },
  };
}
