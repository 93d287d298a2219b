import type pg from 'pg';
import { jsonOrNull } from './common';
import { insertNotificationsPg } from './postgres-notifications';
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

/**
 * Returns on PostgreSQL. A return's row is locked FOR UPDATE before it is decided on, so concurrent moves of
 * one return are serialised (a PayU webhook and the return job, two instances); a payment's returns are
 * serialised by locking its checkout row, so two concurrent returns cannot together exceed what was approved.
 */
type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * What an item's over-payment is made of, with the merchant as $1 and the item's ref as `ref` (a column or a
 * parameter): all its approved payments, and the returns made or promised that already count against them.
 */
const approvedOf = (ref: string) =>
  `(SELECT COALESCE(SUM(i.amount), 0) FROM checkout_items i JOIN checkouts a ON a.reference = i.reference
     WHERE i.merchant_id = $1 AND i.ref = ${ref} AND a.status = 'approved')`;
const countedOf = (ref: string) =>
  `(SELECT COALESCE(SUM(ri.amount), 0) FROM return_items ri JOIN returns r ON r.id = ri.return_id
     WHERE ri.merchant_id = $1 AND ri.ref = ${ref} AND r.state IN ${COUNTED_RETURN_STATES_SQL})`;

/**
 * The over-payment check without locks, for the common case. It can only conclude "nothing beyond what was
 * owed": then it marks the checkout checked. It runs after the approval committed, so of two approvals of one
 * item the later one's check sees both; a check that sees a possible excess leaves the checkout unchecked and
 * the locked path decides (and serialises the returns it creates). A check racing a locked check of the same
 * checkout waits for its row lock and then finds it checked (no row marked).
 *
 * Its commit does not wait for the WAL flush (`synchronous_commit` off for this transaction only: PostgreSQL
 * applies the setting in force when a transaction commits). All it records is "checked, nothing owed"; if a
 * crash loses that, the approval is unchecked again and the returns job checks it again, with the same result.
 * The confirmation itself, and any return, commit durably as always.
 */
const QUICK_OVERPAYMENT_CHECK = `
  WITH c AS (
    SELECT status, overpayment_checked FROM checkouts WHERE merchant_id = $1 AND reference = $2
  ), risk AS (
    SELECT 1 FROM checkout_items ci
    WHERE ci.reference = $2 AND ci.due_total IS NOT NULL
      AND ${approvedOf('ci.ref')} - ${countedOf('ci.ref')} > ci.due_total
    LIMIT 1
  ), marked AS (
    UPDATE checkouts SET overpayment_checked = true, payment_method_type = COALESCE(payment_method_type, $3)
    WHERE merchant_id = $1 AND reference = $2 AND status = 'approved' AND NOT overpayment_checked
      AND NOT EXISTS (SELECT 1 FROM risk)
    RETURNING 1
  )
  SELECT (SELECT status FROM c) AS status, (SELECT overpayment_checked FROM c) AS checked,
         EXISTS (SELECT 1 FROM marked) AS marked,
         set_config('synchronous_commit', 'off', true) AS synchronous_commit`;

export interface PostgresContext {
  readonly pool: Queryable;
  readonly transaction: <T>(fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>;
}

export function createPostgresReturns({ pool, transaction }: PostgresContext): ReturnsStore {
  const load = async (db: Queryable, rows: readonly ReturnRow[]): Promise<ReturnRecord[]> => {
    if (rows.length === 0) return [];
    const items = await db.query<ReturnItemRow>(
      'SELECT return_id, ref, amount FROM return_items WHERE return_id = ANY($1::text[]) ORDER BY return_id, ref',
      [rows.map((r) => r.id)],
    );
    return toReturns(rows, items.rows);
  };
  const one = async (db: Queryable, row: ReturnRow | undefined) =>
    row ? ((await load(db, [row]))[0] ?? null) : null;

  const outbox = async (db: Queryable, messages: readonly NewOutboxMessage[], now: Date) => {
    for (const m of messages) {
      await db.query(
        `INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)`,
        [m.messageId, m.merchantId, m.url, m.body, now],
      );
    }
  };
  const audit = (
    db: Queryable,
    returnId: string,
    now: Date,
    a: { actor: string; ip: string | null; action: string; detail?: unknown; dedupeKey?: string },
    from: string | null,
    to: string | null,
  ) =>
    db.query(
      `INSERT INTO return_events (return_id, at, actor, ip, action, from_state, to_state, detail, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [returnId, now, a.actor, a.ip, a.action, from, to, jsonOrNull(a.detail ?? null), a.dedupeKey ?? null],
    );

  const insertReturn = async (db: Queryable, r: ReturnInsert): Promise<ReturnRecord> => {
    await db.query(
      `INSERT INTO returns (id, merchant_id, reference, idempotency_key, reason, note, currency, amount, state, route,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
      [
        r.id,
        r.merchantId,
        r.reference,
        r.idempotencyKey,
        r.reason,
        r.note,
        r.currency,
        r.amount.toString(),
        r.state,
        r.route,
        r.now,
      ],
    );
    for (const it of r.items) {
      if (it.amount <= 0n) continue;
      await db.query(
        'INSERT INTO return_items (return_id, merchant_id, ref, amount) VALUES ($1, $2, $3, $4)',
        [r.id, r.merchantId, it.ref, it.amount.toString()],
      );
    }
    await audit(db, r.id, r.now, r.audit, null, r.state);
    const row = await db.query<ReturnRow>('SELECT * FROM returns WHERE id = $1', [r.id]);
    const ret = (await one(db, row.rows[0]))!;
    await outbox(db, r.events(ret), r.now);
    return ret;
  };

  return {
    async detectOverpayment(input) {
      // Most approvals pay no more than their items owed: one statement sees that and marks the checkout checked
      // (1 round trip). Anything that could be an excess takes the locked path below, which decides it.
      const fast = await pool.query<{ status: string | null; checked: boolean | null; marked: boolean }>({
        name: 'saldo.overpayment-quick-check',
        text: QUICK_OVERPAYMENT_CHECK,
        values: [input.merchantId, input.reference, input.paymentMethodType],
      });
      const quick = fast.rows[0];
      if (!quick || quick.marked || quick.status !== 'approved' || quick.checked) return [];
      return transaction(async (client) => {
        const c = (
          await client.query<{
            status: string;
            currency: string;
            updated_at: Date;
            payment_method_type: string | null;
            overpayment_checked: boolean;
          }>(
            `SELECT status, currency, updated_at, payment_method_type, overpayment_checked FROM checkouts
             WHERE merchant_id = $1 AND reference = $2 FOR UPDATE`,
            [input.merchantId, input.reference],
          )
        ).rows[0];
        if (!c || c.status !== 'approved' || c.overpayment_checked) return [];
        const method = c.payment_method_type ?? input.paymentMethodType;
        const items = (
          await client.query<{ ref: string; amount: string; due_total: string | null }>(
            'SELECT ref, amount, due_total FROM checkout_items WHERE reference = $1 ORDER BY ref',
            [input.reference],
          )
        ).rows;
        const created: ReturnRecord[] = [];
        for (const item of items) {
          if (item.due_total === null) continue;
          // Approvals of one item on other checkouts are checked one at a time across instances: without this
          // lock two checks could each miss the other's return and both return the same excess.
          await client.query(
            `SELECT pg_advisory_xact_lock(hashtext('saldo.overpayment:' || $1 || ':' || $2))`,
            [input.merchantId, item.ref],
          );
          const facts = (
            await client.query<{ approved: string; counted: string }>(
              `SELECT ${approvedOf('$2')}::text AS approved, ${countedOf('$2')}::text AS counted`,
              [input.merchantId, item.ref],
            )
          ).rows[0]!;
          const ret = overpaymentReturn(
            input,
            { currency: c.currency, approvedAt: c.updated_at, paymentMethodType: method },
            { ref: item.ref, amount: BigInt(item.amount), dueTotal: BigInt(item.due_total) },
            BigInt(facts.approved),
            BigInt(facts.counted),
          );
          if (ret) created.push(await insertReturn(client, ret));
        }
        await client.query(
          'UPDATE checkouts SET overpayment_checked = true, payment_method_type = $3 WHERE merchant_id = $1 AND reference = $2',
          [input.merchantId, input.reference, method],
        );
        return created;
      });
    },

    async uncheckedApprovals(limit) {
      const r = await pool.query<{ merchant_id: string; reference: string }>(
        `SELECT merchant_id, reference FROM checkouts WHERE status = 'approved' AND NOT overpayment_checked
         ORDER BY updated_at LIMIT $1`,
        [limit],
      );
      return r.rows.map((x) => ({ merchantId: x.merchant_id, reference: x.reference }));
    },

    async createReturn(input): Promise<CreateReturnResult> {
      return transaction(async (client): Promise<CreateReturnResult> => {
        const checkout = await client.query<{ status: string; amount: string; currency: string }>(
          'SELECT status, amount, currency FROM checkouts WHERE merchant_id = $1 AND reference = $2 FOR UPDATE',
          [input.merchantId, input.reference],
        );
        // Under the checkout's lock: a concurrent create of the same key has committed or waits behind us.
        const existing = await client.query<ReturnRow>(
          'SELECT * FROM returns WHERE merchant_id = $1 AND idempotency_key = $2',
          [input.merchantId, input.idempotencyKey],
        );
        if (existing.rows[0]) return { kind: 'idempotent', ret: (await one(client, existing.rows[0]))! };
        const c = checkout.rows[0];
        if (!c) return { kind: 'not_found' };
        if (c.status !== 'approved') return { kind: 'not_approved' };
        const counted = await client.query<{ counted: string }>(
          `SELECT COALESCE(SUM(amount), 0) AS counted FROM returns
           WHERE merchant_id = $1 AND reference = $2 AND state IN ${COUNTED_RETURN_STATES_SQL}`,
          [input.merchantId, input.reference],
        );
        const available = BigInt(c.amount) - BigInt(counted.rows[0]?.counted ?? '0');
        if (input.amount > available) return { kind: 'exceeds', available: available > 0n ? available : 0n };
        const checkoutItems = (
          await client.query<{ ref: string; amount: string }>(
            'SELECT ref, amount FROM checkout_items WHERE reference = $1 ORDER BY position',
            [input.reference],
          )
        ).rows.map((r) => ({ ref: r.ref, amount: BigInt(r.amount) }));
        const ret = await insertReturn(client, {
          ...input,
          currency: c.currency,
          items: input.split(checkoutItems, input.amount),
        });
        return { kind: 'created', ret };
      });
    },

    async getReturn(merchantId, id) {
      const r = await pool.query<ReturnRow>('SELECT * FROM returns WHERE merchant_id = $1 AND id = $2', [
        merchantId,
        id,
      ]);
      return one(pool, r.rows[0]);
    },

    async listReturns(merchantId, q) {
      const r = await pool.query<ReturnRow>(
        `SELECT * FROM returns WHERE merchant_id = $1 AND ($2::text IS NULL OR state = $2)
           AND ($3::text IS NULL OR reference = $3) AND ($4::text IS NULL OR id > $4) ORDER BY id LIMIT $5`,
        [merchantId, q.state ?? null, q.reference ?? null, q.after ?? null, q.limit],
      );
      return load(pool, r.rows);
    },

    async findReturnByPaymentOrder(paymentOrderId) {
      const r = await pool.query<ReturnRow>('SELECT * FROM returns WHERE payment_order_id = $1', [
        paymentOrderId,
      ]);
      return one(pool, r.rows[0]);
    },

    async transitionReturn(input): Promise<TransitionReturnResult> {
      return transaction(async (client): Promise<TransitionReturnResult> => {
        const r = await client.query<ReturnRow>(
          'SELECT * FROM returns WHERE merchant_id = $1 AND id = $2 FOR UPDATE',
          [input.merchantId, input.id],
        );
        const current = await one(client, r.rows[0]);
        if (!current) return { kind: 'not_found' };
        if (input.audit.dedupeKey !== undefined) {
          const seen = await client.query(
            'SELECT 1 FROM return_events WHERE return_id = $1 AND dedupe_key = $2',
            [input.id, input.audit.dedupeKey],
          );
          if (seen.rowCount) return { kind: 'duplicate', ret: current };
        }
        if (!transitionAllowed(current.state, input)) return { kind: 'conflict', ret: current };
        const cols = patchColumns(input.patch, input.to, input.now);
        await client.query(
          `UPDATE returns SET ${cols.map(([c], i) => `${c} = $${i + 1}`).join(', ')}, locked_until = NULL
           WHERE id = $${cols.length + 1}`,
          [...cols.map(([, v]) => (typeof v === 'bigint' ? v.toString() : v)), input.id],
        );
        await audit(client, input.id, input.now, input.audit, current.state, input.to);
        const after = await client.query<ReturnRow>('SELECT * FROM returns WHERE id = $1', [input.id]);
        const ret = (await one(client, after.rows[0]))!;
        if (input.events) await outbox(client, input.events(ret), input.now);
        if (input.notifications) await insertNotificationsPg(client, input.notifications(ret));
        return { kind: 'changed', ret };
      });
    },

    async claimDueReturns(now, limit, leaseMs) {
      return transaction(async (client) => {
        const r = await client.query<ReturnRow>(
          `UPDATE returns SET locked_until = $2 WHERE id IN (
             SELECT id FROM returns WHERE next_action_at IS NOT NULL AND next_action_at <= $1
               AND (locked_until IS NULL OR locked_until <= $1)
             ORDER BY next_action_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING *`,
          [now, new Date(now.getTime() + leaseMs), limit],
        );
        return load(client, r.rows);
      });
    },

    async returnEvents(merchantId, id) {
      const r = await pool.query<ReturnEventRow>(
        `SELECT e.at, e.actor, e.ip, e.action, e.from_state, e.to_state, e.detail FROM return_events e
         JOIN returns r ON r.id = e.return_id WHERE r.merchant_id = $1 AND e.return_id = $2 ORDER BY e.id`,
        [merchantId, id],
      );
      return r.rows.map(toReturnEvent);
    },
  };
}
