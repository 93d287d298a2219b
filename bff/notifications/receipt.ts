import type { PaymentStatus } from '../../shared/api/schemas';
import { calendarDateIn } from '../../shared/dates';
import { formatMinor } from '../../shared/money';
import type { AppDeps } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { receiptPath } from '../receipts/receipt-paths';
import type { NewNotification } from '../store/notification-records';
import type { CheckoutRecord } from '../store/store';
import { brandOf } from './brand';
import type { ReceiptMessage } from './messages/models';
import type { PayerKeys } from './payer-key';

/**
 * Seed 000's copy of the result: when a checkout becomes approved, one receipt to the buyer email given at
 * checkout (it travels in the signed PayU form as `buyerEmail`). Built synchronously inside the confirmation's
 * transaction, so the receipt commits with the approval; its key makes a second approval path a no-op.
 */
export function receiptNotifications(
  merchant: MerchantConfig,
  checkout: CheckoutRecord,
  status: PaymentStatus,
  now: Date,
  publicUrl: string,
  payerKeys: PayerKeys,
): NewNotification[] {
  const email = checkout.fields.buyerEmail;
  if (status !== 'approved' || !email) return [];
  const message: ReceiptMessage = {
    kind: 'receipt',
    brand: brandOf(merchant),
    locale: merchant.locale,
    maskedName: null,
    reference: checkout.reference,
    payuReference: checkout.payuReference,
    paidOn: calendarDateIn(merchant.timezone, now),
    currency: checkout.currency,
    total: formatMinor(checkout.amount, checkout.currency),
    items: checkout.items.map((i) => ({
      ref: i.ref,
      description: i.description,
      amount: formatMinor(i.amount, checkout.currency),
    })),
    url: `${publicUrl}/${encodeURIComponent(merchant.id)}/pay/result/${encodeURIComponent(checkout.reference)}`,
    receiptUrl: checkout.receiptToken
      ? `${publicUrl}${receiptPath(merchant.id, checkout.receiptToken)}`
      : null,
  };
  return [
    {
      merchantId: merchant.id,
      dedupeKey: `receipt:${checkout.reference}`,
      kind: 'receipt',
      channel: 'email',
      recipient: email,
      payerKey: payerKeys.byAddress(merchant.id, email),
      chargeId: null,
      content: JSON.stringify(message),
      notBefore: now,
      now,
    },
  ];
}

/** The payer messages of one payment state change: the receipt, when this portal can send email. */
export function paymentNotifications(
  deps: Pick<AppDeps, 'notifications' | 'config'>,
  merchant: MerchantConfig,
  checkout: CheckoutRecord,
  status: PaymentStatus,
  now: Date,
): NewNotification[] {
  const n = deps.notifications;
  if (!n || !n.available(merchant, 'email', 'receipt')) return [];
  return receiptNotifications(merchant, checkout, status, now, deps.config.publicUrl, n.payerKeys);
}
