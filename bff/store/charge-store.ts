import type { ChargeState } from '../../shared/charges/charge-input';
import type { ChargeStatus } from '../../shared/charges/charge-fields';
import type { IsoDate } from '../../shared/dates';
import type { NewOutboxMessage } from './store';

/**
 * Merchant charges (docs/spec/merchant-charges.md) behind the one Store: part of the `Store` interface, one
 * implementation per engine (sqlite-charges.ts, postgres-charges.ts), run by the shared store suite on both.
 *
 * Every change of a charge writes, in the same transaction, its merchant webhook rows (outbox) and the
 * notifications it makes due (`charge_notifications_due`), so a crash never leaves a change without its event.
 */

export interface ChargeRecord extends ChargeState {
  readonly merchantId: string;
  /** Portal-generated, unique per merchant, URL-safe: the seeds' `external_reference`. */
  readonly externalReference: string;
  /** The `/{merchant}/c/{linkId}` token: ≥ 128 random bits, unique across merchants. */
  readonly linkId: string;
  /** Seed 002's `process_id` (a UUID). */
  readonly processId: string;
  /** details.payer.user_id_number when the payer's id trio was given: joins the payer's lookup. */
  readonly payerIdNumber: string | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
  /** Bumped by every update: updates are compare-and-set on it. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * A notification the notifications job must send (one durable row per charge and `dedupeKey`; recording the
 * same key twice keeps the first). Written here, consumed by whoever sends messages (docs/spec/notifications.md).
 */
export interface NewChargeNotification {
  /** `charge_created`, `charge_activated`, `late_fee_started`, `incentive_ending`, … */
  readonly kind: string;
  /** Unique per charge: `activated`, `late_fee:<entry id>`, … */
  readonly dedupeKey: string;
  readonly channel: 'email' | 'whatsapp';
  readonly template: string | null;
}

export interface ChargeNotificationDue extends NewChargeNotification {
  readonly id: string;
  readonly merchantId: string;
  readonly externalReference: string;
  readonly attempts: number;
  readonly createdAt: Date;
}

export interface NewCharge {
  readonly merchantId: string;
  readonly externalReference: string;
  readonly linkId: string;
  readonly processId: string;
  readonly state: ChargeState;
  readonly payerIdNumber: string | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
  readonly now: Date;
  readonly events: (charge: ChargeRecord) => readonly NewOutboxMessage[];
  readonly notifications: readonly NewChargeNotification[];
}

export type CreateChargeResult =
  | { readonly kind: 'created'; readonly charge: ChargeRecord }
  /** The Idempotency-Key was used before: the stored charge (the caller compares requestHash). */
  | { readonly kind: 'idempotent'; readonly charge: ChargeRecord };

export interface ChargeUpdate {
  readonly merchantId: string;
  readonly externalReference: string;
  /** The version the update was computed from: another update in between → `stale`, nothing written. */
  readonly expectedVersion: number;
  readonly state: ChargeState;
  readonly payerIdNumber: string | null;
  /** Amount or currency change: refused (`has_payments`) when a payment was approved or is in progress. */
  readonly changesMoney: boolean;
  readonly now: Date;
  readonly events: (charge: ChargeRecord) => readonly NewOutboxMessage[];
  readonly notifications: readonly NewChargeNotification[];
}

export type UpdateChargeResult =
  | { readonly kind: 'updated'; readonly charge: ChargeRecord }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'has_payments' };

export interface ChargeListQuery {
  readonly status?: ChargeStatus;
  readonly payerIdNumber?: string;
  /** created_at ≥ from, < to. */
  readonly from?: Date;
  readonly to?: Date;
  /** Exclusive: charges strictly older than this (created_at, external_reference) pair. */
  readonly after?: { readonly createdAt: Date; readonly externalReference: string };
  readonly limit: number;
}

/** A time-driven change of the charge job: activation on reminder_date, expiry after limit_date. */
export interface ChargeTransition {
  readonly merchantId: string;
  /** The merchant's calendar date (its time zone). */
  readonly today: IsoDate;
  readonly now: Date;
  readonly limit: number;
  readonly events: (charge: ChargeRecord) => readonly NewOutboxMessage[];
  readonly notifications: (charge: ChargeRecord) => readonly NewChargeNotification[];
}

/** The item key of a charge in checkouts, holds and payments: namespaced so it never meets an ERP ref. */
export function chargeItemKey(externalReference: string): string {
  return `${CHARGE_KEY_PREFIX}${externalReference}`;
}
export const CHARGE_KEY_PREFIX = 'charge:';

/** One portal payment (checkout) of a charge, for GET …/transaction/{external_reference}. */
export interface ChargePayment {
  readonly reference: string;
  readonly status: string;
  /** What this checkout pays of the charge, minor units. */
  readonly amount: bigint;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ChargeStore {
  /** Inserts a charge with its events and notifications, or answers the charge stored under its Idempotency-Key. */
  createCharge(input: NewCharge): Promise<CreateChargeResult>;
  getCharge(merchantId: string, externalReference: string): Promise<ChargeRecord | null>;
  getChargeByLink(linkId: string): Promise<ChargeRecord | null>;
  findChargeByIdempotencyKey(merchantId: string, idempotencyKey: string): Promise<ChargeRecord | null>;
  /** Compare-and-set on version; money changes are checked against payments in the same transaction. */
  updateCharge(input: ChargeUpdate): Promise<UpdateChargeResult>;
  /** Newest first (created_at, then external_reference, descending). */
  listCharges(merchantId: string, query: ChargeListQuery): Promise<ChargeRecord[]>;
  /** The payer's charges of every status but `created` (the caller decides what is visible). */
  chargesForPayer(merchantId: string, payerIdNumber: string): Promise<ChargeRecord[]>;
  /**
   * `scheduled` charges whose reminder_date ≤ today become `pending`, at most `limit` per call. Rows another
   * instance is changing are skipped (SKIP LOCKED), and the guarded update changes each charge once.
   */
  activateDueCharges(input: ChargeTransition): Promise<ChargeRecord[]>;
  /** `pending` charges with `expiration` whose limit_date < today become `expired` (same guarantees). */
  expireDueCharges(input: ChargeTransition): Promise<ChargeRecord[]>;
  /** Records notifications for a charge (idempotent per dedupeKey); for time-driven reminders. */
  recordChargeNotifications(
    merchantId: string,
    externalReference: string,
    notifications: readonly NewChargeNotification[],
    now: Date,
  ): Promise<number>;
  /** Claims up to `limit` unsent notifications for `leaseMs` (other instances skip them meanwhile). */
  claimChargeNotifications(now: Date, limit: number, leaseMs: number): Promise<ChargeNotificationDue[]>;
  markChargeNotificationSent(id: string, now: Date): Promise<void>;
  /** The checkouts that paid or try to pay this charge, oldest first. */
  chargePayments(merchantId: string, externalReference: string): Promise<ChargePayment[]>;
}
