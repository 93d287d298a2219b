import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The view token of one payment (issue 9.8): whoever has the reference sees its status and amounts; only
 * the browser that made the checkout, which got this token with the checkout's answer, sees the item
 * descriptions. It is an HMAC of merchant and reference under a key derived from `linkSecret`, so nothing
 * is stored, a replayed checkout returns the same token, and every instance can check it.
 */
export interface PaymentViewTokens {
  issue(merchantId: string, reference: string): string;
  verify(merchantId: string, reference: string, token: string | undefined): boolean;
}

export const PAYMENT_VIEW_HEADER = 'X-Payment-View-Token';

export function createPaymentViewTokens(secret: string): PaymentViewTokens {
  const key = Buffer.from(hkdfSync('sha256', secret, 'saldo-payment-view', 'hmac-sha256 v1', 32));
  const mac = (merchantId: string, reference: string) =>
    createHmac('sha256', key).update(`${merchantId}\0${reference}`).digest();
  return {
    issue: (merchantId, reference) => mac(merchantId, reference).toString('base64url'),
    verify(merchantId, reference, token) {
      if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
      return timingSafeEqual(Buffer.from(token, 'base64url'), mac(merchantId, reference));
    },
  };
}
