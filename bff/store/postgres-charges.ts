import type pg from 'pg';
import type { ChargeDetails } from '../../shared/charges/charge-input';
import type { ChargeStatus } from '../../shared/charges/charge-fields';
import type { Currency } from '../../shared/money';
import {
  chargeItemKey,
  type ChargeNotificationDue,
  type ChargeRecord,
  type ChargeStore,
  type ChargeTransition,
  type NewChargeNotification,
} from './charge-store';
import type { NewOutboxMessage } from './store';

/**
 * The charge half of the PostgreSQL store (postgres-store.ts explains the engine). Several instances share it:
 * an idempotent create is a unique key, an update is a row lock plus a version check, and the time-driven
 * transitions take their rows FOR UPDATE SKIP LOCKED and change each only from the expected status.
 */

type Queryable = Pick<pg.PoolClient, 'query'>;

interface ChargeRow {
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
  created_at: Date;
  updated_at: Date;
}

interface NotificationRow {
  id: string;
  merchant_id: string;
  external_reference: string;
  kind: string;
  dedupe_key: string;
  channel: string;
  template: string | null;
  attempts: number;
  created_at: Date;
}

const toCharge = (row: ChargeRow): ChargeRecord => ({
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

async function writeNotifications(
  db: Queryable,
  merchantId: string,
  externalReference: string,
  list: readonly NewChargeNotification[],
  now: Date,
): Promise<number> {
  if (list.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO charge_notifications_due (merchant_id, external_reference, kind, dedupe_key, channel, template, created_at)
     SELECT $1, $2, t.kind, t.dedupe_key, t.channel, t.template, $7
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t (kind, dedupe_key, channel, template)
     ON CONFLICT (merchant_id, external_reference, dedupe_key) DO NOTHING`,
    [
      merchantId,
      externalReference,
      list.map((n) => n.kind),
      list.map((n) => n.dedupeKey),
      list.map((n) => n.channel),
      list.map((n) => n.template),
      now,
    ],
  );
  return result.rowCount ?? 0;
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
        await writeNotifications(
          client,
          charge.merchantId,
          charge.externalReference,
          input.notifications(charge),
          input.now,
        );
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
             created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15)
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
        await writeNotifications(
          client,
          charge.merchantId,
          charge.externalReference,
          input.notifications,
          input.now,
        );
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
             limit_date = $8, expiration = $9, details = $10, version = version + 1, updated_at = $11
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
          ],
        );
        const charge = toCharge(updated.rows[0]!);
        await writeEvents(client, input.events(charge), input.now);
        await writeNotifications(
          client,
          charge.merchantId,
          charge.externalReference,
          input.notifications,
          input.now,
        );
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
      const r = await pool.query<ChargeRow>(
        `SELECT * FROM charges WHERE merchant_id = $1 AND payer_id_number = $2 AND status <> 'created'
         ORDER BY created_at, external_reference`,
        [merchantId, payerIdNumber],
      );
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

    async recordChargeNotifications(merchantId, externalReference, notifications, now) {
      return writeNotifications(pool, merchantId, externalReference, notifications, now);
    },

    async claimChargeNotifications(now, limit, leaseMs) {
      const claimed = await pool.query<NotificationRow>(
        `UPDATE charge_notifications_due n SET locked_until = $2, attempts = n.attempts + 1
         FROM (
           SELECT id FROM charge_notifications_due
           WHERE sent_at IS NULL AND (locked_until IS NULL OR locked_until <= $1)
           ORDER BY id LIMIT $3
           FOR UPDATE SKIP LOCKED
         ) due
         WHERE n.id = due.id
         RETURNING n.id::text AS id, n.merchant_id, n.external_reference, n.kind, n.dedupe_key, n.channel,
           n.template, n.attempts, n.created_at`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      return claimed.rows
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
        .map((row): ChargeNotificationDue => ({
          id: row.id,
          merchantId: row.merchant_id,
          externalReference: row.external_reference,
          kind: row.kind,
          dedupeKey: row.dedupe_key,
          channel: row.channel as 'email' | 'whatsapp',
          template: row.template,
          attempts: row.attempts,
          createdAt: row.created_at,
        }));
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

    async markChargeNotificationSent(id, now) {
      await pool.query(
        'UPDATE charge_notifications_due SET sent_at = $2, locked_until = NULL WHERE id = $1 AND sent_at IS NULL',
        [id, now],
      );
    },
  };
}
