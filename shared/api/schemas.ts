import { z } from 'zod';
import { CURRENCIES } from '../money';

/**
 * The portal's HTTP API contract (docs/spec/http-api.md), shared by the BFF (validation) and the SPA (types).
 * Amounts travel as decimal strings with exactly the currency's precision.
 */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_id_number',
  'invalid_token',
  'expired_token',
  'unknown_merchant',
  'unauthorized',
  'not_found',
  'rate_limited',
  'erp_unavailable',
  'erp_bad_response',
  'erp_timeout',
  'amount_out_of_range',
  'remainder_below_minimum',
  'item_paid',
  'unknown_item',
  'payment_pending',
  'mixed_currencies',
  'idempotency_key_reused',
  'idempotency_key_required',
  'invalid_signature',
  'payment_mismatch',
  'payload_too_large',
  'amount_not_allocatable',
  'unknown_withholding',
  'below_minimum',
  'invalid_email',
  'invalid_phone',
  'channel_not_configured',
  'no_pending_items',
  'internal_error',
  // Money back (docs/spec/money-back.md)
  'payment_not_found',
  'payment_not_approved',
  'return_exceeds_payment',
  'invalid_amount',
  'invalid_state',
  'payout_not_cancellable',
  'invalid_bank_details',
  'charge_has_payments',
  'unsupported_method',
  'ambiguous_item',
  'conflict',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One bad field of a request: its JSON path (`items.0.amount`) and what is wrong with it. */
export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

const amountTextSchema = z.string();

/** remainder_below_minimum names the item and the largest partial amount it allows (null: only B). */
export const errorDetailsSchema = z.object({
  ref: z.string().optional(),
  maxAmount: amountTextSchema.nullable().optional(),
});
export type ErrorDetails = z.infer<typeof errorDetailsSchema>;

export const errorBodySchema = z.object({
  error: z
    .object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      /** Present on validation errors: every field that was refused. */
      fields: z.array(fieldErrorSchema).optional(),
      /** amount_not_allocatable: the nearest amounts below and above that can be spread (null: none). */
      lower: z.string().nullable().optional(),
      upper: z.string().nullable().optional(),
    })
    .extend(errorDetailsSchema.shape),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const lookupRequestSchema = z.union([
  z.object({ idNumber: z.string().max(64) }).strict(),
  z.object({ token: z.string().min(1).max(2048) }).strict(),
]);
export type LookupRequest = z.infer<typeof lookupRequestSchema>;

const amountText = amountTextSchema;
export const currencySchema = z.enum(CURRENCIES);

export const BLOCKED_REASONS = [
  'paid',
  'payment_pending',
  'below_minimum',
  'expired',
  'cancelled',
  'in_review',
  'settled_offline',
  'returned',
] as const;

export const ITEM_SOURCES = ['erp', 'charge'] as const;

/** One withholding of an item (docs/spec/business-payments.md §2): what it would be, or was, withheld. */
export const withholdingSchema = z.object({
  code: z.string(),
  label: z.string(),
  base: amountText,
  rate: z.string(),
  amount: amountText,
});
export type Withholding = z.infer<typeof withholdingSchema>;

export const lookupItemSchema = z.object({
  ref: z.string(),
  /** Where the item comes from: the merchant's ERP, or a charge pushed through the merchant API. */
  source: z.enum(ITEM_SOURCES).optional(),
  description: z.string(),
  currency: currencySchema,
  amount: amountText,
  discount: amountText,
  lateFee: amountText,
  delivery: amountText,
  paid: amountText,
  total: amountText,
  balance: amountText,
  minimum: amountText,
  /** The largest partial amount (B − E): a partial payment must leave at least the minimum. Null: only B. */
  maxPartial: amountText.nullable(),
  payable: z.boolean(),
  blockedReason: z.enum(BLOCKED_REASONS).nullable(),
  /** The checkout that holds a `payment_pending` item and when its hold ends (ISO instant). */
  hold: z.object({ reference: z.string(), until: z.string() }).nullable(),
  limitDate: z.string().nullable(),
  discountUntil: z.string().nullable(),
  daysOverdue: z.number().int(),
  references: z.array(z.string()),
  picture: z.string().nullable(),
  comments: z.object({ enabled: z.boolean(), label: z.string().nullable() }),
  deliveryAddressRequired: z.boolean(),
  /** What earlier approved payments withheld (balance = total − paid − withheld). */
  withheld: amountText.optional(),
  /** Each withholding the payer may declare on this item, with its amount if ticked; [] when none. */
  withholdings: z.array(withholdingSchema).optional(),
  /** Charges only: the merchant's support document ("ver soporte"), an https URL. */
  attachment: z.string().nullable().optional(),
});
export type LookupItem = z.infer<typeof lookupItemSchema>;

export const lookupResponseSchema = z.object({
  merchant: z.object({ id: z.string(), name: z.string() }),
  asOf: z.string(),
  payer: z.object({ maskedName: z.string().nullable() }),
  items: z.array(lookupItemSchema),
  skipped: z.number().int(),
  duplicates: z.number().int(),
  /** Statement links that point at one item: its ref, for highlighting (docs/spec/channels.md). */
  linkedRef: z.string().nullable().optional(),
  /**
   * The ERP failed (its error code) and only the payer's charges are listed (docs/spec/merchant-charges.md
   * "When the ERP is down"); absent when every source answered.
   */
  erpError: z.enum(['erp_unavailable', 'erp_bad_response', 'erp_timeout']).optional(),
});
export type LookupResponse = z.infer<typeof lookupResponseSchema>;

export const buyerSchema = z.object({
  email: z.string().trim().max(255).pipe(z.email()),
  fullName: z.string().trim().min(3).max(150),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{7,20}$/),
});
export type Buyer = z.infer<typeof buyerSchema>;

export const deliveryAddressSchema = z.object({
  street: z.string().trim().min(3).max(100),
  city: z.string().trim().min(2).max(50),
  country: z.string().trim().length(2).default('CO'),
});
export type DeliveryAddress = z.infer<typeof deliveryAddressSchema>;

const checkoutBase = {
  items: z
    .array(
      z
        .object({
          ref: z.string().min(1).max(191),
          // Plain decimal text; the precision of the item's currency is checked once the item is known.
          amount: z
            .string()
            .max(40)
            .regex(/^\d+(?:\.\d+)?$/, 'must be a plain decimal amount'),
          /** Withholding codes the payer declares: `amount` is then the cash part, balance − withheld. */
          withholdings: z.array(z.string().min(1).max(40)).max(20).optional(),
          /** Needed only when a ref exists in both sources (otherwise 422 ambiguous_item). */
          source: z.enum(ITEM_SOURCES).optional(),
        })
        // A field the portal does not read (`currency`) is refused rather than silently ignored.
        .strict(),
    )
    .min(1)
    .max(50)
    .optional(),
  /** One amount spread over these items, oldest first, instead of `items`. */
  spread: z
    .object({
      refs: z.array(z.string().min(1).max(191)).min(1).max(500),
      amount: z
        .string()
        .max(40)
        .regex(/^\d+(?:\.\d+)?$/, 'must be a plain decimal amount'),
    })
    .strict()
    .optional(),
  buyer: buyerSchema,
  comment: z.string().trim().max(500).optional(),
  deliveryAddress: deliveryAddressSchema.optional(),
  lng: z.enum(['es', 'en']).optional(),
  /**
   * The merchant page that embeds the portal (origin + path, no query), when the checkout starts in its
   * iframe: after PayU the payer returns there. Its origin must be one the merchant allows to embed.
   */
  returnTo: z.string().max(255).optional(),
};
export const checkoutRequestSchema = z
  .union([
    z.object({ idNumber: z.string().max(64), ...checkoutBase }).strict(),
    z.object({ token: z.string().min(1).max(2048), ...checkoutBase }).strict(),
    /** From a charge link `/{merchant}/c/{charge}`: that one charge, without an id number. */
    z.object({ charge: z.string().min(16).max(64), ...checkoutBase }).strict(),
  ])
  .refine((body) => (body.items === undefined) !== (body.spread === undefined), {
    message: 'send either items or spread',
    path: ['items'],
  });
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export const checkoutResponseSchema = z.object({
  reference: z.string(),
  action: z.string(),
  method: z.literal('POST'),
  fields: z.record(z.string(), z.string()),
  /**
   * Sent back as `X-Payment-View-Token` on `GET …/payments/{reference}`, it shows the item descriptions;
   * without it that answer has status and amounts only. The BFF always sends it; a client that gets an
   * answer without one still pays, it just sees no descriptions afterwards.
   */
  viewToken: z.string().optional(),
  /** With `spread`: how the amount was spread, oldest first. */
  allocation: z.array(z.object({ ref: z.string(), amount: amountText })).optional(),
});
export type CheckoutResponse = z.infer<typeof checkoutResponseSchema>;

export const PAYMENT_STATUSES = ['pending', 'approved', 'declined', 'expired', 'error'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const paymentResponseSchema = z.object({
  reference: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amount: amountText,
  currency: currencySchema,
  items: z.array(
    z.object({
      ref: z.string(),
      description: z.string().optional(),
      /** Cash paid for the item. */
      amount: amountText,
      /** With withholdings: gross = amount + withheld, and each withholding. */
      gross: amountText.optional(),
      withheld: amountText.optional(),
      withholdings: z.array(withholdingSchema).optional(),
      source: z.enum(ITEM_SOURCES).optional(),
    }),
  ),
  /** Gross and withheld totals, when anything was withheld (`amount` is the cash total). */
  gross: amountText.optional(),
  withheld: amountText.optional(),
  /** The printable receipt, for the browser that made the checkout, once approved. */
  receiptUrl: z.string().optional(),
  /**
   * Money going back to the payer from this payment (docs/spec/money-back.md), for the browser that made the
   * checkout: state, expected arrival, and the sealed bank-details page while one is needed.
   */
  returns: z
    .array(
      z.object({
        id: z.string(),
        state: z.string(),
        amount: amountText,
        currency: currencySchema,
        route: z.string(),
        bankAccount: z.string().nullable(),
        expectedArrival: z.string().nullable(),
        bankDetailsPath: z.string().optional(),
      }),
    )
    .optional(),
  updatedAt: z.string(),
  createdAt: z.string().optional(),
  /** While pending: when the hold on its items ends (the payer may resume or cancel it until then). */
  holdUntil: z.string().optional(),
  payuReference: z.string().nullable().optional(),
  merchant: z.object({ id: z.string(), name: z.string(), returnUrl: z.string().nullable() }).optional(),
});
export type PaymentResponse = z.infer<typeof paymentResponseSchema>;

export const linkRequestSchema = z
  .object({
    idNumber: z.string().max(64),
    ref: z.string().min(1).max(191).optional(),
    expiresInDays: z.number().int().min(1).max(120).optional(),
  })
  .strict();
export const linkResponseSchema = z.object({ url: z.string(), expiresAt: z.string() });

/** POST …/allocate: preview of spreading one amount over items (docs/spec/business-payments.md §1). */
const allocateBase = {
  refs: z.array(z.string().min(1).max(191)).min(1).max(500),
  amount: z
    .string()
    .max(40)
    .regex(/^\d+(?:\.\d+)?$/, 'must be a plain decimal amount'),
};
export const allocateRequestSchema = z.union([
  z.object({ idNumber: z.string().max(64), ...allocateBase }).strict(),
  z.object({ token: z.string().min(1).max(2048), ...allocateBase }).strict(),
]);
export type AllocateRequest = z.infer<typeof allocateRequestSchema>;

export const allocateResponseSchema = z.object({
  currency: currencySchema,
  total: amountText,
  allocations: z.array(z.object({ ref: z.string(), amount: amountText })),
});
export type AllocateResponse = z.infer<typeof allocateResponseSchema>;
