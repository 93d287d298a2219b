import type Database from 'better-sqlite3';
import type { ChargeDetails } from '../../shared/charges/charge-input';
import type { ChargeStatus } from '../../shared/charges/charge-fields';
import type { Currency } from '../../shared/money';
import type { IsoDate } from '../../shared/dates';
import { chargeItemKey, type ChargeRecord, type ChargeStore, type ChargeTransition } from './charge-store';
import { boundedError } from './common';
import { insertNotificationsSqlite, insertOutboxSqlite } from './sqlite-notifications';
import type { NewOutboxMessage } from './store';

/** The charge half of the SQLite store (sqlite-store.ts explains the engine: BEGIN IMMEDIATE, safe integers). */

interface ChargeRow {
  merchant_id: string;
  external_reference: string;
  link_id: string;
  process_id: string;
  status: string;
  currency: string;
  amount: bigint;
  payer_id_number: string | null;
  details: string;
  idempotency_key: string | null;
  request_hash: string | null;
  version: bigint;
  reminder_due_on: string | null;
  created_at: bigint;
  updated_at: bigint;
}

const toCharge = (row: ChargeRow): ChargeRecord => ({
  merchantId: row.merchant_id,
  externalReference: row.external_reference,
  linkId: row.link_id,
  processId: row.process_id,
  status: row.status as ChargeStatus,
  currency: row.currency as Currency,
  amount: row.amount,
  details: JSON.parse(row.details) as ChargeDetails,
  payerIdNumber: row.payer_id_number,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  version: Number(row.version),
  reminderDueOn: row.reminder_due_on as IsoDate | null,
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
});

/** ChargeRow's columns in a fixed order, for rows read as arrays. */
const CHARGE_COLUMNS = [
  'merchant_id',
  'external_reference',
  'link_id',
  'process_id',
  'status',
  'currency',
  'amount',
  'payer_id_number',
  'details',
  'idempotency_key',
  'request_hash',
  'version',
  'reminder_due_on',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ChargeRow)[];

/**
 * A row read as an array (better-sqlite3's `raw` mode) → ChargeRow. Every lookup of a payer with charges reads
 * them: building each row object in JavaScript costs about half of letting the driver build it key by key.
 */
const rowOf = (r: readonly unknown[]): ChargeRow => ({
  merchant_id: r[0] as string,
  external_reference: r[1] as string,
  link_id: r[2] as string,
  process_id: r[3] as string,
  status: r[4] as string,
  currency: r[5] as string,
  amount: r[6] as bigint,
  payer_id_number: r[7] as string | null,
  details: r[8] as string,
  idempotency_key: r[9] as string | null,
  request_hash: r[10] as string | null,
  version: r[11] as bigint,
  reminder_due_on: r[12] as string | null,
  created_at: r[13] as bigint,
  updated_at: r[14] as bigint,
});

/** A payer's charges for the lookup: one range of the charges_payer index (migration 12), no sort. */
export const PAYER_CHARGES_SQL = `SELECT ${CHARGE_COLUMNS.join(', ')} FROM charges
         WHERE merchant_id = ? AND payer_id_number = ? AND status <> 'created'
         ORDER BY created_at, external_reference`;

export function sqliteChargeStore(
  stmt: (sql: string) => Database.Statement,
  write: <T>(fn: () => T) => T,
): ChargeStore {
  const one = (merchantId: string, externalReference: string): ChargeRecord | null => {
    const row = stmt('SELECT * FROM charges WHERE merchant_id = ? AND external_reference = ?').get(
      merchantId,
      externalReference,
    ) as ChargeRow | undefined;
    return row ? toCharge(row) : null;
  };

  const writeEvents = (messages: readonly NewOutboxMessage[], now: Date): void =>
    insertOutboxSqlite(stmt, messages, now);

  /** The charge's unsent messages stop here (docs/spec/merchant-charges.md "Notifications"). */
  const withdraw = (
    merchantId: string,
    externalReference: string,
    reason: string | null,
    now: Date,
  ): void => {
    if (reason === null) return;
    stmt(
      `UPDATE notifications SET status = 'failed', last_error = ?, locked_until = NULL, updated_at = ?
       WHERE merchant_id = ? AND charge_id = ? AND status IN ('queued', 'held')`,
    ).run(boundedError(`withdrawn: ${reason}`), now.getTime(), merchantId, externalReference);
  };

  const transition = (
    input: ChargeTransition,
    select: string,
    to: ChargeStatus,
    from: ChargeStatus,
  ): ChargeRecord[] =>
    write(() => {
      const rows = stmt(select).all(input.merchantId, input.today, input.limit) as ChargeRow[];
      const out: ChargeRecord[] = [];
      const update = stmt(
        `UPDATE charges SET status = ?, version = version + 1, updated_at = ?
         WHERE merchant_id = ? AND external_reference = ? AND status = ?`,
      );
      for (const row of rows) {
        const changed = update.run(to, input.now.getTime(), row.merchant_id, row.external_reference, from);
        if (changed.changes === 0) continue;
        const charge = one(row.merchant_id, row.external_reference)!;
        writeEvents(input.events(charge), input.now);
        withdraw(charge.merchantId, charge.externalReference, input.withdrawNotifications, input.now);
        insertNotificationsSqlite(stmt, input.notifications(charge));
        out.push(charge);
      }
      return out;
    });

  return {
    async createCharge(input) {
      return write(() => {
        if (input.idempotencyKey !== null) {
          const prior = stmt('SELECT * FROM charges WHERE merchant_id = ? AND idempotency_key = ?').get(
            input.merchantId,
            input.idempotencyKey,
          ) as ChargeRow | undefined;
          if (prior) return { kind: 'idempotent' as const, charge: toCharge(prior) };
        }
        const s = input.state;
        stmt(
          `INSERT INTO charges (merchant_id, external_reference, link_id, process_id, status, currency, amount,
             payer_id_number, reminder_date, limit_date, expiration, details, idempotency_key, request_hash, version,
             reminder_due_on, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
        ).run(
          input.merchantId,
          input.externalReference,
          input.linkId,
          input.processId,
          s.status,
          s.currency,
          s.amount,
          input.payerIdNumber,
          s.details.reminder_date,
          s.details.limit_date,
          s.details.expiration ? 1 : 0,
          JSON.stringify(s.details),
          input.idempotencyKey,
          input.requestHash,
          input.reminderDueOn,
          input.now.getTime(),
          input.now.getTime(),
        );
        const charge = one(input.merchantId, input.externalReference)!;
        writeEvents(input.events(charge), input.now);
        insertNotificationsSqlite(stmt, input.notifications);
        return { kind: 'created' as const, charge };
      });
    },

    async getCharge(merchantId, externalReference) {
      return one(merchantId, externalReference);
    },

    async getChargeByLink(linkId) {
      const row = stmt('SELECT * FROM charges WHERE link_id = ?').get(linkId) as ChargeRow | undefined;
      return row ? toCharge(row) : null;
    },

    async findChargeByIdempotencyKey(merchantId, idempotencyKey) {
      const row = stmt('SELECT * FROM charges WHERE merchant_id = ? AND idempotency_key = ?').get(
        merchantId,
        idempotencyKey,
      ) as ChargeRow | undefined;
      return row ? toCharge(row) : null;
    },

    async updateCharge(input) {
      return write(() => {
        const current = one(input.merchantId, input.externalReference);
        if (!current) return { kind: 'not_found' as const };
        if (current.version !== input.expectedVersion) return { kind: 'stale' as const };
        if (input.changesMoney) {
          const busy = stmt(
            `SELECT 1 FROM checkout_items i JOIN checkouts c ON c.reference = i.reference
             WHERE i.merchant_id = ? AND i.ref = ?
               AND (c.status = 'approved' OR (c.status = 'pending' AND c.hold_until > ?))
             LIMIT 1`,
          ).get(input.merchantId, chargeItemKey(input.externalReference), input.now.getTime());
          if (busy) return { kind: 'has_payments' as const };
        }
        const s = input.state;
        stmt(
          `UPDATE charges SET status = ?, currency = ?, amount = ?, payer_id_number = ?, reminder_date = ?,
             limit_date = ?, expiration = ?, details = ?, reminder_due_on = ?, version = version + 1, updated_at = ?
           WHERE merchant_id = ? AND external_reference = ?`,
        ).run(
          s.status,
          s.currency,
          s.amount,
          input.payerIdNumber,
          s.details.reminder_date,
          s.details.limit_date,
          s.details.expiration ? 1 : 0,
          JSON.stringify(s.details),
          input.reminderDueOn,
          input.now.getTime(),
          input.merchantId,
          input.externalReference,
        );
        const charge = one(input.merchantId, input.externalReference)!;
        writeEvents(input.events(charge), input.now);
        withdraw(charge.merchantId, charge.externalReference, input.withdrawNotifications, input.now);
        insertNotificationsSqlite(stmt, input.notifications);
        return { kind: 'updated' as const, charge };
      });
    },

    async listCharges(merchantId, q) {
      const where = ['merchant_id = ?'];
      const args: unknown[] = [merchantId];
      if (q.status) {
        where.push('status = ?');
        args.push(q.status);
      }
      if (q.payerIdNumber) {
        where.push('payer_id_number = ?');
        args.push(q.payerIdNumber);
      }
      if (q.from) {
        where.push('created_at >= ?');
        args.push(q.from.getTime());
      }
      if (q.to) {
        where.push('created_at < ?');
        args.push(q.to.getTime());
      }
      if (q.after) {
        where.push('(created_at < ? OR (created_at = ? AND external_reference < ?))');
        args.push(q.after.createdAt.getTime(), q.after.createdAt.getTime(), q.after.externalReference);
      }
      const rows = stmt(
        `SELECT * FROM charges WHERE ${where.join(' AND ')}
         ORDER BY created_at DESC, external_reference DESC LIMIT ?`,
      ).all(...args, q.limit) as ChargeRow[];
      return rows.map(toCharge);
    },

    async chargesForPayer(merchantId, payerIdNumber) {
      const rows = stmt(PAYER_CHARGES_SQL).raw(true).all(merchantId, payerIdNumber) as unknown[][];
      return rows.map((r) => toCharge(rowOf(r)));
    },

    async activateDueCharges(input) {
      return transition(
        input,
        `SELECT * FROM charges WHERE merchant_id = ? AND status = 'scheduled' AND reminder_date <= ?
         ORDER BY reminder_date, external_reference LIMIT ?`,
        'pending',
        'scheduled',
      );
    },

    async expireDueCharges(input) {
      return transition(
        input,
        `SELECT * FROM charges WHERE merchant_id = ? AND status = 'pending' AND expiration = 1 AND limit_date < ?
         ORDER BY limit_date, external_reference LIMIT ?`,
        'expired',
        'pending',
      );
    },

    async chargesDueForReminders(merchantId, today, limit) {
      const rows = stmt(
        `SELECT * FROM charges
         WHERE merchant_id = ? AND reminder_due_on <= ? AND status IN ('pending', 'unlimit')
         ORDER BY reminder_due_on, external_reference LIMIT ?`,
      ).all(merchantId, today, limit) as ChargeRow[];
      return rows.map(toCharge);
    },

    async recordChargeReminders(step) {
      return write(() => {
        const moved = stmt(
          `UPDATE charges SET reminder_due_on = ?
           WHERE merchant_id = ? AND external_reference = ? AND reminder_due_on = ?
             AND status IN ('pending', 'unlimit')`,
        ).run(step.nextDueOn, step.merchantId, step.externalReference, step.expectedDueOn);
        if (moved.changes === 0) return false;
        insertNotificationsSqlite(stmt, step.notifications);
        return true;
      });
    },

    async chargePayments(merchantId, externalReference) {
      const rows = stmt(
        `SELECT c.reference, c.status, i.amount, c.created_at, c.updated_at
         FROM checkout_items i JOIN checkouts c ON c.reference = i.reference
         WHERE i.merchant_id = ? AND i.ref = ? ORDER BY c.created_at, c.reference`,
      ).all(merchantId, chargeItemKey(externalReference)) as {
        reference: string;
        status: string;
        amount: bigint;
        created_at: bigint;
        updated_at: bigint;
      }[];
      return rows.map((r) => ({
        reference: r.reference,
        status: r.status,
        amount: r.amount,
        createdAt: new Date(Number(r.created_at)),
        updatedAt: new Date(Number(r.updated_at)),
      }));
    },
  };
}
