import { randomUUID } from 'node:crypto';
import type { PaymentStatus } from '../../shared/api/schemas';
import { formatMinor } from '../../shared/money';
import { displayRef, type ChargeItemMetadata } from '../charges/charge-item';
import type { MerchantConfig } from '../config/config-schema';
import { totalsView, withheldView } from '../receipts/receipt-view';
import type { CheckoutRecord, NewOutboxMessage } from '../store/store';

/**
 * The merchant event for one committed state change (docs/spec/http-api.md "Merchant webhooks"): one message, one
 * `webhook-id`, fanned out to the merchant's webhook.url and to every distinct item result_urls.webhook.
 * The body is serialised here, once, so every retry sends the same bytes under the same id.
 * Without a webhook secret nothing can be signed, so nothing is sent (documented in the README).
 */
export function paymentEventMessages(
  merchant: MerchantConfig,
  checkout: CheckoutRecord,
  status: PaymentStatus,
  now: Date,
): NewOutboxMessage[] {
  if (!merchant.webhook) return [];
  const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
  const body = JSON.stringify({
    type: `payment.${status}`,
    timestamp: now.toISOString(),
    data: {
      merchantId: merchant.id,
      reference: checkout.reference,
      status,
      amount: formatMinor(checkout.amount, checkout.currency),
      currency: checkout.currency,
      payuReference: checkout.payuReference,
      transactionId: checkout.transactionId,
      items: checkout.items.map((i) => {
        const { ref, source } = displayRef(i.ref);
        const base = {
          ref_payment: ref,
          description: i.description,
          amount: formatMinor(i.amount, checkout.currency),
          ...withheldView(i, checkout.currency),
        };
        if (source === 'erp') return { ...base, metadata: i.metadata ?? null };
        // docs/spec/merchant-charges.md "Events": what the merchant's accounting integration needs.
        const m = (i.metadata ?? {}) as Partial<ChargeItemMetadata>;
        return {
          ...base,
          source,
          external_reference: ref,
          affiliate: m.affiliate ?? null,
          invoice: m.invoice ?? null,
        };
      }),
      ...totalsView(checkout),
      comment: checkout.comment,
      deliveryAddress: checkout.deliveryAddress ?? null,
    },
  });
  const urls = new Set<string>([merchant.webhook.url]);
  for (const item of checkout.items) if (item.webhookUrl) urls.add(item.webhookUrl);
  return [...urls].map((url) => ({ messageId, merchantId: merchant.id, url, body }));
}
