import type { CheckoutResponse } from '../../../shared/api/schemas';

/**
 * PayU's WebCheckout is opened by POSTing the signed fields top-level (docs/spec/payu-webcheckout.md: never inside
 * the merchant's iframe). The action comes from our own BFF; still, only https or our own origin (the
 * local PayU simulator) is accepted, so a bad answer cannot send the payer's data elsewhere in clear text.
 */
export function isAllowedAction(action: string, location: Pick<Location, 'href' | 'origin'>): boolean {
  try {
    const url = new URL(action, location.href);
    return url.protocol === 'https:' || url.origin === location.origin;
  } catch {
    return false;
  }
}

/** Hidden inputs in the order the BFF sent them; the form element itself is rendered by PaymentRedirect. */
export function formFields(checkout: CheckoutResponse): [string, string][] {
  return Object.entries(checkout.fields);
}
