import { randomUUID } from 'node:crypto';
import type { MerchantConfig } from '../config/config-schema';
import type { NotificationRecord } from '../store/notification-records';
import type { NewOutboxMessage } from '../store/store';

/**
 * The merchant's `notification.failed` webhook (docs/spec/notifications.md "Delivery guarantees"), written in
 * the transaction that marks the message failed and delivered by the webhook dispatcher like every event.
 * It names the message, never the payer's address.
 */
export function notificationFailedMessages(
  merchant: MerchantConfig | undefined,
  n: NotificationRecord,
  now: Date,
): NewOutboxMessage[] {
  if (!merchant?.webhook) return [];
  const body = JSON.stringify({
    type: 'notification.failed',
    timestamp: now.toISOString(),
    data: {
      merchantId: n.merchantId,
      notificationId: n.id,
      kind: n.kind,
      channel: n.channel,
      chargeId: n.chargeId,
      error: n.lastError,
      attempts: n.attempts,
    },
  });
  return [
    {
      messageId: `msg_${randomUUID().replace(/-/g, '')}`,
      merchantId: merchant.id,
      url: merchant.webhook.url,
      body,
    },
  ];
}
