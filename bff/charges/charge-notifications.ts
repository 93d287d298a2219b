import type { ChargeDetails } from '../../shared/charges/charge-input';
import type { ReminderEntry } from '../../shared/charges/charge-reminders';
import { offlineBlock } from '../../shared/charges/process-type';
import { calendarDateIn, type IsoDate } from '../../shared/dates';
import { maskName } from '../../shared/mask';
import { formatMinor } from '../../shared/money';
import { priceItem, type PricedItem } from '../../shared/pricing/price-item';
import type { NotificationsPort } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { brandOf } from '../notifications/brand';
import type { ChargeMessage, ReminderMessage } from '../notifications/messages/models';
import { priceItems } from '../services/lookup-service';
import type { ChargeRecord } from '../store/charge-store';
import type { NewNotification } from '../store/notification-records';
import type { Store } from '../store/store';
import { chargeToItem } from './charge-item';
import { chargeLink } from './charge-view';

/**
 * The payer messages of a charge (docs/spec/merchant-charges.md "Notifications"), built here from the charge's
 * own row and written by the store in the transaction of the change that causes them:
 *
 * - the notice (`notice:{charge}`): the first time the charge is payable — created active, activated by PATCH
 *   or on its reminder_date, or updated into a notifiable state — with `user_notification` on a message
 *   channel. One per charge: later changes do not send it again.
 * - a reminder (`reminder:{charge}:{entry id}`): a fixed late-fee or incentive entry with `reminder: true`
 *   on its date (the charge job; shared/charges/charge-reminders.ts says which).
 *
 * Opt-in is the charge's: nothing without `user_notification: true` and a channel other than `link`, and
 * messages go only on the charge's channel (the one the payer authorised, Ley 2300) — a reminder whose
 * `reminder_channel` names another channel goes on the charge's. The law's hours and per-payer limits are
 * applied when the row is sent (bff/notifications/law).
 */

export interface ChargeMessageContext {
  readonly merchant: MerchantConfig;
  readonly publicUrl: string;
  /** Absent when this portal sends no payer messages: nothing is queued. */
  readonly notifications: NotificationsPort | undefined;
}

const ACTIVE = new Set(['pending', 'unlimit']);

/** The address the charge's messages go to, or null when the payer did not opt in (or has no address). */
export function chargeRecipient(
  d: ChargeDetails,
): { readonly channel: 'email' | 'whatsapp'; readonly to: string } | null {
  if (!d.user_notification || d.channel === 'link') return null;
  const to = d.channel === 'email' ? d.payer.email : d.payer.phone;
  return to ? { channel: d.channel, to } : null;
}

/** Why the charge's unsent messages must not go any more after a change, or null when they still may. */
export function withdrawReason(before: ChargeRecord, after: Pick<ChargeRecord, 'status' | 'details'>) {
  if (after.status === 'cancelled') return 'charge cancelled';
  if (after.status === 'expired') return 'charge expired';
  const was = chargeRecipient(before.details);
  const now = chargeRecipient(after.details);
  if (was !== null && now === null) return 'notifications turned off';
  if (was !== null && now !== null && (was.channel !== now.channel || was.to !== now.to))
    return 'recipient changed';
  if (offlineBlock(after.details.process_type) !== null) return 'collected outside the portal';
  return null;
}

/** A charge priced alone on `today`, with nothing paid yet (a charge that just became payable). */
export function priceNewCharge(merchant: MerchantConfig, charge: ChargeRecord, today: IsoDate): PricedItem {
  return priceItem(chargeToItem(charge), {
    today,
    merchantMinimum: merchant.minimumPayment[charge.currency] ?? 0n,
    gatewayMinimum: merchant.payu.minimumPayment[charge.currency] ?? 0n,
    merchantLateFees: merchant.lateFees ?? null,
    paid: 0n,
    pending: false,
  });
}

function payerKey(ctx: ChargeMessageContext, charge: ChargeRecord, to: string): string {
  const keys = ctx.notifications!.payerKeys;
  return charge.payerIdNumber !== null
    ? keys.byIdNumber(ctx.merchant.id, charge.payerIdNumber)
    : keys.byAddress(ctx.merchant.id, to);
}

/** The charge notice, when the charge is payable now (priced for today) and its payer opted in. */
export function noticeNotifications(
  ctx: ChargeMessageContext,
  charge: ChargeRecord,
  priced: PricedItem,
  now: Date,
): NewNotification[] {
  const recipient = chargeRecipient(charge.details);
  if (!ctx.notifications || !recipient || !ACTIVE.has(charge.status) || !priced.payable) return [];
  const d = charge.details;
  const message: ChargeMessage = {
    kind: 'charge',
    brand: brandOf(ctx.merchant),
    locale: ctx.merchant.locale,
    maskedName: maskName(d.payer.first_name),
    description: d.description,
    currency: charge.currency,
    amountDue: formatMinor(priced.balance, charge.currency),
    dueDate: d.limit_date,
    incentiveUntil: priced.discount > 0n ? priced.discountUntil : null,
    url: chargeLink(ctx.publicUrl, charge),
  };
  return [
    {
      merchantId: charge.merchantId,
      dedupeKey: `notice:${charge.externalReference}`,
      kind: 'charge',
      channel: recipient.channel,
      recipient: recipient.to,
      payerKey: payerKey(ctx, charge, recipient.to),
      chargeId: charge.externalReference,
      content: JSON.stringify(message),
      notBefore: now,
      now,
    },
  ];
}

/**
 * One reminder of a fixed entry. `payableToday` says whether the charge can be paid today (paid, in review,
 * cancelled… → no reminder); `after` is the charge priced once the change took effect (the late fee's day,
 * or the day after the incentive's last day): its balance is the message's "new amount".
 */
export function reminderNotification(
  ctx: ChargeMessageContext,
  charge: ChargeRecord,
  reminder: ReminderEntry,
  payableToday: boolean,
  after: PricedItem,
  now: Date,
): NewNotification[] {
  const recipient = chargeRecipient(charge.details);
  if (!ctx.notifications || !recipient || !ACTIVE.has(charge.status) || !payableToday) return [];
  const d = charge.details;
  const message: ReminderMessage = {
    kind: 'reminder',
    brand: brandOf(ctx.merchant),
    locale: ctx.merchant.locale,
    maskedName: maskName(d.payer.first_name),
    template: reminder.entry.reminder_template ?? '',
    event: reminder.event,
    description: d.description,
    currency: charge.currency,
    amountDue: formatMinor(after.balance, charge.currency),
    url: chargeLink(ctx.publicUrl, charge),
  };
  return [
    {
      merchantId: charge.merchantId,
      dedupeKey: `reminder:${charge.externalReference}:${reminder.entry.id}`,
      kind: 'reminder',
      channel: recipient.channel,
      recipient: recipient.to,
      payerKey: payerKey(ctx, charge, recipient.to),
      chargeId: charge.externalReference,
      content: JSON.stringify(message),
      notBefore: now,
      now,
    },
  ];
}

/**
 * Asked by the notification job just before a notice or reminder goes: a message queued earlier must not reach
 * a payer who has paid since (or whose charge was cancelled, expired, collected offline, or who was opted out).
 * Returns why it must not go, or null.
 */
export async function chargeMessageWithdrawReason(
  deps: { readonly store: Store },
  merchant: MerchantConfig,
  chargeId: string,
  at: Date,
): Promise<string | null> {
  const charge = await deps.store.getCharge(merchant.id, chargeId);
  if (!charge) return 'charge not found';
  if (!ACTIVE.has(charge.status)) return `charge ${charge.status}`;
  if (chargeRecipient(charge.details) === null) return 'notifications turned off';
  const today = calendarDateIn(merchant.timezone, at);
  const [priced] = await priceItems(deps, merchant, [chargeToItem(charge)], today, at);
  if (priced && !priced.payable && priced.blockedReason !== 'payment_pending')
    return `not payable: ${priced.blockedReason ?? 'unknown'}`;
  return null;
}
