import type Database from 'better-sqlite3';
import { boundedError } from './common';
import {
  STATUS_RANK,
  type NewNotification,
  type NotificationRecord,
  type NotificationStatus,
  type NotificationStore,
} from './notification-records';
import type { NewOutboxMessage } from './store';

/** The notification outbox on SQLite (see notification-records.ts); writes run in BEGIN IMMEDIATE. */

interface NotificationRow {
  id: bigint;
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
  attempts: bigint;
  next_attempt_at: bigint;
  provider_id: string | null;
  last_error: string | null;
  created_at: bigint;
  updated_at: bigint;
  sent_at: bigint | null;
}

type Stmt = (sql: string) => Database.Statement;
type Write = <T>(fn: () => T) => T;

const toRecord = (row: NotificationRow): NotificationRecord => ({
  id: String(row.id),
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
  nextAttemptAt: new Date(Number(row.next_attempt_at)),
  providerId: row.provider_id,
  lastError: row.last_error,
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
  sentAt: row.sent_at === null ? null : new Date(Number(row.sent_at)),
});

/**
 * Inserts notifications inside the caller's write transaction, so a row commits with the change that caused
 * it (a confirmation, a charge). A row whose (merchant, dedupeKey) exists is skipped.
 */
export function insertNotificationsSqlite(stmt: Stmt, rows: readonly NewNotification[]): boolean[] {
  const insert = stmt(
    `INSERT INTO notifications (merchant_id, dedupe_key, kind, channel, recipient, payer_key, charge_id, content,
       status, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
     ON CONFLICT (merchant_id, dedupe_key) DO NOTHING`,
  );
  return rows.map(
    (r) =>
      insert.run(
        r.merchantId,
        r.dedupeKey,
        r.kind,
        r.channel,
        r.recipient,
        r.payerKey,
        r.chargeId,
        r.content,
        Math.max(r.notBefore.getTime(), r.now.getTime()),
        r.now.getTime(),
        r.now.getTime(),
      ).changes > 0,
  );
}

export function insertOutboxSqlite(stmt: Stmt, messages: readonly NewOutboxMessage[], now: Date): void {
  const insert = stmt(
    `INSERT INTO outbox (message_id, merchant_id, url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const m of messages)
    insert.run(m.messageId, m.merchantId, m.url, m.body, now.getTime(), now.getTime());
}

export function sqliteNotificationStore(stmt: Stmt, write: Write): NotificationStore {
  const byId = (id: string) =>
    stmt('SELECT * FROM notifications WHERE id = ?').get(BigInt(id)) as NotificationRow | undefined;

  const finishFailed = (
    row: NotificationRow,
    error: string,
    now: Date,
    events: (n: NotificationRecord) => readonly NewOutboxMessage[],
  ): NotificationRecord => {
    stmt(
      `UPDATE notifications SET status = 'failed', last_error = ?, locked_until = NULL, updated_at = ? WHERE id = ?`,
    ).run(boundedError(error), now.getTime(), row.id);
    stmt('DELETE FROM collection_contacts WHERE notification_id = ?').run(row.id);
    const failed = toRecord(byId(String(row.id))!);
    insertOutboxSqlite(stmt, events(failed), now);
    return failed;
  };

  return {
    async enqueueNotifications(rows) {
      return write(() => {
        const created = insertNotificationsSqlite(stmt, rows);
        return rows.map((r, i) => {
          const row = stmt(
            'SELECT id, status FROM notifications WHERE merchant_id = ? AND dedupe_key = ?',
          ).get(r.merchantId, r.dedupeKey) as { id: bigint; status: string };
          return {
            id: String(row.id),
            dedupeKey: r.dedupeKey,
            created: created[i]!,
            status: row.status as NotificationStatus,
          };
        });
      });
    },

    async claimNotifications(now, limit, leaseMs) {
      return write(() => {
        const at = now.getTime();
        const rows = stmt(
          `SELECT * FROM notifications
           WHERE status IN ('queued', 'held') AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ?`,
        ).all(at, at, limit) as NotificationRow[];
        const lease = stmt('UPDATE notifications SET locked_until = ? WHERE id = ?');
        for (const row of rows) lease.run(at + leaseMs, row.id);
        return rows.map(toRecord);
      });
    },

    async contactHistory(slot) {
      const today = stmt(
        `SELECT notification_id FROM collection_contacts WHERE merchant_id = ? AND payer_key = ? AND day = ?`,
      ).get(slot.merchantId, slot.payerKey, slot.day) as { notification_id: bigint } | undefined;
      const week = stmt(
        `SELECT channel FROM collection_contacts
         WHERE merchant_id = ? AND payer_key = ? AND week = ? AND notification_id <> ?
         ORDER BY day DESC LIMIT 1`,
      ).get(slot.merchantId, slot.payerKey, slot.week, BigInt(slot.notificationId)) as
        { channel: string } | undefined;
      return {
        contactedToday: today !== undefined && String(today.notification_id) !== slot.notificationId,
        weekChannel: (week?.channel as 'email' | 'whatsapp' | undefined) ?? null,
      };
    },

    async takeContactSlot(slot) {
      return write(() => {
        stmt(
          `INSERT INTO collection_contacts (merchant_id, payer_key, day, week, channel, notification_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (merchant_id, payer_key, day) DO NOTHING`,
        ).run(
          slot.merchantId,
          slot.payerKey,
          slot.day,
          slot.week,
          slot.channel,
          BigInt(slot.notificationId),
          slot.now.getTime(),
        );
        const holder = stmt(
          'SELECT notification_id FROM collection_contacts WHERE merchant_id = ? AND payer_key = ? AND day = ?',
        ).get(slot.merchantId, slot.payerKey, slot.day) as { notification_id: bigint };
        return String(holder.notification_id) === slot.notificationId;
      });
    },

    async holdNotification(id, reason, detail, until, now) {
      write(() => {
        stmt(
          `UPDATE notifications SET status = 'held', hold_reason = ?, hold_detail = ?, next_attempt_at = ?,
             locked_until = NULL, updated_at = ?
           WHERE id = ? AND status IN ('queued', 'held')`,
        ).run(reason, boundedError(detail), until.getTime(), now.getTime(), BigInt(id));
      });
    },

    async markNotificationSent(id, providerId, now) {
      write(() => {
        stmt(
          `UPDATE notifications SET status = 'sent', provider_id = ?, sent_at = ?, updated_at = ?, locked_until = NULL,
             hold_reason = NULL, hold_detail = NULL, attempts = attempts + 1
           WHERE id = ? AND status IN ('queued', 'held')`,
        ).run(providerId, now.getTime(), now.getTime(), BigInt(id));
      });
    },

    async retryNotification(id, nextAttemptAt, error, now) {
      write(() => {
        stmt(
          `UPDATE notifications SET status = 'queued', attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
             locked_until = NULL, updated_at = ?
           WHERE id = ? AND status IN ('queued', 'held')`,
        ).run(nextAttemptAt.getTime(), boundedError(error), now.getTime(), BigInt(id));
      });
    },

    async failNotification(id, error, now, events) {
      return write(() => {
        const row = byId(id);
        if (!row || (row.status !== 'queued' && row.status !== 'held')) return false;
        finishFailed(row, error, now, events);
        return true;
      });
    },

    async applyNotificationStatus(merchantId, providerId, status, error, now, events) {
      return write(() => {
        const row = stmt('SELECT * FROM notifications WHERE merchant_id = ? AND provider_id = ?').get(
          merchantId,
          providerId,
        ) as NotificationRow | undefined;
        if (!row) return null;
        const current = row.status as NotificationStatus;
        if (current === 'failed' || STATUS_RANK[status] <= STATUS_RANK[current]) return toRecord(row);
        if (status === 'failed') return finishFailed(row, error ?? 'failed', now, events);
        stmt('UPDATE notifications SET status = ?, updated_at = ? WHERE id = ?').run(
          status,
          now.getTime(),
          row.id,
        );
        return toRecord(byId(String(row.id))!);
      });
    },

    async getNotification(merchantId, id) {
      if (!/^\d{1,18}$/.test(id)) return null;
      const row = byId(id);
      return row && row.merchant_id === merchantId ? toRecord(row) : null;
    },

    async notificationBacklog(now) {
      const waiting = stmt(
        `SELECT kind, channel, status, COUNT(*) AS count FROM notifications
         WHERE status IN ('queued', 'held') GROUP BY kind, channel, status ORDER BY kind, channel, status`,
      ).all() as { kind: string; channel: string; status: string; count: bigint }[];
      const due = stmt(
        `SELECT MIN(next_attempt_at) AS at FROM notifications
         WHERE status IN ('queued', 'held') AND next_attempt_at <= ?`,
      ).get(now.getTime()) as { at: bigint | null };
      return {
        waiting: waiting.map((r) => ({
          kind: r.kind as NotificationRecord['kind'],
          channel: r.channel as NotificationRecord['channel'],
          status: r.status as 'queued' | 'held',
          count: Number(r.count),
        })),
        oldestDueAt: due.at === null ? null : new Date(Number(due.at)),
      };
    },

    async listNotifications(merchantId, filter) {
      const rows = (
        filter.chargeId === undefined
          ? stmt('SELECT * FROM notifications WHERE merchant_id = ? ORDER BY id DESC LIMIT ?').all(
              merchantId,
              filter.limit,
            )
          : stmt(
              'SELECT * FROM notifications WHERE merchant_id = ? AND charge_id = ? ORDER BY id DESC LIMIT ?',
            ).all(merchantId, filter.chargeId, filter.limit)
      ) as NotificationRow[];
      return rows.map(toRecord);
    },
  };
}
