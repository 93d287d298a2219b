import { REFERENCE_KEYS } from '../../shared/charges/charge-fields';
import { isOnlinePart, offlineBlock } from '../../shared/charges/process-type';
import type { IsoDate } from '../../shared/dates';
import { toMinor } from '../../shared/money';
import type { IncentivePolicy } from '../../shared/pricing/incentive';
import type { LateFeePolicy } from '../../shared/pricing/late-fee-policy';
import type { ChargePricing, PayableItem } from '../../shared/pricing/price-item';
import { CHARGE_KEY_PREFIX, chargeItemKey, type ChargeRecord } from '../store/charge-store';

/**
 * A stored charge as one more pending item of the payer (docs/spec/merchant-charges.md "Statuses the payer
 * sees"): priced by the same function as ERP items, with its incentive in place of the ERP discount, no
 * delivery, no partial payments.
 */

/** What a checkout item of a charge carries to webhooks and the result page. */
export interface ChargeItemMetadata {
  readonly external_reference: string;
  readonly affiliate: ChargeRecord['details']['affiliate'];
  readonly invoice: ChargeRecord['details']['invoice'];
  readonly return_url: string | null;
  readonly attachment: string | null;
}

/** Is the charge shown to the payer today? `created` never; `scheduled` from its reminder_date on. */
export function isVisible(charge: ChargeRecord, today: IsoDate): boolean {
  if (charge.status === 'created') return false;
  if (charge.status === 'scheduled') {
    // The job flips it on reminder_date; reading the date here too keeps the page right while the job catches up.
    return charge.details.reminder_date !== null && charge.details.reminder_date <= today;
  }
  return true;
}

export function chargeToItem(charge: ChargeRecord): PayableItem {
  const d = charge.details;
  let block: ChargePricing['block'];
  if (charge.status === 'cancelled') block = 'cancelled';
  else if (charge.status === 'expired') block = 'expired';
  else block = offlineBlock(d.process_type);
  let paidOffline = 0n;
  if (d.process_type === 'split' && d.split) {
    for (const part of d.split) {
      if (!isOnlinePart(part.payment_method)) paidOffline += toMinor(part.amount, charge.currency) ?? 0n;
    }
  }
  const metadata: ChargeItemMetadata = {
    external_reference: charge.externalReference,
    affiliate: d.affiliate,
    invoice: d.invoice,
    return_url: d.return_url,
    attachment: d.attachment,
  };
  return {
    ref: charge.externalReference,
    source: 'charge',
    description: d.description,
    currency: charge.currency,
    amount: charge.amount,
    payerName: d.payer.first_name,
    advance: null,
    metadata,
    limitDate: d.limit_date,
    discount: null,
    delivery: 0n,
    requestAddressDelivery: false,
    references: REFERENCE_KEYS.map((k) => d.references[k]).filter((r): r is string => r !== null && r !== ''),
    picture: null,
    webhookUrl: null,
    comments: { enabled: false, label: null },
    // Fixed entries carry ids and reminder settings beside date and value; pricing reads date and value.
    lateFees: d.late_fees as LateFeePolicy | null,
    expiration: d.expiration && charge.status !== 'unlimit',
    charge: { incentive: d.advance_payment as IncentivePolicy | null, block, paidOffline },
  };
}

/** The key an item has in checkouts, holds and payments. */
export function itemKey(item: PayableItem): string {
  return item.source === 'charge' ? chargeItemKey(item.ref) : item.ref;
}

/** A stored checkout item's key → what the merchant and the payer see: the ref and its source. */
export function displayRef(key: string): { ref: string; source: 'erp' | 'charge' } {
  return key.startsWith(CHARGE_KEY_PREFIX)
    ? { ref: key.slice(CHARGE_KEY_PREFIX.length), source: 'charge' }
    : { ref: key, source: 'erp' };
}

/** The "ver soporte" link of a charge item. */
export function chargeAttachment(item: PayableItem): string | null {
  return item.source === 'charge' ? ((item.metadata as ChargeItemMetadata).attachment ?? null) : null;
}

/** A charge's own return_url ("back to the store") when the payment was of charges that name one. */
export function chargeReturnUrl(items: readonly { ref: string; metadata: unknown }[]): string | null {
  for (const item of items) {
    if (!item.ref.startsWith(CHARGE_KEY_PREFIX)) continue;
    const url = (item.metadata as Partial<ChargeItemMetadata> | null)?.return_url;
    if (typeof url === 'string') return url;
  }
  return null;
}
