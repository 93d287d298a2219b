import type { ChargeState } from '../../shared/charges/charge-input';
import type { ChargeStatus } from '../../shared/charges/charge-fields';
import type { IsoDate } from '../../shared/dates';
import type { NewNotification } from './notification-records';
import type { NewOutboxMessage } from './store';

/**
 * Merchant charges (docs/spec/merchant-charges.md) behind the one Store: part of the `Store` interface, one
 * implementation per engine (sqlite-charges.ts, postgres-charges.ts), run by the shared store suite on both.
 *
 * Every change of a charge writes, in the same transaction, its merchant webhook rows (outbox) and the payer
 * messages it causes (rows of the `notifications` outbox, unique per key: `notice:{charge}`,
 * `reminder:{charge}:{entry}`), so a crash never leaves a change without its event or its message, and a
 * second instance or a retry never writes one twice.
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
  /** The next local date on which the charge job looks at its reminder entries; null when none is left. */
  readonly reminderDueOn: IsoDate | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
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
  /** Payer messages caused by this change (the charge notice), inserted in its transaction. */
  readonly notifications: readonly NewNotification[];
  readonly reminderDueOn: IsoDate | null;
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
  /**
   * When set, the charge's messages not yet sent (queued or held) are withdrawn in the same transaction:
   * status failed, last_error `withdrawn: <reason>` (no notification.failed webhook: the merchant caused it).
   */
  readonly withdrawNotifications: string | null;
  readonly now: Date;
  readonly events: (charge: ChargeRecord) => readonly NewOutboxMessage[];
  /** Payer messages caused by this change (the charge notice), inserted in its transaction. */
  readonly notifications: readonly NewNotification[];
  readonly reminderDueOn: IsoDate | null;
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
  readonly notifications: (charge: ChargeRecord) => readonly NewNotification[];
  /** Withdraws the changed charges' unsent messages with this reason (see ChargeUpdate). */
  readonly withdrawNotifications: string | null;
}

/** One step of the reminder scan of the charge job for one charge (see ChargeStore.recordChargeReminders). */
export interface ChargeReminderStep {
  readonly merchantId: string;
  readonly externalReference: string;
  /** The reminder_due_on the step was computed from: another value now → nothing written. */
  readonly expectedDueOn: IsoDate;
  readonly nextDueOn: IsoDate | null;
  readonly notifications: readonly NewNotification[];
  readonly now: Date;
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
  /** `pending` / `unlimit` charges whose reminder_due_on ≤ today, earliest first, at most `limit`. */
  chargesDueForReminders(merchantId: string, today: IsoDate, limit: number): Promise<ChargeRecord[]>;
  /**
   * Moves reminder_due_on from `expectedDueOn` to `nextDueOn` — only while it still holds that value and the
   * charge is `pending` / `unlimit` — and inserts the reminder rows, in one transaction. False (nothing
   * written) when another instance or an update got there first: each reminder date is handled once.
   */
  recordChargeReminders(step: ChargeReminderStep): Promise<boolean>;
  /** The checkouts that paid or try to pay this charge, oldest first. */
  chargePayments(merchantId: string, externalReference: string): Promise<ChargePayment[]>;
}
