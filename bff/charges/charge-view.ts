import type { LookupItem } from '../../shared/api/schemas';
import { REFERENCE_KEYS } from '../../shared/charges/charge-fields';
import { formatMinor } from '../../shared/money';
import type { ChargePayment, ChargeRecord } from '../store/charge-store';

/**
 * The JSON a merchant reads back (docs/spec/merchant-charges.md "Endpoints"): every stored field under the
 * seeds' own names, entry ids, status, payments and, for one charge, today's priced numbers.
 */

export function chargeLink(publicUrl: string, charge: ChargeRecord): string {
  return `${publicUrl}/${encodeURIComponent(charge.merchantId)}/c/${charge.linkId}`;
}

/** Seed 004: an express `qr` charge answers with an SVG QR code of its link, served by the portal. */
export function chargeQrUrl(publicUrl: string, charge: ChargeRecord): string | null {
  const d = charge.details;
  const wantsQr =
    (d.process_type === 'express' && d.express?.method === 'qr') ||
    (d.process_type === 'split' && (d.split ?? []).some((p) => p.express?.method === 'qr'));
  if (!wantsQr) return null;
  return `${publicUrl}/api/v1/merchants/${encodeURIComponent(charge.merchantId)}/charges/${charge.linkId}/qr.svg`;
}

export function chargeView(
  publicUrl: string,
  charge: ChargeRecord,
  extra: { payments?: readonly ChargePayment[]; priced?: LookupItem } = {},
) {
  const d = charge.details;
  const c = charge.currency;
  return {
    external_reference: charge.externalReference,
    process_id: charge.processId,
    link: chargeLink(publicUrl, charge),
    qr_url: chargeQrUrl(publicUrl, charge),
    status: charge.status,
    state: d.state,
    process_type: d.process_type,
    channel: d.channel.toUpperCase(),
    currency: c,
    amount: formatMinor(charge.amount, c),
    description: d.description,
    ...Object.fromEntries(REFERENCE_KEYS.map((k) => [k, d.references[k]])),
    user_notification: d.user_notification,
    expected_amount: d.expected_amount,
    expected_date: d.expected_date,
    reminder_date: d.reminder_date,
    limit_date: d.limit_date,
    merchant_id_number: d.merchant_id_number,
    merchant_phone: d.merchant_phone,
    merchant_email: d.merchant_email,
    return_url: d.return_url,
    expiration: d.expiration,
    attachment: d.attachment,
    comments: d.comments,
    payer: d.payer,
    affiliate: d.affiliate,
    invoice: d.invoice,
    late_fees: d.late_fees,
    advance_payment: d.advance_payment,
    return: d.return,
    express: d.express,
    external: d.external,
    split: d.split,
    created_at: charge.createdAt.toISOString(),
    updated_at: charge.updatedAt.toISOString(),
    ...(extra.payments
      ? {
          payments: extra.payments.map((p) => ({
            reference: p.reference,
            status: p.status,
            amount: formatMinor(p.amount, c),
            created_at: p.createdAt.toISOString(),
            updated_at: p.updatedAt.toISOString(),
          })),
        }
      : {}),
    ...(extra.priced ? { priced: extra.priced } : {}),
  };
}

export type ChargeView = ReturnType<typeof chargeView>;
