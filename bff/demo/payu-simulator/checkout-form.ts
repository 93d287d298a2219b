import { z } from 'zod';
import { isCurrency } from '../../../shared/money';
import { isValidPayuReference } from '../../payu/form';
import { isPayuAlgorithm, type PayuAlgorithm } from '../../payu/signature';

/** The WebCheckout form as PayU's gateway reads it (docs/spec/payu-webcheckout.md "Form fields"). */

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((s) => (s === undefined || s === '' ? undefined : s));

const decimalText = z.string().regex(/^\d{1,15}(?:\.\d{1,2})?$/, 'must be a number with at most 2 decimals');
const callbackUrl = z.string().max(2048).url();

/** What PayU's gateway validates on the posted form (see "Form fields the portal sends"). */
export const checkoutFormSchema = z.object({
  merchantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  accountId: z.string().regex(/^\d{1,20}$/),
  description: z.string().min(1).max(255),
  referenceCode: z.string().refine(isValidPayuReference, 'must be 1-255 letters, digits, "-" or "_"'),
  amount: decimalText,
  // Refused when missing rather than reproducing PayU Colombia's silent 19 % VAT: the bug is meant to show.
  tax: decimalText,
  taxReturnBase: decimalText,
  currency: z.string().refine(isCurrency, 'unsupported currency'),
  signature: z.string().regex(/^[0-9a-fA-F]{32,64}$/),
  algorithmSignature: z
    .string()
    .optional()
    .refine((a) => a === undefined || isPayuAlgorithm(a), 'must be MD5, SHA or SHA256'),
  test: z.enum(['0', '1']).optional(),
  lng: optionalText(5),
  buyerEmail: z
    .string()
    .max(255)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address'),
  buyerFullName: optionalText(150),
  telephone: optionalText(20),
  responseUrl: callbackUrl,
  confirmationUrl: callbackUrl,
  paymentMethods: optionalText(255),
  iin: optionalText(255),
  pseBanks: optionalText(255),
  shippingAddress: optionalText(255),
  shippingCity: optionalText(50),
  shippingCountry: optionalText(2),
  extra1: optionalText(255),
  extra2: optionalText(255),
  extra3: optionalText(255),
});

export type CheckoutForm = z.infer<typeof checkoutFormSchema>;

/** One posted form the payer has not finished yet, kept by the simulator's random checkout id. */
export interface Checkout {
  readonly form: CheckoutForm;
  readonly algorithm: PayuAlgorithm;
  readonly lng: 'es' | 'en';
  readonly createdAt: number;
  done: boolean;
}
