/** The config's merchant id rule (2–40 of a-z, 0-9, -); a plain regex so the first page does not load zod. */
const MERCHANT_ID = /^[a-z0-9-]{2,40}$/;

export function isMerchantId(value: string): boolean {
  return MERCHANT_ID.test(value);
}
