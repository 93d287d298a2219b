import { randomUUID } from 'node:crypto';
import { formatMinor } from '../../shared/money';
import type { MerchantConfig } from '../config/config-schema';
import type { ReturnRecord } from '../store/returns-store';
import type { NewOutboxMessage } from '../store/store';

export type ReturnEventType =
  | 'return.created'
  | 'return.approved'
  | 'return.rejected'
  | 'return.paid'
  | 'return.failed'
  | 'return.cancelled';

/** The merchant's public view of a return: API answers and webhooks carry the same shape. */
export function returnView(ret: ReturnRecord) {
  return {
    id: ret.id,
    reference: ret.reference,
    state: ret.state,
    reason: ret.reason,
    note: ret.note,
    amount: formatMinor(ret.amount, ret.currency),
    currency: ret.currency,
    route: ret.route,
    items: ret.items.map((i) => ({ ref_payment: i.ref, amount: formatMinor(i.amount, ret.currency) })),
    bankAccount: ret.bankMasked,
    payout: ret.payout.paymentOrderId
      ? {
          paymentOrderId: ret.payout.paymentOrderId,
          payoutState: ret.payout.payoutState,
          orderStatus: ret.payout.orderStatus,
          expectedArrival: ret.payout.expectedArrivalAt?.toISOString() ?? null,
        }
      : null,
    failure: ret.failure,
    createdAt: ret.createdAt.toISOString(),
    updatedAt: ret.updatedAt.toISOString(),
  };
}

/** One Standard Webhooks message per return event (same outbox and signing as payment events). */
export function returnEventMessages(
  merchant: MerchantConfig,
  type: ReturnEventType,
  ret: ReturnRecord,
  now: Date,
): NewOutboxMessage[] {
  if (!merchant.webhook) return [];
  return [
    {
      messageId: `msg_${randomUUID().replace(/-/g, '')}`,
      merchantId: merchant.id,
      url: merchant.webhook.url,
      body: JSON.stringify({
        type,
        timestamp: now.toISOString(),
        data: { merchantId: merchant.id, ...returnView(ret) },
      }),
    },
  ];
}
