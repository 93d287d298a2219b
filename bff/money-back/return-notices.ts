import { E164 } from '../../shared/api/notification-schemas';
import { maskName } from '../../shared/mask';
import { formatMinor } from '../../shared/money';
import type { ReturnState } from '../../shared/money-back/return-state';
import type { NotificationsPort } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { brandOf } from '../notifications/brand';
import type { MessageLocale, ReturnMessage } from '../notifications/messages/models';
import type { NewNotification, NotificationChannel } from '../store/notification-records';
import type { ReturnRecord } from '../store/returns-store';
import type { CheckoutRecord } from '../store/store';

/**
 * The payer's notices about money going back (docs/spec/money-back.md "Payer notices"): by email to the
 * address given at checkout and by WhatsApp to its phone, in the language the payer paid in. Built inside
 * the return's state change (transitionReturn's `notifications`), so a notice commits with the move that
 * caused it; its key `return:{id}:{event}:{channel}` makes a repeated move (a duplicate PayU notice, a retry)
 * a no-op. A return notice is not a collection message: the collection law's hours and limits do not apply.
 */
export type ReturnNoticeEvent = ReturnMessage['event'];

/** Which notice a move is worth, if any: bank details needed, money sent (bank or card), money arrived. */
export function returnNoticeEvent(
  route: ReturnRecord['route'],
  from: ReturnState,
  to: ReturnState,
): ReturnNoticeEvent | null {
  if (from === to || route === 'none') return null;
  if (to === 'awaiting_details' && route === 'payout') return 'details';
  if (to === 'in_bank' && route === 'payout') return 'sent';
  if (to === 'sending' && route === 'refund' && from === 'approved') return 'sent';
  if (to === 'paid') return 'paid';
  return null;
}

/**
 * The phone given at checkout as E.164 digits for WhatsApp, or null. A 10-digit number starting with 3 is a
 * Colombian mobile and gets 57; anything else must already carry its country code.
 */
export function whatsappNumber(phone: string | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^0-9]/g, '');
  if (/^3\d{9}$/.test(digits)) return `57${digits}`;
  return E164.test(digits) && digits.length >= 11 ? digits : null;
}

export interface ReturnNoticeInput {
  readonly merchant: MerchantConfig;
  readonly checkout: CheckoutRecord | null;
  readonly event: ReturnNoticeEvent;
  /** The sealed return page for this return (return-link.ts). */
  readonly url: string;
  readonly now: Date;
}

/** The outbox rows of one notice, on every channel this merchant can send a return notice on. */
export function returnNotifications(
  port: NotificationsPort | undefined,
  input: ReturnNoticeInput,
  ret: ReturnRecord,
): NewNotification[] {
  const { merchant, checkout, event, now } = input;
  if (!port || !checkout || ret.route === 'none') return [];
  const fields = checkout.fields;
  const locale: MessageLocale =
    fields.lng === 'en' ? 'en-US' : fields.lng === 'es' ? 'es-CO' : merchant.locale;
  const message: ReturnMessage = {
    kind: 'return',
    brand: brandOf(merchant),
    locale,
    maskedName: maskName(fields.buyerFullName ?? null),
    event,
    route: ret.route,
    reference: ret.reference,
    currency: ret.currency,
    amount: formatMinor(ret.amount, ret.currency),
    bankAccount: ret.bankMasked,
    expectedArrival: ret.payout.expectedArrivalAt?.toISOString() ?? null,
    url: input.url,
  };
  const content = JSON.stringify(message);
  const targets: [NotificationChannel, string | null][] = [
    ['email', fields.buyerEmail ?? null],
    ['whatsapp', whatsappNumber(fields.telephone)],
  ];
  return targets.flatMap(([channel, recipient]) =>
    recipient && port.available(merchant, channel, 'return')
      ? [
          {
            merchantId: merchant.id,
            dedupeKey: `return:${ret.id}:${event}:${channel}`,
            kind: 'return' as const,
            channel,
            recipient,
            payerKey: port.payerKeys.byAddress(merchant.id, recipient),
            chargeId: null,
            content,
            notBefore: now,
            now,
          },
        ]
      : [],
  );
}
