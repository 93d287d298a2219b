import { randomBytes } from 'node:crypto';
import { formatMinor, type Currency } from '../../shared/money';
import { signRequest, type PayuAlgorithm } from './signature';

export type PayuMode = 'production' | 'sandbox' | 'simulator';

export interface PayuConfig {
  readonly mode: PayuMode;
  readonly merchantId: string;
  readonly accountId: string;
  readonly apiKey: string;
  /** Defaults to SHA256, the strongest PayU accepts (the spec: "Prefer SHA256"). */
  readonly algorithm?: PayuAlgorithm;
}

export const PAYU_CHECKOUT_URLS = {
  production: 'https://checkout.payulatam.com/ppp-web-gateway-payu/',
  sandbox: 'https://sandbox.checkout.payulatam.com/ppp-web-gateway-payu/',
} as const;

export interface PayuBuyer {
  readonly email: string;
  readonly fullName: string;
  readonly phone: string;
}

export interface PayuShipping {
  readonly street: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2, e.g. `CO`. */
  readonly country: string;
}

export interface BuildPayuFormInput {
  readonly payu: PayuConfig;
  /** Where the local simulator's checkout listens; required in simulator mode. */
  readonly simulatorUrl?: string;
  readonly reference: string;
  readonly description: string;
  /** Minor units of `currency`. */
  readonly amount: bigint;
  readonly currency: Currency;
  readonly buyer: PayuBuyer;
  readonly lng: 'es' | 'en';
  readonly responseUrl: string;
  readonly confirmationUrl: string;
  readonly shipping?: PayuShipping;
  readonly extra1?: string;
  readonly extra2?: string;
  readonly extra3?: string;
}

export interface PayuForm {
  readonly action: string;
  readonly method: 'POST';
  readonly fields: Record<string, string>;
}

/** PayU: `description`, `referenceCode` and `extra1..3` hold at most 255 characters. */
export const PAYU_MAX_TEXT = 255;
const REFERENCE_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

export function isValidPayuReference(reference: string): boolean {
  return REFERENCE_PATTERN.test(reference);
}

export function payuCheckoutUrl(mode: PayuMode, simulatorUrl?: string): string {
  if (mode !== 'simulator') return PAYU_CHECKOUT_URLS[mode];
  if (!simulatorUrl) throw new Error('payu: simulator mode needs simulatorUrl');
  return simulatorUrl;
}

/**
 * Cuts text to PayU's 255-character limit without splitting a character: whole grapheme clusters only
 * (an emoji or an accented letter built from two code points stays whole), counted in UTF-16 units as
 * PayU's Java backend counts them, ending with `…` so a shortened description reads as shortened.
 */
export function truncateForPayu(text: string, max = PAYU_MAX_TEXT): string {
  const clean = text.replace(/\p{Cc}+/gu, ' ').trim();
  if (clean.length <= max) return clean;
  const budget = max - 1;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(clean)) {
    if (out.length + segment.length > budget) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

function checkExtra(name: string, value: string | undefined): void {
  if (value !== undefined && value.length > PAYU_MAX_TEXT) {
    // Extras are echoed back and may carry identifiers, so they are refused rather than silently cut.
    throw new RangeError(`payu: ${name} longer than ${PAYU_MAX_TEXT} characters`);
  }
}

/**
 * The signed WebCheckout form. The browser posts it top-level to `action`; the API key only enters the
 * signature. `tax` and `taxReturnBase` are always 0: without them PayU Colombia adds 19 % VAT on its own.
 */
export function buildPayuForm(input: BuildPayuFormInput): PayuForm {
  const { payu } = input;
  if (!isValidPayuReference(input.reference)) {
    throw new RangeError('payu: referenceCode must be 1-255 letters, digits, "-" or "_"');
  }
  if (input.amount <= 0n) throw new RangeError('payu: amount must be positive');
  checkExtra('extra1', input.extra1);
  checkExtra('extra2', input.extra2);
  checkExtra('extra3', input.extra3);

  const algorithm = payu.algorithm ?? 'SHA256';
  // COP is charged in whole pesos ("20000"), USD with two decimals ("25.50"); the signature covers this
  // very string.
  const amount = formatMinor(input.amount, input.currency);
  const signature = signRequest({
    apiKey: payu.apiKey,
    merchantId: payu.merchantId,
    referenceCode: input.reference,
    amount,
    currency: input.currency,
    algorithm,
  });

  const fields: Record<string, string> = {
    merchantId: payu.merchantId,
    accountId: payu.accountId,
    description: truncateForPayu(input.description),
    referenceCode: input.reference,
    amount,
    tax: '0',
    taxReturnBase: '0',
    currency: input.currency,
    signature,
    algorithmSignature: algorithm,
    test: payu.mode === 'production' ? '0' : '1',
    lng: input.lng,
    buyerEmail: input.buyer.email,
    buyerFullName: input.buyer.fullName,
    telephone: input.buyer.phone,
    responseUrl: input.responseUrl,
    confirmationUrl: input.confirmationUrl,
  };
  if (input.shipping) {
    fields.shippingAddress = input.shipping.street;
    fields.shippingCity = input.shipping.city;
    fields.shippingCountry = input.shipping.country;
  }
  if (input.extra1 !== undefined) fields.extra1 = input.extra1;
  if (input.extra2 !== undefined) fields.extra2 = input.extra2;
  if (input.extra3 !== undefined) fields.extra3 = input.extra3;

  return { action: payuCheckoutUrl(payu.mode, input.simulatorUrl), method: 'POST', fields };
}

/**
 * A fresh `referenceCode`: 144 random bits in base64url (PayU allows letters, digits, `-` and `_`), so
 * references cannot be guessed to read someone's payment status. 28 characters with the default prefix.
 */
export function newPaymentReference(prefix = 'SLD-'): string {
  const reference = prefix + randomBytes(18).toString('base64url');
  if (!isValidPayuReference(reference)) throw new RangeError('payu: invalid reference prefix');
  return reference;
}
