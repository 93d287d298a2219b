import { randomUUID } from 'node:crypto';
import { formatMinor } from '../../shared/money';
import type { MerchantConfig } from '../config/config-schema';
import type { ChargeRecord } from '../store/charge-store';
import type { NewOutboxMessage } from '../store/store';
import { chargeLink } from './charge-view';

/**
 * Merchant webhooks of a charge's life (docs/spec/merchant-charges.md "Events"), signed and sent by the same
 * outbox as payment events. The payer's contact data stays out: the merchant has it, a webhook log need not.
 */
export type ChargeEventType =
  'charge.created' | 'charge.activated' | 'charge.updated' | 'charge.expired' | 'charge.cancelled';

export function chargeEventMessages(
  merchant: MerchantConfig,
  publicUrl: string,
  charge: ChargeRecord,
  type: ChargeEventType,
  now: Date,
): NewOutboxMessage[] {
  if (!merchant.webhook) return [];
  const d = charge.details;
  const body = JSON.stringify({
    type,
    timestamp: now.toISOString(),
    data: {
      merchantId: merchant.id,
      external_reference: charge.externalReference,
      process_id: charge.processId,
      status: charge.status,
      state: d.state,
      process_type: d.process_type,
      amount: formatMinor(charge.amount, charge.currency),
      currency: charge.currency,
      description: d.description,
      link: chargeLink(publicUrl, charge),
      reminder_date: d.reminder_date,
      limit_date: d.limit_date,
      affiliate: d.affiliate,
      invoice: d.invoice,
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
