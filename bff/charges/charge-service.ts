import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../shared/api/schemas';
import {
  readChargeCreate,
  readChargeUpdate,
  type ChargeRules,
  type ChargeState,
  type FieldError,
} from '../../shared/charges/charge-input';
import { nextReminderOn } from '../../shared/charges/charge-reminders';
import { calendarDateIn } from '../../shared/dates';
import type { AppDeps } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { priceItems, toLookupItem } from '../services/lookup-service';
import type { ChargeRecord } from '../store/charge-store';
import { chargeEventMessages, type ChargeEventType } from './charge-events';
import { chargeToItem } from './charge-item';
import {
  chargeRecipient,
  noticeNotifications,
  priceNewCharge,
  withdrawReason,
  type ChargeMessageContext,
} from './charge-notifications';
import { chargeLink, chargeView, type ChargeView } from './charge-view';

/** Create, update and read merchant charges (docs/spec/merchant-charges.md). */

export type ChargeFailure = {
  readonly ok: false;
  readonly status: 404 | 409 | 422;
  readonly code: ErrorCode;
  readonly message?: string;
  readonly fields?: readonly FieldError[];
};

export interface CreatedCharge {
  readonly external_reference: string;
  readonly channel: string;
  readonly link: string;
  readonly process_id: string;
  readonly created_at: string;
}

/** Portal-generated `external_reference`: 12 characters of [a-z0-9] (≈ 62 bits), unique per merchant. */
export function newExternalReference(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(12);
  let out = '';
  for (const b of bytes) out += alphabet[b % 36];
  return out;
}

/** The charge link's token: 144 random bits, base64url (24 characters). */
export function newLinkId(): string {
  return randomBytes(18).toString('base64url');
}

function newEntryId(): string {
  return randomBytes(6).toString('hex');
}

export function chargeRules(deps: AppDeps, merchant: MerchantConfig): ChargeRules {
  return { currencies: merchant.payu.currencies, production: deps.production, newId: newEntryId };
}

/** JSON with sorted keys: the same body in any key order has one hash. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function createdAnswer(publicUrl: string, charge: ChargeRecord): CreatedCharge {
  return {
    external_reference: charge.externalReference,
    channel: charge.details.channel.toUpperCase(),
    link: chargeLink(publicUrl, charge),
    process_id: charge.processId,
    created_at: charge.createdAt.toISOString(),
  };
}

function payerId(state: ChargeState): string | null {
  const p = state.details.payer;
  return p.user_id_type && p.user_id_number && p.first_name ? p.user_id_number : null;
}

function messageContext(deps: AppDeps, merchant: MerchantConfig): ChargeMessageContext {
  return { merchant, publicUrl: deps.config.publicUrl, notifications: deps.notifications };
}

export async function createCharge(
  deps: AppDeps,
  merchant: MerchantConfig,
  raw: unknown,
  idempotencyKey: string | null,
): Promise<{ ok: true; body: CreatedCharge; replay: boolean } | ChargeFailure> {
  const hash = createHash('sha256').update(canonical(raw)).digest('hex');
  if (idempotencyKey !== null) {
    const prior = await deps.store.findChargeByIdempotencyKey(merchant.id, idempotencyKey);
    if (prior) {
      if (prior.requestHash !== hash) return { ok: false, status: 422, code: 'idempotency_key_reused' };
      return { ok: true, body: createdAnswer(deps.config.publicUrl, prior), replay: true };
    }
  }
  const read = readChargeCreate(raw, chargeRules(deps, merchant));
  if (!read.ok) return { ok: false, status: 422, code: 'invalid_request', fields: read.fields };
  const state = read.value;
  const now = deps.clock.now();
  const today = calendarDateIn(merchant.timezone, now);
  const draft: ChargeRecord = {
    ...state,
    merchantId: merchant.id,
    externalReference: newExternalReference(),
    linkId: newLinkId(),
    processId: randomUUID(),
    payerIdNumber: payerId(state),
    idempotencyKey,
    requestHash: idempotencyKey === null ? null : hash,
    version: 1,
    reminderDueOn: nextReminderOn(state.details, today),
    createdAt: now,
    updatedAt: now,
  };
  const result = await deps.store.createCharge({
    merchantId: draft.merchantId,
    externalReference: draft.externalReference,
    linkId: draft.linkId,
    processId: draft.processId,
    payerIdNumber: draft.payerIdNumber,
    idempotencyKey: draft.idempotencyKey,
    requestHash: draft.requestHash,
    reminderDueOn: draft.reminderDueOn,
    state,
    now,
    events: (charge) => chargeEventMessages(merchant, deps.config.publicUrl, charge, 'charge.created', now),
    // A new charge has no payments: priced alone for today.
    notifications: noticeNotifications(
      messageContext(deps, merchant),
      draft,
      priceNewCharge(merchant, draft, today),
      now,
    ),
  });
  if (result.kind === 'idempotent') {
    if (result.charge.requestHash !== hash) return { ok: false, status: 422, code: 'idempotency_key_reused' };
    return { ok: true, body: createdAnswer(deps.config.publicUrl, result.charge), replay: true };
  }
  deps.onOutboxWritten();
  return { ok: true, body: createdAnswer(deps.config.publicUrl, result.charge), replay: false };
}

function eventFor(before: ChargeRecord, after: ChargeState): ChargeEventType {
  if (after.status === 'cancelled' && before.status !== 'cancelled') return 'charge.cancelled';
  const active = (s: string) => s === 'pending' || s === 'unlimit';
  if (active(after.status) && !active(before.status)) return 'charge.activated';
  return 'charge.updated';
}

/** Seed 004 PATCH: compare-and-set on the charge's version, retried when another update got in between. */
export async function updateCharge(
  deps: AppDeps,
  merchant: MerchantConfig,
  externalReference: string,
  raw: unknown,
): Promise<{ ok: true; body: ChargeView } | ChargeFailure> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.store.getCharge(merchant.id, externalReference);
    if (!current)
      return {
        ok: false,
        status: 404,
        code: 'not_found',
        message: 'There is no charge with this reference.',
      };
    const read = readChargeUpdate(raw, current, chargeRules(deps, merchant));
    if (!read.ok) return { ok: false, status: 422, code: 'invalid_request', fields: read.fields };
    const next = read.value;
    const express = next.details.express;
    if (
      read.changed.has('process_type') &&
      next.details.process_type === 'express' &&
      express &&
      express.method !== 'qr'
    ) {
      return { ok: false, status: 422, code: 'unsupported_method' };
    }
    const now = deps.clock.now();
    const today = calendarDateIn(merchant.timezone, now);
    const type = eventFor(current, next);
    const after: ChargeRecord = { ...current, ...next, payerIdNumber: payerId(next) };
    // The notice goes the first time the charge is payable with a message channel (its key makes a repeat a
    // no-op); priced with its payments, as the payer would see it today.
    const notice =
      chargeRecipient(next.details) === null
        ? []
        : noticeNotifications(
            messageContext(deps, merchant),
            after,
            (await priceItems(deps, merchant, [chargeToItem(after)], today, now))[0]!,
            now,
          );
    const result = await deps.store.updateCharge({
      merchantId: merchant.id,
      externalReference,
      expectedVersion: current.version,
      state: next,
      payerIdNumber: payerId(next),
      changesMoney: next.amount !== current.amount || next.currency !== current.currency,
      now,
      events: (charge) => chargeEventMessages(merchant, deps.config.publicUrl, charge, type, now),
      notifications: notice,
      withdrawNotifications: withdrawReason(current, next),
      // Reminder entries may have changed: the scan starts again from today (sent reminders keep their key).
      reminderDueOn: nextReminderOn(next.details, today),
    });
    if (result.kind === 'stale') continue;
    if (result.kind === 'not_found') return { ok: false, status: 404, code: 'not_found' };
    if (result.kind === 'has_payments') return { ok: false, status: 409, code: 'charge_has_payments' };
    deps.onOutboxWritten();
    return { ok: true, body: await fullView(deps, merchant, result.charge) };
  }
  return { ok: false, status: 409, code: 'conflict' };
}

/** GET one: the stored charge, its payments and today's prices. */
export async function fullView(
  deps: AppDeps,
  merchant: MerchantConfig,
  charge: ChargeRecord,
): Promise<ChargeView> {
  const now = deps.clock.now();
  const today = calendarDateIn(merchant.timezone, now);
  const [payments, priced] = await Promise.all([
    deps.store.chargePayments(merchant.id, charge.externalReference),
    priceItems(deps, merchant, [chargeToItem(charge)], today, now),
  ]);
  return chargeView(deps.config.publicUrl, charge, {
    payments,
    ...(priced[0] ? { priced: toLookupItem(priced[0]) } : {}),
  });
}
