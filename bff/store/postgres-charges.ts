import type pg from 'pg';
import type { ChargeDetails } from '../../shared/charges/charge-input';
import type { ChargeStatus } from '../../shared/charges/charge-fields';
import type { Currency } from '../../shared/money';
import type { IsoDate } from '../../shared/dates';
import { chargeItemKey, type ChargeRecord, type ChargeStore, type ChargeTransition } from './charge-store';
import { boundedError } from './common';
import { insertNotificationsPg } from './postgres-notifications';
import type { NewOutboxMessage } from './store';

/**
 * The charge half of the PostgreSQL store (postgres-store.ts explains the engine). Several instances share it:
 * an idempotent create is a unique key, an update is a row lock plus a version check, and the time-driven
 * transitions take their rows FOR UPDATE SKIP LOCKED and change each only from the expected status.
 */

type Queryable = Pick<pg.PoolClient, 'query'>;

export interface ChargeRow {
  merchant_id: string;
  external_reference: string;
  link_id: string;
  process_id: string;
  status: string;
  currency: string;
  amount: string;
  payer_id_number: string | null;
  /** json columns come back as text (postgres-store.ts keeps their bytes). */
  details: string;
  idempotency_key: string | null;
  request_hash: string | null;
  version: number;
  reminder_due_on: string | null;
  created_at: Date;
  updated_at: Date;
}

export const toCharge = (row: ChargeRow): ChargeRecord => ({
  merchantId: row.merchant_id,
  externalReference: row.external_reference,
  linkId: row.link_id,
  processId: row.process_id,
  status: row.status as ChargeStatus,
  currency: row.currency as Currency,
  amount: BigInt(row.amount),
  details: JSON.parse(row.details) as ChargeDetails,
  payerIdNumber: row.payer_id_number,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  version: row.version,
  reminderDueOn: row.reminder_due_on as IsoDate | null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

async function writeEvents(db: Queryable, messages: readonly NewOutboxMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  await db.query(
    `INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at)
     SELECT t.message_id, t.merchant_id, t.url, t.body, $5::timestamptz, $5::timestamptz
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t (message_id, merchant_id, url, body, n)
     ORDER BY t.n`,
    [
      messages.map((m) => m.messageId),
      messages.map((m) => m.merchantId),
      messages.map((m) => m.url),
      messages.map((m) => m.body),
      now,
    ],
  );
}

/** The charge's unsent messages stop here (docs/spec/merchant-charges.md "Notifications"). */
async function withdraw(
  db: Queryable,
  merchantId: string,
  externalReference: string,
  reason: string | null,
  now: Date,
): Promise<void> {
  if (reason === null) return;
  await db.query(
    `UPDATE notifications SET status = 'failed', last_error = $3, locked_until = NULL, updated_at = $4
     WHERE merchant_id = $1 AND charge_id = $2 AND status IN ('queued', 'held')`,
    [merchantId, externalReference, boundedError(`withdrawn: ${reason}`), now],
  );
}

export function postgresChargeStore(
  pool: pg.Pool,
  transaction: <T>(fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
): ChargeStore {
  const transition = (input: ChargeTransition, due: string, to: ChargeStatus, from: ChargeStatus) =>
    transaction(async (client) => {
      const changed = await client.query<ChargeRow>(
        `UPDATE charges c SET status = $4, version = c.version + 1, updated_at = $5
         FROM (${due} FOR UPDATE SKIP LOCKED) d
         WHERE c.merchant_id = d.merchant_id AND c.external_reference = d.external_reference AND c.status = $6
         RETURNING c.*`,
        [input.merchantId, input.today, input.limit, to, input.now, from],
      );
      const out = changed.rows.map(toCharge);
      for (const charge of out) {
        await writeEvents(client, input.events(charge), input.now);
        await withdraw(
          client,
          charge.merchantId,
          charge.externalReference,
          input.withdrawNotifications,
          input.now,
        );
        await insertNotificationsPg(client, input.notifications(charge));
      }
      return out;
    });

  return {
    async createCharge(input) {
      return transaction(async (client) => {
        const s = input.state;
        const inserted = await client.query<ChargeRow>(
          `INSERT INTO charges (merchant_id, external_reference, link_id, process_id, status, currency, amount,
             payer_id_number, reminder_date, limit_date, expiration, details, idempotency_key, request_hash, version,
             reminder_due_on, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $16, $15, $15)
           ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
           RETURNING *`,
          [
            input.merchantId,
            input.externalReference,
            input.linkId,
            input.processId,
            s.status,
            s.currency,
            s.amount.toString(),
            input.payerIdNumber,
            s.details.reminder_date,
            s.details.limit_date,
            s.details.expiration,
            JSON.stringify(s.details),
            input.idempotencyKey,
            input.requestHash,
            input.now,
            input.reminderDueOn,
          ],
        );
        const row = inserted.rows[0];
        if (!row) {
          const prior = await client.query<ChargeRow>(
            'SELECT * FROM charges WHERE merchant_id = $1 AND idempotency_key = $2',
            [input.merchantId, input.idempotencyKey],
          );
          if (!prior.rows[0]) throw new Error('idempotency key conflict without a visible charge');
          return { kind: 'idempotent' as const, charge: toCharge(prior.rows[0]) };
        }
        const charge = toCharge(row);
        await writeEvents(client, input.events(charge), input.now);
        await insertNotificationsPg(client, input.notifications);
        return { kind: 'created' as const, charge };
      });
    },

    async getCharge(merchantId, externalReference) {
      const r = await pool.query<ChargeRow>(
        'SELECT * FROM charges WHERE merchant_id = $1 AND external_reference = $2',
        [merchantId, externalReference],
      );
      return r.rows[0] ? toCharge(r.rows[0]) : null;
    },

    async getChargeByLink(linkId) {
      const r = await pool.query<ChargeRow>('SELECT * FROM charges WHERE link_id = $1', [linkId]);
      return r.rows[0] ? toCharge(r.rows[0]) : null;
    },

    async findChargeByIdempotencyKey(merchantId, idempotencyKey) {
      const r = await pool.query<ChargeRow>(
        'SELECT * FROM charges WHERE merchant_id = $1 AND idempotency_key = $2',
        [merchantId, idempotencyKey],
      );
      return r.rows[0] ? toCharge(r.rows[0]) : null;
    },

    async updateCharge(input) {
      return transaction(async (client) => {
        const locked = await client.query<ChargeRow>(
          'SELECT * FROM charges WHERE merchant_id = $1 AND external_reference = $2 FOR UPDATE',
          [input.merchantId, input.externalReference],
        );
        const current = locked.rows[0];
        if (!current) return { kind: 'not_found' as const };
        if (current.version !== input.expectedVersion) return { kind: 'stale' as const };
        if (input.changesMoney) {
          const busy = await client.query(
            `SELECT 1 FROM checkout_items i JOIN checkouts c ON c.reference = i.reference
             WHERE i.merchant_id = $1 AND i.ref = $2
               AND (c.status = 'approved' OR (c.status = 'pending' AND c.hold_until > $3))
             LIMIT 1`,
            [input.merchantId, chargeItemKey(input.externalReference), input.now],
          );
          if ((busy.rowCount ?? 0) > 0) return { kind: 'has_payments' as const };
        }
        const s = input.state;
        const updated = await client.query<ChargeRow>(
          `UPDATE charges SET status = $3, currency = $4, amount = $5, payer_id_number = $6, reminder_date = $7,
             limit_date = $8, expiration = $9, details = $10, reminder_due_on = $12, version = version + 1,
             updated_at = $11
           WHERE merchant_id = $1 AND external_reference = $2 RETURNING *`,
          [
            input.merchantId,
            input.externalReference,
            s.status,
            s.currency,
            s.amount.toString(),
            input.payerIdNumber,
            s.details.reminder_date,
            s.details.limit_date,
            s.details.expiration,
            JSON.stringify(s.details),
            input.now,
            input.reminderDueOn,
          ],
        );
        const charge = toCharge(updated.rows[0]!);
        await writeEvents(client, input.events(charge), input.now);
        await withdraw(
          client,
          charge.merchantId,
          charge.externalReference,
          input.withdrawNotifications,
          input.now,
        );
        await insertNotificationsPg(client, input.notifications);
        return { kind: 'updated' as const, charge };
      });
    },

    async listCharges(merchantId, q) {
      const where = ['merchant_id = $1'];
      const args: unknown[] = [merchantId];
      const arg = (v: unknown) => {
        args.push(v);
        return `$${args.length}`;
      };
      if (q.status) where.push(`status = ${arg(q.status)}`);
      if (q.payerIdNumber) where.push(`payer_id_number = ${arg(q.payerIdNumber)}`);
      if (q.from) where.push(`created_at >= ${arg(q.from)}`);
      if (q.to) where.push(`created_at < ${arg(q.to)}`);
      if (q.after) {
        where.push(
          `(created_at, external_reference) < (${arg(q.after.createdAt)}, ${arg(q.after.externalReference)})`,
        );
      }
      const r = await pool.query<ChargeRow>(
        `SELECT * FROM charges WHERE ${where.join(' AND ')}
         ORDER BY created_at DESC, external_reference DESC LIMIT ${arg(q.limit)}`,
        args,
      );
      return r.rows.map(toCharge);
    },

    async chargesForPayer(merchantId, payerIdNumber) {
      // Every lookup asks it (beside the ERP call): a named statement is parsed and planned once per connection.
      const r = await pool.query<ChargeRow>({
        name: 'saldo.charges-for-payer',
        text: `SELECT * FROM charges WHERE merchant_id = $1 AND payer_id_number = $2 AND status <> 'created'
               ORDER BY created_at, external_reference`,
        values: [merchantId, payerIdNumber],
      });
      return r.rows.map(toCharge);
    },

    async activateDueCharges(input) {
      return transition(
        input,
        `SELECT merchant_id, external_reference FROM charges
         WHERE merchant_id = $1 AND status = 'scheduled' AND reminder_date <= $2
         ORDER BY reminder_date, external_reference LIMIT $3`,
        'pending',
        'scheduled',
      );
    },

    async expireDueCharges(input) {
      return transition(
        input,
        `SELECT merchant_id, external_reference FROM charges
         WHERE merchant_id = $1 AND status = 'pending' AND expiration AND limit_date < $2
         ORDER BY limit_date, external_reference LIMIT $3`,
        'expired',
        'pending',
      );
    },

    async chargesDueForReminders(merchantId, today, limit) {
      const r = await pool.query<ChargeRow>(
        `SELECT * FROM charges
         WHERE merchant_id = $1 AND reminder_due_on <= $2 AND status IN ('pending', 'unlimit')
         ORDER BY reminder_due_on, external_reference LIMIT $3`,
        [merchantId, today, limit],
      );
      return r.rows.map(toCharge);
    },

    async recordChargeReminders(step) {
      return transaction(async (client) => {
        // A concurrent step on the same charge waits for this row lock, then re-reads reminder_due_on and
        // finds it moved: 0 rows, nothing inserted.
        const moved = await client.query(
          `UPDATE charges SET reminder_due_on = $4
           WHERE merchant_id = $1 AND external_reference = $2 AND reminder_due_on = $3
             AND status IN ('pending', 'unlimit')`,
          [step.merchantId, step.externalReference, step.expectedDueOn, step.nextDueOn],
        );
        if ((moved.rowCount ?? 0) === 0) return false;
        await insertNotificationsPg(client, step.notifications);
        return true;
      });
    },

    async chargePayments(merchantId, externalReference) {
      const r = await pool.query<{
        reference: string;
        status: string;
        amount: string;
        created_at: Date;
        updated_at: Date;
      }>(
        `SELECT c.reference, c.status, i.amount::text AS amount, c.created_at, c.updated_at
         FROM checkout_items i JOIN checkouts c ON c.reference = i.reference
         WHERE i.merchant_id = $1 AND i.ref = $2 ORDER BY c.created_at, c.reference`,
        [merchantId, chargeItemKey(externalReference)],
      );
      return r.rows.map((row) => ({
        reference: row.reference,
        status: row.status,
        amount: BigInt(row.amount),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }));
    },
  };
}
