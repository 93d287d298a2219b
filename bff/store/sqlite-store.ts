import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { boundedError, emptyItemStates, heldRefs, jsonOrNull, withholdingsToJson } from './common';
import { sqliteChargeStore } from './sqlite-charges';
import { chargeItemKey } from './charge-store';
import { MIGRATIONS, SCHEMA_MIGRATIONS_SQL, pendingMigrations } from './migrations';
import { paymentTransition } from './payment-transition';
import { COMPLETED_RETURN_STATES_SQL } from './returns-rows';
import { insertNotificationsSqlite, sqliteNotificationStore } from './sqlite-notifications';
import { createSqliteReturns } from './sqlite-returns';
import { toCheckouts, toOutbox, type CheckoutRow, type ItemRow, type OutboxRow } from './rows';
import type { CheckoutRecord, ConfirmationResult, CreateCheckoutResult, Store } from './store';

/**
 * The embedded engine. better-sqlite3 is synchronous, so within one process every method runs to completion
 * before the next starts; across processes sharing the file, every write runs in a BEGIN IMMEDIATE
 * transaction (the write lock taken up front, so a read-then-write never fails half way on SQLITE_BUSY)
 * and busy_timeout makes the other writers wait for it.
 *
 * Integers are read with safe integers on (as bigint) so amounts beyond 2^53 survive; instants are epoch ms.
 */

const BUSY_TIMEOUT_MS = 5000;

export function createSqliteStore(path: string): Store {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.defaultSafeIntegers(true);

  // Statements can only be prepared once their tables exist (after migrate), so they are prepared on first use.
  const statements = new Map<string, Database.Statement>();
  const stmt = (sql: string): Database.Statement => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
  const write = <T>(fn: () => T): T => db.transaction(fn).immediate();

  const withItems = (rows: readonly CheckoutRow[]): CheckoutRecord[] => {
    if (rows.length === 0) return [];
    const itemRows = stmt(
      `SELECT reference, ref, description, amount, metadata, webhook_url, due_total, withheld, withholdings FROM checkout_items
       WHERE reference IN (SELECT value FROM json_each(?)) ORDER BY reference, position`,
    ).all(JSON.stringify(rows.map((r) => r.reference))) as ItemRow[];
    return toCheckouts(rows, itemRows);
  };

  const loadOne = (row: CheckoutRow | undefined): CheckoutRecord | null =>
    row === undefined ? null : (withItems([row])[0] ?? null);

  const byReference = (merchantId: string, reference: string): CheckoutRow | undefined =>
    stmt('SELECT * FROM checkouts WHERE merchant_id = ? AND reference = ?').get(merchantId, reference) as
      CheckoutRow | undefined;

  const byIdempotencyKey = (merchantId: string, idempotencyKey: string): CheckoutRow | undefined =>
    stmt('SELECT * FROM checkouts WHERE merchant_id = ? AND idempotency_key = ?').get(
      merchantId,
      idempotencyKey,
    ) as CheckoutRow | undefined;

  const chargeStore = sqliteChargeStore(stmt, write);

  return {
    engine: 'sqlite',
    ...createSqliteReturns({ stmt, write }),
    ...sqliteNotificationStore(stmt, write),
    ...chargeStore,

    async migrate() {
      write(() => {
        db.exec(SCHEMA_MIGRATIONS_SQL.sqlite);
        const applied = new Set(
          (db.prepare('SELECT version FROM schema_migrations').all() as { version: bigint }[]).map((r) =>
            Number(r.version),
          ),
        );
        const record = db.prepare(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        );
        for (const m of pendingMigrations(applied, MIGRATIONS)) {
          db.exec(m.sqlite);
          record.run(m.version, m.name, Date.now());
        }
      });
    },

    async ping() {
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      if (db.open) db.close();
    },

    async createCheckout(input): Promise<CreateCheckoutResult> {
      return write((): CreateCheckoutResult => {
        const existing = byIdempotencyKey(input.merchantId, input.idempotencyKey);
        if (existing) return { kind: 'idempotent', checkout: loadOne(existing)! };

        const refs = heldRefs(input.items);
        const now = input.now.getTime();
        // A hold counts only while its checkout is pending and its time has not passed; holds of ended
        // checkouts are deleted when they end, the status test is a second line of defence.
        const blocked = (
          stmt(
            `SELECT h.ref FROM item_holds h JOIN checkouts c ON c.reference = h.reference
             WHERE h.merchant_id = ? AND h.ref IN (SELECT value FROM json_each(?))
               AND h.hold_until > ? AND c.status = 'pending'
             ORDER BY h.ref`,
          ).all(input.merchantId, JSON.stringify(refs), now) as { ref: string }[]
        ).map((r) => r.ref);
        if (blocked.length > 0) return { kind: 'pending', refs: blocked };

        stmt(
          `INSERT INTO checkouts (reference, merchant_id, idempotency_key, request_hash, status, currency, amount,
             action, fields, comment, delivery_address, created_at, updated_at, hold_until, payer_hash, receipt_token)
           VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          input.reference,
          input.merchantId,
          input.idempotencyKey,
          input.requestHash,
          input.currency,
          input.amount,
          input.action,
          JSON.stringify(input.fields),
          input.comment,
          jsonOrNull(input.deliveryAddress),
          now,
          now,
          input.holdUntil.getTime(),
          input.payerHash ?? null,
          input.receiptToken ?? null,
        );
        const insertItem = stmt(
          `INSERT INTO checkout_items (reference, position, merchant_id, ref, description, amount, metadata, webhook_url,
             due_total, withheld, withholdings)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        input.items.forEach((item, position) => {
          insertItem.run(
            input.reference,
            position,
            input.merchantId,
            item.ref,
            item.description,
            item.amount,
            jsonOrNull(item.metadata),
            item.webhookUrl,
            item.dueTotal ?? null,
            item.withheld ?? 0n,
            withholdingsToJson(item.withholdings),
          );
        });
        const hold = stmt(
          `INSERT INTO item_holds (merchant_id, ref, reference, hold_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (merchant_id, ref) DO UPDATE SET reference = excluded.reference, hold_until = excluded.hold_until`,
        );
        for (const ref of refs) hold.run(input.merchantId, ref, input.reference, input.holdUntil.getTime());

        return { kind: 'created', checkout: loadOne(byReference(input.merchantId, input.reference))! };
      });
    },

    async getCheckout(merchantId, reference) {
      return loadOne(byReference(merchantId, reference));
    },

    async getCheckoutForConfirmation(merchantId, reference, transactionId) {
      const checkout = loadOne(byReference(merchantId, reference));
      if (!checkout) return null;
      const recorded = stmt('SELECT 1 FROM payu_transactions WHERE transaction_id = ?').get(transactionId);
      return { checkout, recorded: recorded !== undefined };
    },

    async findByIdempotencyKey(merchantId, idempotencyKey) {
      return loadOne(byIdempotencyKey(merchantId, idempotencyKey));
    },

    async getCheckoutByReceiptToken(token) {
      return loadOne(
        stmt('SELECT * FROM checkouts WHERE receipt_token = ?').get(token) as CheckoutRow | undefined,
      );
    },

    async payerItemStates(merchantId, payerIdNumber, refs, now) {
      // Two statements, but no round trip: SQLite runs in the process.
      const charges = await chargeStore.chargesForPayer(merchantId, payerIdNumber);
      const keys = [...refs, ...charges.map((charge) => chargeItemKey(charge.externalReference))];
      return { charges, states: await this.itemStates(merchantId, keys, now) };
    },

    async itemStates(merchantId, refs, now) {
      const states = emptyItemStates(refs);
      if (refs.length === 0) return states;
      // One statement (every lookup runs it): what was paid per item (net of completed returns, docs/spec/
      // money-back.md: returned money makes an item payable again) and, in rows with no `paid`, live holds.
      // The wanted refs drive the join (CROSS JOIN fixes that order in SQLite: the planner would otherwise
      // walk every item of the merchant), each probing the (merchant_id, ref) keys; `IN (SELECT … json_each)`
      // built two temporary tables per call, 3–4× the time of the whole statement (README "Performance").
      const rows = stmt(
        `SELECT i.ref, SUM(i.amount) - COALESCE((SELECT SUM(ri.amount) FROM return_items ri
             JOIN returns r ON r.id = ri.return_id
             WHERE ri.merchant_id = i.merchant_id AND ri.ref = i.ref AND r.state IN ${COMPLETED_RETURN_STATES_SQL}), 0) AS paid,
           SUM(i.withheld) AS withheld, NULL AS reference, NULL AS hold_until
         FROM json_each(@refs) w CROSS JOIN checkout_items i ON i.merchant_id = @merchant AND i.ref = w.value
           JOIN checkouts c ON c.reference = i.reference
         WHERE c.status = 'approved'
         GROUP BY i.ref
         UNION ALL
         SELECT h.ref, NULL, NULL, h.reference, h.hold_until
         FROM json_each(@refs) w CROSS JOIN item_holds h ON h.merchant_id = @merchant AND h.ref = w.value
           JOIN checkouts c ON c.reference = h.reference
         WHERE h.hold_until > @now AND c.status = 'pending'`,
      ).all({ refs: JSON.stringify([...new Set(refs)]), merchant: merchantId, now: now.getTime() }) as {
        ref: string;
        paid: bigint | null;
        withheld: bigint | null;
        reference: string | null;
        hold_until: number | bigint | null;
      }[];
      for (const row of rows) {
        const state = states.get(row.ref)!;
        if (row.paid === null) {
          state.pending = true;
          if (row.reference !== null && row.hold_until !== null) {
            state.hold = { reference: row.reference, until: new Date(Number(row.hold_until)) };
          }
          continue;
        }
        state.paid = row.paid;
        if (row.withheld !== null && row.withheld !== 0n) state.withheld = row.withheld;
      }
      return states;
    },

    async applyConfirmation(input): Promise<ConfirmationResult> {
      return write((): ConfirmationResult => {
        const row = byReference(input.merchantId, input.reference);
        if (!row) return { kind: 'not_found' };
        const recorded = stmt(
          `INSERT INTO payu_transactions (transaction_id, reference, status, received_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (transaction_id) DO NOTHING`,
        ).run(input.transactionId, input.reference, input.status, input.now.getTime());
        const current = loadOne(row)!;
        if (recorded.changes === 0) return { kind: 'duplicate', checkout: current };
        // The write lock of BEGIN IMMEDIATE makes the status read above the one this decision is made on.
        const transition = paymentTransition(current.status, input.status);
        if (transition.kind === 'no_change') return { kind: 'final', checkout: current };

        stmt(
          `UPDATE checkouts SET status = ?, previous_status = status, updated_at = ?, payu_reference = ?, transaction_id = ?, payment_method = ?
           WHERE reference = ?`,
        ).run(
          transition.to,
          input.now.getTime(),
          input.payuReference,
          input.transactionId,
          input.paymentMethod ?? null,
          input.reference,
        );
        // Every status a confirmation can carry ends the pending state, so the items are free again.
        stmt('DELETE FROM item_holds WHERE reference = ?').run(input.reference);
        const updated = loadOne(byReference(input.merchantId, input.reference))!;

        const insertMessage = stmt(
          `INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const m of input.event(updated, transition.to)) {
          insertMessage.run(
            m.messageId,
            m.merchantId,
            m.url,
            m.body,
            input.now.getTime(),
            input.now.getTime(),
          );
        }
        insertNotificationsSqlite(stmt, input.notifications?.(updated, transition.to) ?? []);
        return { kind: 'applied', checkout: updated, previous: current.status };
      });
    },

    async extendHold(merchantId, reference, holdUntil) {
      write(() => {
        const until = holdUntil.getTime();
        const changed = stmt(
          `UPDATE checkouts SET hold_until = MAX(hold_until, ?)
           WHERE merchant_id = ? AND reference = ? AND status = 'pending'`,
        ).run(until, merchantId, reference);
        if (changed.changes === 0) return;
        stmt(
          'UPDATE item_holds SET hold_until = MAX(hold_until, ?) WHERE merchant_id = ? AND reference = ?',
        ).run(until, merchantId, reference);
      });
    },

    async releaseHold(merchantId, reference, now) {
      return write(() => {
        const at = now.getTime();
        const changed = stmt(
          `UPDATE checkouts SET hold_until = MIN(hold_until, ?)
           WHERE merchant_id = ? AND reference = ? AND status = 'pending'`,
        ).run(at, merchantId, reference);
        if (changed.changes === 0) return false;
        stmt(
          'UPDATE item_holds SET hold_until = MIN(hold_until, ?) WHERE merchant_id = ? AND reference = ?',
        ).run(at, merchantId, reference);
        return true;
      });
    },

    async listStalePending(now, limit) {
      const rows = stmt(
        `SELECT * FROM checkouts WHERE status = 'pending' AND hold_until < ? ORDER BY hold_until, reference LIMIT ?`,
      ).all(now.getTime(), limit) as CheckoutRow[];
      return withItems(rows);
    },

    async claimOutbox(now, limit, leaseMs) {
      return write(() => {
        const at = now.getTime();
        const rows = stmt(
          `SELECT id, message_id, merchant_id, url, body, attempts, created_at FROM outbox
           WHERE delivered_at IS NULL AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ?`,
        ).all(at, at, limit) as OutboxRow[];
        const lease = stmt('UPDATE outbox SET locked_until = ? WHERE id = ?');
        for (const row of rows) lease.run(at + leaseMs, row.id);
        return rows.map(toOutbox);
      });
    },

    async markDelivered(id, now) {
      write(() => {
        stmt(
          'UPDATE outbox SET delivered_at = ?, locked_until = NULL WHERE id = ? AND delivered_at IS NULL',
        ).run(now.getTime(), BigInt(id));
      });
    },

    async markFailed(id, nextAttemptAt, error) {
      write(() => {
        stmt(
          `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, locked_until = NULL
           WHERE id = ? AND delivered_at IS NULL`,
        ).run(nextAttemptAt.getTime(), boundedError(error), BigInt(id));
      });
    },

    async outboxBacklog() {
      const row = stmt('SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL').get() as { n: bigint };
      return Number(row.n);
    },
  };
}
