import type pg from 'pg';
import { boundedError } from './common';
import {
  STATUS_RANK,
  type NewNotification,
  type NotificationRecord,
  type NotificationStatus,
  type NotificationStore,
} from './notification-records';
import type { NewOutboxMessage } from './store';

/**
 * The notification outbox on PostgreSQL (see notification-records.ts). Claims use FOR UPDATE SKIP LOCKED
 * plus a lease, so several instances share the work without waiting on each other or sending a row twice;
 * the payer's daily slot is a primary key, so two instances can never both contact one payer on one day.
 */

interface NotificationRow {
  id: string;
  merchant_id: string;
  dedupe_key: string;
  kind: string;
  channel: string;
  recipient: string;
  payer_key: string;
  charge_id: string | null;
  content: string;
  status: string;
  hold_reason: string | null;
  hold_detail: string | null;
  attempts: number;
  next_attempt_at: Date;
  provider_id: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

type Queryable = Pick<pg.PoolClient, 'query'>;
type Transaction = <T>(fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

const NAMES = [
  'merchant_id',
  'dedupe_key',
  'kind',
  'channel',
  'recipient',
  'payer_key',
  'charge_id',
  'content',
  'status',
  'hold_reason',
  'hold_detail',
  'attempts',
  'next_attempt_at',
  'provider_id',
  'last_error',
  'created_at',
  'updated_at',
  'sent_at',
];
/** The selected columns, optionally qualified by a table alias (RETURNING after UPDATE … FROM needs it). */
const columns = (alias = '') => [`${alias}id::text AS id`, ...NAMES.map((n) => alias + n)].join(', ');
const COLUMNS = columns();

const toRecord = (row: NotificationRow): NotificationRecord => ({
  id: row.id,
  merchantId: row.merchant_id,
  dedupeKey: row.dedupe_key,
  kind: row.kind as NotificationRecord['kind'],
  channel: row.channel as NotificationRecord['channel'],
  recipient: row.recipient,
  payerKey: row.payer_key,
  chargeId: row.charge_id,
  content: row.content,
  status: row.status as NotificationStatus,
  holdReason: row.hold_reason,
  holdDetail: row.hold_detail,
  attempts: Number(row.attempts),
  nextAttemptAt: row.next_attempt_at,
  providerId: row.provider_id,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  sentAt: row.sent_at,
});

/**
 * Inserts notifications inside the caller's transaction, so a row commits with the change that caused it
 * (a confirmation, a charge). A row whose (merchant, dedupeKey) exists is skipped. Returns, per row, whether
 * it was inserted.
 */
export async function insertNotificationsPg(
  db: Queryable,
  rows: readonly NewNotification[],
): Promise<boolean[]> {
  if (rows.length === 0) return [];
  // One statement for the whole batch (a statement of 500 went from 500 round trips to one); ORDER BY keeps
  // the ids in the order given. A key given twice in one batch is inserted once, and counts for the first.
  const result = await db.query<{ merchant_id: string; dedupe_key: string }>(
    `INSERT INTO notifications (merchant_id, dedupe_key, kind, channel, recipient, payer_key, charge_id, content,
       status, next_attempt_at, created_at, updated_at)
     SELECT t.merchant_id, t.dedupe_key, t.kind, t.channel, t.recipient, t.payer_key, t.charge_id, t.content,
       'queued', GREATEST(t.not_before, t.now), t.now, t.now
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::timestamptz[], $10::timestamptz[]) WITH ORDINALITY
       AS t (merchant_id, dedupe_key, kind, channel, recipient, payer_key, charge_id, content, not_before, now, n)
     ORDER BY t.n
     ON CONFLICT (merchant_id, dedupe_key) DO NOTHING
     RETURNING merchant_id, dedupe_key`,
    [
      rows.map((r) => r.merchantId),
      rows.map((r) => r.dedupeKey),
      rows.map((r) => r.kind),
      rows.map((r) => r.channel),
      rows.map((r) => r.recipient),
      rows.map((r) => r.payerKey),
      rows.map((r) => r.chargeId),
      rows.map((r) => r.content),
      rows.map((r) => r.notBefore),
      rows.map((r) => r.now),
    ],
  );
  const key = (merchantId: string, dedupeKey: string) => `${merchantId}\0${dedupeKey}`;
  const inserted = new Set(result.rows.map((r) => key(r.merchant_id, r.dedupe_key)));
  const seen = new Set<string>();
  return rows.map((r) => {
    const k = key(r.merchantId, r.dedupeKey);
    const created = inserted.has(k) && !seen.has(k);
    seen.add(k);
    return created;
  });
}

export async function insertOutboxPg(
  db: Queryable,
  messages: readonly NewOutboxMessage[],
  now: Date,
): Promise<void> {
  for (const m of messages) {
    await db.query(
      `INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [m.messageId, m.merchantId, m.url, m.body, now],
    );
  }
}

export function postgresNotificationStore(pool: pg.Pool, transaction: Transaction): NotificationStore {
  const finishFailed = async (
    db: Queryable,
    id: string,
    error: string,
    now: Date,
    events: (n: NotificationRecord) => readonly NewOutboxMessage[],
  ): Promise<NotificationRecord> => {
    const updated = await db.query<NotificationRow>(
      `UPDATE notifications SET status = 'failed', last_error = $2, locked_until = NULL, updated_at = $3
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, boundedError(error), now],
    );
    await db.query('DELETE FROM collection_contacts WHERE notification_id = $1', [id]);
    const failed = toRecord(updated.rows[0]!);
    await insertOutboxPg(db, events(failed), now);
    return failed;
  };

  return {
    async enqueueNotifications(rows) {
      return transaction(async (client) => {
        const created = await insertNotificationsPg(client, rows);
        const out = [];
        for (const [i, r] of rows.entries()) {
          const row = await client.query<{ id: string; status: string }>(
            'SELECT id::text AS id, status FROM notifications WHERE merchant_id = $1 AND dedupe_key = $2',
            [r.merchantId, r.dedupeKey],
          );
          out.push({
            id: row.rows[0]!.id,
            dedupeKey: r.dedupeKey,
            created: created[i]!,
            status: row.rows[0]!.status as NotificationStatus,
          });
        }
        return out;
      });
    },

    async claimNotifications(now, limit, leaseMs) {
      const claimed = await pool.query<NotificationRow>(
        `UPDATE notifications n SET locked_until = $2
         FROM (
           SELECT id FROM notifications
           WHERE status IN ('queued', 'held') AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
           ORDER BY next_attempt_at, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED
         ) due
         WHERE n.id = due.id
         RETURNING ${columns('n.')}`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      // RETURNING does not keep the subquery's order.
      return claimed.rows
        .map(toRecord)
        .sort(
          (a, b) =>
            a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || Number(BigInt(a.id) - BigInt(b.id)),
        );
    },

    async contactHistory(slot) {
      const today = await pool.query<{ notification_id: string }>(
        `SELECT notification_id::text AS notification_id FROM collection_contacts
         WHERE merchant_id = $1 AND payer_key = $2 AND day = $3`,
        [slot.merchantId, slot.payerKey, slot.day],
      );
      const week = await pool.query<{ channel: string }>(
        `SELECT channel FROM collection_contacts
         WHERE merchant_id = $1 AND payer_key = $2 AND week = $3 AND notification_id <> $4
         ORDER BY day DESC LIMIT 1`,
        [slot.merchantId, slot.payerKey, slot.week, slot.notificationId],
      );
      const holder = today.rows[0]?.notification_id;
      return {
        contactedToday: holder !== undefined && holder !== slot.notificationId,
        weekChannel: (week.rows[0]?.channel as 'email' | 'whatsapp' | undefined) ?? null,
      };
    },

    async takeContactSlot(slot) {
      // ON CONFLICT waits for a concurrent insert of the same key to commit, then sees the holder.
      await pool.query(
        `INSERT INTO collection_contacts (merchant_id, payer_key, day, week, channel, notification_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (merchant_id, payer_key, day) DO NOTHING`,
        [slot.merchantId, slot.payerKey, slot.day, slot.week, slot.channel, slot.notificationId, slot.now],
      );
      const holder = await pool.query<{ notification_id: string }>(
        `SELECT notification_id::text AS notification_id FROM collection_contacts
         WHERE merchant_id = $1 AND payer_key = $2 AND day = $3`,
        [slot.merchantId, slot.payerKey, slot.day],
      );
      return holder.rows[0]?.notification_id === slot.notificationId;
    },

    async holdNotification(id, reason, detail, until, now) {
      await pool.query(
        `UPDATE notifications SET status = 'held', hold_reason = $2, hold_detail = $3, next_attempt_at = $4,
           locked_until = NULL, updated_at = $5
         WHERE id = $1 AND status IN ('queued', 'held')`,
        [id, reason, boundedError(detail), until, now],
      );
    },

    async markNotificationSent(id, providerId, now) {
      await pool.query(
        `UPDATE notifications SET status = 'sent', provider_id = $2, sent_at = $3, updated_at = $3, locked_until = NULL,
           hold_reason = NULL, hold_detail = NULL, attempts = attempts + 1
         WHERE id = $1 AND status IN ('queued', 'held')`,
        [id, providerId, now],
      );
    },

    async retryNotification(id, nextAttemptAt, error, now) {
      await pool.query(
        `UPDATE notifications SET status = 'queued', attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
           locked_until = NULL, updated_at = $4
         WHERE id = $1 AND status IN ('queued', 'held')`,
        [id, nextAttemptAt, boundedError(error), now],
      );
    },

    async failNotification(id, error, now, events) {
      return transaction(async (client) => {
        const row = await client.query<{ status: string }>(
          'SELECT status FROM notifications WHERE id = $1 FOR UPDATE',
          [id],
        );
        const status = row.rows[0]?.status;
        if (status !== 'queued' && status !== 'held') return false;
        await finishFailed(client, id, error, now, events);
        return true;
      });
    },

    async applyNotificationStatus(merchantId, providerId, status, error, now, events) {
      return transaction(async (client) => {
        const found = await client.query<NotificationRow>(
          `SELECT ${COLUMNS} FROM notifications WHERE merchant_id = $1 AND provider_id = $2 FOR UPDATE`,
          [merchantId, providerId],
        );
        const row = found.rows[0];
        if (!row) return null;
        const current = row.status as NotificationStatus;
        if (current === 'failed' || STATUS_RANK[status] <= STATUS_RANK[current]) return toRecord(row);
        if (status === 'failed') return finishFailed(client, row.id, error ?? 'failed', now, events);
        const updated = await client.query<NotificationRow>(
          `UPDATE notifications SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
          [row.id, status, now],
        );
        return toRecord(updated.rows[0]!);
      });
    },

    async getNotification(merchantId, id) {
      if (!/^\d{1,18}$/.test(id)) return null;
      const found = await pool.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND merchant_id = $2`,
        [id, merchantId],
      );
      return found.rows[0] ? toRecord(found.rows[0]) : null;
    },

    async notificationBacklog(now) {
      const waiting = await pool.query<{ kind: string; channel: string; status: string; count: number }>(
        `SELECT kind, channel, status, COUNT(*)::int AS count FROM notifications
         WHERE status IN ('queued', 'held') GROUP BY kind, channel, status ORDER BY kind, channel, status`,
      );
      const due = await pool.query<{ at: Date | null }>(
        `SELECT MIN(next_attempt_at) AS at FROM notifications
         WHERE status IN ('queued', 'held') AND next_attempt_at <= $1`,
        [now],
      );
      return {
        waiting: waiting.rows.map((r) => ({
          kind: r.kind as NotificationRecord['kind'],
          channel: r.channel as NotificationRecord['channel'],
          status: r.status as 'queued' | 'held',
          count: r.count,
        })),
        oldestDueAt: due.rows[0]?.at ?? null,
      };
    },

    async listNotifications(merchantId, filter) {
      const found =
        filter.chargeId === undefined
          ? await pool.query<NotificationRow>(
              `SELECT ${COLUMNS} FROM notifications WHERE merchant_id = $1 ORDER BY id DESC LIMIT $2`,
              [merchantId, filter.limit],
            )
          : await pool.query<NotificationRow>(
              `SELECT ${COLUMNS} FROM notifications WHERE merchant_id = $1 AND charge_id = $2 ORDER BY id DESC LIMIT $3`,
              [merchantId, filter.chargeId, filter.limit],
            );
      return found.rows.map(toRecord);
    },
  };
}
