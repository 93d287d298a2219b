import type { NewOutboxMessage } from './store';

/**
 * The notification outbox as the store sees it (docs/spec/notifications.md "Delivery guarantees"): one row
 * per message, unique per (merchant, dedupeKey), written in the transaction of the change that caused it,
 * claimed by one job instance at a time (lease + SKIP LOCKED on PostgreSQL), and a ledger of collection
 * contacts per payer and local day that makes the law's "once a day" hold across instances.
 */

export type NotificationKind = 'statement' | 'charge' | 'reminder' | 'receipt' | 'return';
export type NotificationChannel = 'email' | 'whatsapp';
export type NotificationStatus = 'queued' | 'held' | 'sent' | 'delivered' | 'read' | 'failed';

export interface NewNotification {
  readonly merchantId: string;
  /** e.g. `statement:{uuid}`, `receipt:{reference}`, `reminder:{charge}:{entryId}`: a second insert is a no-op. */
  readonly dedupeKey: string;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  /** Email address or E.164 digits. Stored, never logged. */
  readonly recipient: string;
  /** Keyed hash naming the payer for the law's limits (never the id number itself). */
  readonly payerKey: string;
  readonly chargeId: string | null;
  /** The channel-independent message model (messages/models.ts), JSON; rendered when sent. */
  readonly content: string;
  /** Not before this instant (a reminder's date); also the creation time's lower bound. */
  readonly notBefore: Date;
  readonly now: Date;
}

export interface NotificationRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly dedupeKey: string;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  readonly recipient: string;
  readonly payerKey: string;
  readonly chargeId: string | null;
  readonly content: string;
  readonly status: NotificationStatus;
  readonly holdReason: string | null;
  readonly holdDetail: string | null;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly providerId: string | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly sentAt: Date | null;
}

export interface EnqueueResult {
  readonly id: string;
  readonly dedupeKey: string;
  /** False when a row with this key existed: nothing was written. */
  readonly created: boolean;
  readonly status: NotificationStatus;
}

export interface ContactSlot {
  readonly merchantId: string;
  readonly payerKey: string;
  /** Local calendar date and the Monday of its week, in the merchant's time zone. */
  readonly day: string;
  readonly week: string;
  readonly channel: NotificationChannel;
  readonly notificationId: string;
  readonly now: Date;
}

export interface ContactHistoryRecord {
  /** Another notification already took this payer's slot for the day. */
  readonly contactedToday: boolean;
  /** The channel of another contact this week, if any. */
  readonly weekChannel: NotificationChannel | null;
}

/** What waits in the outbox, for /metrics (shared by every instance: read from the table at scrape time). */
export interface NotificationBacklog {
  /** Rows not sent yet (queued, or held by the law / a backoff), by kind, channel and status. */
  readonly waiting: readonly {
    readonly kind: NotificationKind;
    readonly channel: NotificationChannel;
    readonly status: 'queued' | 'held';
    readonly count: number;
  }[];
  /** The earliest `next_attempt_at` of a waiting row already due at `now`; null when none is due. */
  readonly oldestDueAt: Date | null;
}

export interface NotificationStore {
  notificationBacklog(now: Date): Promise<NotificationBacklog>;
  enqueueNotifications(rows: readonly NewNotification[]): Promise<EnqueueResult[]>;
  /** Claims up to `limit` due queued/held rows for `leaseMs`; other instances skip them meanwhile. */
  claimNotifications(now: Date, limit: number, leaseMs: number): Promise<NotificationRecord[]>;
  contactHistory(slot: Omit<ContactSlot, 'channel' | 'now'>): Promise<ContactHistoryRecord>;
  /** Takes the payer's slot for the day; false when another notification holds it (nothing written). */
  takeContactSlot(slot: ContactSlot): Promise<boolean>;
  holdNotification(id: string, reason: string, detail: string, until: Date, now: Date): Promise<void>;
  markNotificationSent(id: string, providerId: string | null, now: Date): Promise<void>;
  retryNotification(id: string, nextAttemptAt: Date, error: string, now: Date): Promise<void>;
  /**
   * Permanent failure: status failed, the day's contact slot given back (the payer was not reached), and the
   * merchant's `notification.failed` webhook rows written, all in one commit. False when already final.
   */
  failNotification(
    id: string,
    error: string,
    now: Date,
    events: (n: NotificationRecord) => readonly NewOutboxMessage[],
  ): Promise<boolean>;
  /**
   * A delivery status from the provider (WhatsApp webhooks), by the provider's message id. Statuses only move
   * forward (sent → delivered → read); failed is final and writes the webhook rows like failNotification.
   */
  applyNotificationStatus(
    merchantId: string,
    providerId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    error: string | null,
    now: Date,
    events: (n: NotificationRecord) => readonly NewOutboxMessage[],
  ): Promise<NotificationRecord | null>;
  getNotification(merchantId: string, id: string): Promise<NotificationRecord | null>;
  listNotifications(
    merchantId: string,
    filter: { readonly chargeId?: string; readonly limit: number },
  ): Promise<NotificationRecord[]>;
}

/** Status order for forward-only updates; failed is final. */
export const STATUS_RANK: Readonly<Record<NotificationStatus, number>> = {
  queued: 0,
  held: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};
