import pg from 'pg';
import type { PaymentStatus } from '../../shared/api/schemas';
import { boundedError, emptyItemStates, heldRefs, jsonOrNull, withholdingsToJson } from './common';
import { MIGRATIONS, SCHEMA_MIGRATIONS_SQL, pendingMigrations } from './migrations';
import { changesBy, isFinalStatus } from './payment-transition';
import { postgresNotificationStore } from './postgres-notifications';
import { createPostgresReturns } from './postgres-returns';
import { COMPLETED_RETURN_STATES_SQL } from './returns-rows';
import { toCheckoutWithItems, toOutbox, type CheckoutWithItemsRow, type OutboxRow } from './rows';
import type { CheckoutRecord, ConfirmationResult, CreateCheckoutResult, Store } from './store';
import { postgresChargeStore, toCharge, type ChargeRow } from './postgres-charges';
import { CHARGE_KEY_PREFIX, chargeItemKey, type ChargeRecord } from './charge-store';

/**
 * The shared engine: several BFF instances may use one database, so every invariant is a key, a row lock or
 * a guarded statement inside one transaction (READ COMMITTED):
 * - one checkout per idempotency key: INSERT … ON CONFLICT DO NOTHING on UNIQUE (merchant_id, idempotency_key);
 *   a concurrent insert of the same key waits for the first to commit and then sees its row;
 * - one live checkout per item: the (merchant_id, ref) key of item_holds, taken by an upsert that only
 *   replaces an expired or ended hold;
 * - one application per confirmation: the transaction_id key of payu_transactions, and the checkout row
 *   locked FOR UPDATE so state changes of one reference are serialised;
 * - one sender per outbox message at a time: FOR UPDATE SKIP LOCKED plus a locked_until lease.
 * int8 arrives from pg as text and is converted with BigInt, never through Number.
 */

export interface PostgresStoreOptions {
  /** A schema of its own (created by migrate when missing); tests use one per file. */
  readonly schema?: string;
  /** Pool size; the default suits one BFF instance. */
  readonly max?: number;
  /**
   * Errors of idle pooled connections (a server restart, a network cut). The pool discards such a connection
   * by itself; without a listener the 'error' event would crash the process.
   */
  readonly onError?: (error: Error) => void;
}

/** The columns of a checkout that a confirmation changes (or, hold_until, that may have moved since a read). */
interface ChangeableColumns {
  status: string;
  updated_at: Date;
  hold_until: Date;
  payu_reference: string | null;
  transaction_id: string | null;
  payment_method: string | null;
}

/** A checkout read earlier with these columns as they are now; every other column never changes. */
function withChanges(read: CheckoutRecord, row: ChangeableColumns): CheckoutRecord {
  const changed: CheckoutRecord = {
    ...read,
    status: row.status as PaymentStatus,
    updatedAt: row.updated_at,
    holdUntil: row.hold_until,
    payuReference: row.payu_reference,
    transactionId: row.transaction_id,
  };
  // Absent, not undefined, when unknown: the shape rows.ts toCheckout gives.
  if (row.payment_method !== null) return { ...changed, paymentMethod: row.payment_method };
  if (!('paymentMethod' in changed)) return changed;
  return Object.fromEntries(Object.entries(changed).filter(([k]) => k !== 'paymentMethod')) as CheckoutRecord;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/** pg's type id of `json`. */
const JSON_OID = 114;
const rawText = (value: string): string => value;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The columns of a checkout with its items (rows.ts CheckoutWithItemsRow), from `checkouts c`. */
const CHECKOUT_WITH_ITEMS_COLUMNS = `c.*, (
    SELECT json_agg(json_build_array(i.ref, i.description, i.amount::text, i.metadata::text, i.webhook_url,
                                      i.due_total::text, i.withheld::text, i.withholdings::text)
                    ORDER BY i.position)
    FROM checkout_items i WHERE i.reference = c.reference
  )::text AS items`;
/** A checkout with its items in one statement; callers add the WHERE. */
const CHECKOUT_WITH_ITEMS = `SELECT ${CHECKOUT_WITH_ITEMS_COLUMNS} FROM checkouts c`;
/** The checkout a confirmation names ($1, $2) and whether its transaction id ($3) is already recorded. */
const CONFIRMATION_TARGET = `SELECT ${CHECKOUT_WITH_ITEMS_COLUMNS},
    EXISTS (SELECT 1 FROM payu_transactions t WHERE t.transaction_id = $3) AS recorded
  FROM checkouts c WHERE c.merchant_id = $1 AND c.reference = $2`;
const BY_REFERENCE = {
  name: 'saldo.checkout-by-reference',
  where: 'c.merchant_id = $1 AND c.reference = $2',
};
const BY_RECEIPT_TOKEN = { name: 'saldo.checkout-by-receipt-token', where: 'c.receipt_token = $1' };
const BY_KEY = { name: 'saldo.checkout-by-key', where: 'c.merchant_id = $1 AND c.idempotency_key = $2' };

/**
 * A confirmation in one statement, so in one round trip and one implicit transaction:
 * - tx: the transaction id is inserted first. A duplicate stops here: it conflicts with the committed row
 *   (or waits for its twin's commit), takes no row lock and writes nothing.
 * - changed: only for a new transaction id, the checkout moves if its status is one the reported status
 *   changes ($7, from payment-transition.ts). Under READ COMMITTED an UPDATE that meets a row changed by a
 *   concurrent transaction waits for it and re-checks its WHERE on the latest version, so the decision is
 *   made on the latest committed status, and `previous_status = c.status` records the status it replaced.
 *   A row whose status is not in $7 is left alone and the transaction is recorded as no change ('final').
 *   One lock request on the row per statement: locking it first (SELECT … FOR UPDATE) and updating it
 *   after deadlocked with concurrent confirmations of the same checkout.
 * - freed, events: the end of the change's holds and the merchant event ($9–$12,
 *   built from the checkout as it will be), all or nothing with the transaction id.
 * The answer is the columns a confirmation can change (the rest of a checkout never changes after it is
 * created): of the changed row with its previous status; for a recorded no-change, of the row as of the
 * statement's start; for a duplicate, nothing.
 */
const APPLY_CONFIRMATION = `
  WITH tx AS (
    INSERT INTO payu_transactions (transaction_id, reference, status, received_at)
    VALUES ($3, $2, $4, $5)
    ON CONFLICT (transaction_id) DO NOTHING
    RETURNING reference
  ), changed AS (
    UPDATE checkouts c SET status = $8, previous_status = c.status, updated_at = $5, payu_reference = $6,
      transaction_id = $3, payment_method = $13
    WHERE c.merchant_id = $1 AND c.reference = $2 AND c.status = ANY ($7::text[]) AND EXISTS (SELECT 1 FROM tx)
    RETURNING c.reference, c.previous_status AS previous, c.status, c.updated_at, c.hold_until, c.payu_reference,
      c.transaction_id, c.payment_method
  ), freed AS (
    DELETE FROM item_holds h USING changed WHERE h.reference = changed.reference
  ), events AS (
    INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at)
    SELECT t.message_id, t.merchant_id, t.url, t.body, $5, $5
    FROM unnest($9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY
      AS t (message_id, merchant_id, url, body, n)
    WHERE EXISTS (SELECT 1 FROM changed)
    ORDER BY t.n
  ), notes AS (
    INSERT INTO notifications (merchant_id, dedupe_key, kind, channel, recipient, payer_key, charge_id, content,
      status, next_attempt_at, created_at, updated_at)
    SELECT t.merchant_id, t.dedupe_key, t.kind, t.channel, t.recipient, t.payer_key, t.charge_id, t.content,
      'queued', GREATEST(t.not_before, $5), $5, $5
    FROM unnest($14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[],
      $21::text[], $22::timestamptz[])
      AS t (merchant_id, dedupe_key, kind, channel, recipient, payer_key, charge_id, content, not_before)
    WHERE EXISTS (SELECT 1 FROM changed)
    ON CONFLICT (merchant_id, dedupe_key) DO NOTHING
  )
  SELECT previous, status, updated_at, hold_until, payu_reference, transaction_id, payment_method FROM changed
  UNION ALL
  SELECT NULL, c.status, c.updated_at, c.hold_until, c.payu_reference, c.transaction_id, c.payment_method
  FROM checkouts c
  WHERE c.merchant_id = $1 AND c.reference = $2 AND EXISTS (SELECT 1 FROM tx) AND NOT EXISTS (SELECT 1 FROM changed)`;

/** Thrown inside a transaction to roll it back and still answer with a value. */
class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Item states of the refs in `wanted(ref)` for merchant $1 as of $3 (both engines read the same: docs/spec/
 * money-back.md): what was paid per item net of completed returns (returned money makes an item payable again)
 * and, in rows whose `paid` is NULL, live holds.
 */
const ITEM_STATES_SQL = `SELECT i.ref, (SUM(i.amount) - COALESCE((SELECT SUM(ri.amount) FROM return_items ri
       JOIN returns r ON r.id = ri.return_id
       WHERE ri.merchant_id = i.merchant_id AND ri.ref = i.ref AND r.state IN ${COMPLETED_RETURN_STATES_SQL}), 0))::text AS paid,
     SUM(i.withheld)::text AS withheld, NULL AS reference, NULL::timestamptz AS hold_until
   FROM checkout_items i JOIN checkouts c ON c.reference = i.reference
   WHERE i.merchant_id = $1 AND i.ref IN (SELECT ref FROM wanted) AND c.status = 'approved'
   GROUP BY i.merchant_id, i.ref
   UNION ALL
   SELECT h.ref, NULL, NULL, h.reference, h.hold_until FROM item_holds h JOIN checkouts c ON c.reference = h.reference
   WHERE h.merchant_id = $1 AND h.ref IN (SELECT ref FROM wanted) AND h.hold_until > $3 AND c.status = 'pending'`;

interface StateRow {
  ref: string;
  paid: string | null;
  withheld: string | null;
  reference: string | null;
  hold_until: Date | null;
}

/** ITEM_STATES_SQL's rows aggregated into one array per column (NULL when there is no row). */
interface StateArrays {
  st_ref: string[] | null;
  st_paid: (string | null)[] | null;
  st_withheld: (string | null)[] | null;
  st_reference: (string | null)[] | null;
  st_hold_until: (Date | null)[] | null;
}

function addState(states: ReturnType<typeof emptyItemStates>, row: StateRow): void {
  const state = states.get(row.ref);
  if (state === undefined) return;
  if (row.paid === null) {
    state.pending = true;
    if (row.reference !== null && row.hold_until !== null) {
      state.hold = { reference: row.reference, until: new Date(row.hold_until) };
    }
    return;
  }
  state.paid = BigInt(row.paid);
  if (row.withheld !== null && BigInt(row.withheld) !== 0n) state.withheld = BigInt(row.withheld);
}

export function createPostgresStore(url: string, options: PostgresStoreOptions = {}): Store {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // The schema is fixed per connection at start-up, so no query can ever run against another one.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    // json columns stay text: rows.ts parses them, the same way for both engines.
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === JSON_OID ? rawText : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  pool.on('error', (error) => options.onError?.(error));

  const transaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      client.release();
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        // The connection is in an unknown state: destroy it rather than hand it to the next caller.
        client.release(rollbackError instanceof Error ? rollbackError : true);
      }
      if (error instanceof Rollback) return error.value as T;
      throw error;
    }
  };

  /** One checkout with its items, or null: one round trip. */
  const readCheckout = async (
    db: Queryable,
    query: { name: string; where: string },
    values: unknown[],
  ): Promise<CheckoutRecord | null> => {
    const result = await db.query<CheckoutWithItemsRow>({
      name: query.name,
      text: `${CHECKOUT_WITH_ITEMS} WHERE ${query.where}`,
      values,
    });
    const row = result.rows[0];
    return row === undefined ? null : toCheckoutWithItems(row);
  };

  return {
    engine: 'postgres',
    ...createPostgresReturns({ pool, transaction }),
    ...postgresNotificationStore(pool, transaction),
    ...postgresChargeStore(pool, transaction),

    async migrate() {
      await transaction(async (client) => {
        // Instances starting together queue here; the lock ends with the transaction. One lock per schema,
        // so test files migrating their own schemas do not wait for each other.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('saldo.migrate:' || $1))`, [schema ?? '']);
        if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(SCHEMA_MIGRATIONS_SQL.postgres);
        const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        for (const m of pendingMigrations(new Set(applied.rows.map((r) => r.version)), MIGRATIONS)) {
          await client.query(m.postgres);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            m.version,
            m.name,
          ]);
        }
      });
    },

    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      await pool.end();
    },

    async createCheckout(input): Promise<CreateCheckoutResult> {
      return transaction(async (client): Promise<CreateCheckoutResult> => {
        const inserted = await client.query(
          `INSERT INTO checkouts (reference, merchant_id, idempotency_key, request_hash, status, currency, amount,
             action, fields, comment, delivery_address, created_at, updated_at, hold_until, payer_hash, receipt_token)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14)
           ON CONFLICT (merchant_id, idempotency_key) DO NOTHING`,
          [
            input.reference,
            input.merchantId,
            input.idempotencyKey,
            input.requestHash,
            input.currency,
            input.amount.toString(),
            input.action,
            JSON.stringify(input.fields),
            input.comment,
            jsonOrNull(input.deliveryAddress),
            input.now,
            input.holdUntil,
            input.payerHash ?? null,
            input.receiptToken ?? null,
          ],
        );
        if (inserted.rowCount === 0) {
          const checkout = await readCheckout(client, BY_KEY, [input.merchantId, input.idempotencyKey]);
          // ON CONFLICT DO NOTHING only skips a committed conflicting row, which a later statement sees.
          if (!checkout) throw new Error('idempotency key conflict without a visible checkout');
          return { kind: 'idempotent', checkout };
        }

        if (input.items.length > 0) {
          await client.query(
            `INSERT INTO checkout_items (reference, position, merchant_id, ref, description, amount, metadata, webhook_url,
               due_total, withheld, withholdings)
             SELECT $1::text, t.position - 1, $2::text, t.ref, t.description, t.amount, t.metadata, t.webhook_url,
               t.due_total, t.withheld, t.withholdings
             FROM unnest($3::text[], $4::text[], $5::bigint[], $6::json[], $7::text[], $8::bigint[], $9::bigint[], $10::json[])
               WITH ORDINALITY AS t (ref, description, amount, metadata, webhook_url, due_total, withheld, withholdings, position)`,
            [
              input.reference,
              input.merchantId,
              input.items.map((i) => i.ref),
              input.items.map((i) => i.description),
              input.items.map((i) => i.amount.toString()),
              input.items.map((i) => jsonOrNull(i.metadata)),
              input.items.map((i) => i.webhookUrl),
              input.items.map((i) =>
                i.dueTotal === undefined || i.dueTotal === null ? null : i.dueTotal.toString(),
              ),
              input.items.map((i) => (i.withheld ?? 0n).toString()),
              input.items.map((i) => withholdingsToJson(i.withholdings)),
            ],
          );
        }

        // One statement per ref, in sorted order, so concurrent checkouts lock hold rows in the same order.
        // A conflicting row is taken over only when its hold has passed. The test reads the hold row alone,
        // which ON CONFLICT sees at its latest committed version; a subquery on checkouts here would read the
        // statement's older snapshot and could miss a checkout committed meanwhile, stealing its live hold.
        // Holds of ended checkouts need no test: they are deleted in the transaction that ends the checkout.
        const blocked: string[] = [];
        for (const ref of heldRefs(input.items)) {
          const took = await client.query(
            `INSERT INTO item_holds (merchant_id, ref, reference, hold_until) VALUES ($1, $2, $3, $4)
             ON CONFLICT (merchant_id, ref) DO UPDATE SET reference = EXCLUDED.reference, hold_until = EXCLUDED.hold_until
             WHERE item_holds.hold_until <= $5`,
            [input.merchantId, ref, input.reference, input.holdUntil, input.now],
          );
          if (took.rowCount === 0) blocked.push(ref);
        }
        // All or nothing: the checkout, its items and the holds already taken go away with the rollback.
        if (blocked.length > 0) throw new Rollback<CreateCheckoutResult>({ kind: 'pending', refs: blocked });

        const created = await readCheckout(client, BY_REFERENCE, [input.merchantId, input.reference]);
        return { kind: 'created', checkout: created! };
      });
    },

    async getCheckout(merchantId, reference) {
      return readCheckout(pool, BY_REFERENCE, [merchantId, reference]);
    },

    async getCheckoutForConfirmation(merchantId, reference, transactionId) {
      const result = await pool.query<CheckoutWithItemsRow & { recorded: boolean }>({
        name: 'saldo.confirmation-target',
        text: CONFIRMATION_TARGET,
        values: [merchantId, reference, transactionId],
      });
      const row = result.rows[0];
      return row === undefined ? null : { checkout: toCheckoutWithItems(row), recorded: row.recorded };
    },

    async findByIdempotencyKey(merchantId, idempotencyKey) {
      return readCheckout(pool, BY_KEY, [merchantId, idempotencyKey]);
    },

    async getCheckoutByReceiptToken(token) {
      return readCheckout(pool, BY_RECEIPT_TOKEN, [token]);
    },

    async itemStates(merchantId, refs, now) {
      const states = emptyItemStates(refs);
      if (refs.length === 0) return states;
      // One round trip (a lookup pays it on every request).
      const rows = await pool.query<StateRow>({
        name: 'saldo.item-states',
        text: `WITH wanted(ref) AS (SELECT unnest($2::text[])) ${ITEM_STATES_SQL}`,
        values: [merchantId, [...new Set(refs)], now],
      });
      for (const row of rows.rows) addState(states, row);
      return states;
    },

    async payerItemStates(merchantId, payerIdNumber, refs, now) {
      // The payer's charges and the states of the asked refs and of those charges' keys, in one statement:
      // one row per charge, each carrying the states as arrays (one row with no charge when there is none).
      const result = await pool.query<ChargeRow & StateArrays>({
        name: 'saldo.payer-item-states',
        text: `WITH ch AS (SELECT * FROM charges
                 WHERE merchant_id = $1 AND payer_id_number = $4 AND status <> 'created'),
               wanted(ref) AS (SELECT unnest($2::text[]) UNION SELECT $5 || external_reference FROM ch),
               st AS (${ITEM_STATES_SQL}),
               agg AS (SELECT array_agg(ref) AS st_ref, array_agg(paid) AS st_paid,
                         array_agg(withheld) AS st_withheld, array_agg(reference) AS st_reference,
                         array_agg(hold_until) AS st_hold_until FROM st)
             SELECT agg.*, ch.* FROM agg LEFT JOIN ch ON true
             ORDER BY ch.created_at, ch.external_reference`,
        values: [merchantId, [...new Set(refs)], now, payerIdNumber, CHARGE_KEY_PREFIX],
      });
      const charges: ChargeRecord[] = [];
      for (const row of result.rows) if (row.merchant_id !== null) charges.push(toCharge(row));
      const states = emptyItemStates([
        ...refs,
        ...charges.map((charge) => chargeItemKey(charge.externalReference)),
      ]);
      const first = result.rows[0];
      const asked = first?.st_ref ?? [];
      for (let i = 0; i < asked.length; i++) {
        addState(states, {
          ref: asked[i]!,
          paid: first!.st_paid![i] ?? null,
          withheld: first!.st_withheld![i] ?? null,
          reference: first!.st_reference![i] ?? null,
          hold_until: first!.st_hold_until![i] ?? null,
        });
      }
      return { charges, states };
    },

    async applyConfirmation(input): Promise<ConfirmationResult> {
      const given = input.checkout;
      const read =
        given && given.merchantId === input.merchantId && given.reference === input.reference
          ? given
          : await readCheckout(pool, BY_REFERENCE, [input.merchantId, input.reference]);
      if (!read) return { kind: 'not_found' };
      // The read may be stale; the statement decides on the committed state. Only a final state cannot have
      // moved since, so only then is the merchant event surely not needed.
      const { from, to } = changesBy(input.status);
      const mayChange = !isFinalStatus(read.status);
      const paymentMethod = input.paymentMethod ?? null;
      const changedCheckout = withChanges(read, {
        status: to,
        updated_at: input.now,
        hold_until: read.holdUntil,
        payu_reference: input.payuReference,
        transaction_id: input.transactionId,
        payment_method: paymentMethod,
      });
      const messages = mayChange ? input.event(changedCheckout, to) : [];
      // Written by the same statement, and only if it changes the state (like the events).
      const notes = mayChange ? (input.notifications?.(changedCheckout, to) ?? []) : [];
      const result = await pool.query<ChangeableColumns & { previous: string | null }>({
        name: 'saldo.apply-confirmation',
        text: APPLY_CONFIRMATION,
        values: [
          input.merchantId,
          input.reference,
          input.transactionId,
          input.status,
          input.now,
          input.payuReference,
          mayChange ? from : [],
          to,
          messages.map((m) => m.messageId),
          messages.map((m) => m.merchantId),
          messages.map((m) => m.url),
          messages.map((m) => m.body),
          paymentMethod,
          notes.map((n) => n.merchantId),
          notes.map((n) => n.dedupeKey),
          notes.map((n) => n.kind),
          notes.map((n) => n.channel),
          notes.map((n) => n.recipient),
          notes.map((n) => n.payerKey),
          notes.map((n) => n.chargeId),
          notes.map((n) => n.content),
          notes.map((n) => n.notBefore),
        ],
      });
      const row = result.rows[0];
      if (!row) return { kind: 'duplicate', checkout: read };
      const checkout = withChanges(read, row);
      if (row.previous === null) return { kind: 'final', checkout };
      return { kind: 'applied', checkout, previous: row.previous as PaymentStatus };
    },

    async extendHold(merchantId, reference, holdUntil) {
      await transaction(async (client) => {
        const changed = await client.query(
          `UPDATE checkouts SET hold_until = GREATEST(hold_until, $3)
           WHERE merchant_id = $1 AND reference = $2 AND status = 'pending'`,
          [merchantId, reference, holdUntil],
        );
        if (changed.rowCount === 0) return;
        await client.query(
          'UPDATE item_holds SET hold_until = GREATEST(hold_until, $3) WHERE merchant_id = $1 AND reference = $2',
          [merchantId, reference, holdUntil],
        );
      });
    },

    async releaseHold(merchantId, reference, now) {
      return transaction(async (client) => {
        const changed = await client.query(
          `UPDATE checkouts SET hold_until = LEAST(hold_until, $3)
           WHERE merchant_id = $1 AND reference = $2 AND status = 'pending'`,
          [merchantId, reference, now],
        );
        if (changed.rowCount === 0) return false;
        await client.query(
          'UPDATE item_holds SET hold_until = LEAST(hold_until, $3) WHERE merchant_id = $1 AND reference = $2',
          [merchantId, reference, now],
        );
        return true;
      });
    },

    async listStalePending(now, limit) {
      const rows = await pool.query<CheckoutWithItemsRow>(
        `${CHECKOUT_WITH_ITEMS} WHERE c.status = 'pending' AND c.hold_until < $1
         ORDER BY c.hold_until, c.reference LIMIT $2`,
        [now, limit],
      );
      return rows.rows.map(toCheckoutWithItems);
    },

    async claimOutbox(now, limit, leaseMs) {
      const claimed = await pool.query<OutboxRow>(
        `UPDATE outbox o SET locked_until = $2
         FROM (
           SELECT id FROM outbox
           WHERE delivered_at IS NULL AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
           ORDER BY next_attempt_at, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED
         ) due
         WHERE o.id = due.id
         RETURNING o.id::text AS id, o.message_id, o.merchant_id, o.url, o.body, o.attempts, o.created_at,
           o.next_attempt_at`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      // RETURNING does not keep the subquery's order.
      const rows = claimed.rows as (OutboxRow & { next_attempt_at: Date })[];
      rows.sort(
        (a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime() || compareIds(a.id, b.id),
      );
      return rows.map(toOutbox);
    },

    async markDelivered(id, now) {
      await pool.query(
        'UPDATE outbox SET delivered_at = $2, locked_until = NULL WHERE id = $1 AND delivered_at IS NULL',
        [id, now],
      );
    },

    async markFailed(id, nextAttemptAt, error) {
      await pool.query(
        `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, locked_until = NULL
         WHERE id = $1 AND delivered_at IS NULL`,
        [id, nextAttemptAt, boundedError(error)],
      );
    },

    async outboxBacklog() {
      const result = await pool.query<{ n: number }>(
        'SELECT COUNT(*)::integer AS n FROM outbox WHERE delivered_at IS NULL',
      );
      return result.rows[0]?.n ?? 0;
    },
  };
}

function compareIds(a: OutboxRow['id'], b: OutboxRow['id']): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
