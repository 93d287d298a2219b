import { z } from 'zod';
import { chargeFieldSchemas, conditionSchema, entryActionSchema } from '../charges/charge-fields';
import { lookupItemSchema } from './schemas';

/**
 * The merchant charge API's bodies (docs/spec/merchant-charges.md), for the OpenAPI document. The routes read
 * requests field by field with the same field schemas (shared/charges/charge-input.ts), so that every bad
 * field is reported at once; these objects put those fields together.
 */

const {
  process_type: processType,
  return: returnField,
  express,
  external,
  split,
  ...createFields
} = chargeFieldSchemas;

export const chargeCreateRequestSchema = z.object({
  ...Object.fromEntries(Object.entries(createFields).map(([k, s]) => [k, s.optional()])),
  amount: chargeFieldSchemas.amount,
  currency: chargeFieldSchemas.currency,
  description: chargeFieldSchemas.description,
  merchant_id_number: chargeFieldSchemas.merchant_id_number,
  merchant_phone: chargeFieldSchemas.merchant_phone,
  late_fees: conditionSchema.optional(),
  advance_payment: conditionSchema.optional(),
});

export const chargeUpdateRequestSchema = z.object({
  ...Object.fromEntries(Object.entries(createFields).map(([k, s]) => [k, s.optional()])),
  process_type: processType.optional(),
  return: returnField.optional(),
  express: express.optional(),
  external: external.optional(),
  split: split.optional(),
  late_fees: z.array(entryActionSchema).optional(),
  advance_payment: z.array(entryActionSchema).optional(),
});

export const chargeCreatedSchema = z.object({
  external_reference: z.string(),
  channel: z.enum(['LINK', 'EMAIL', 'WHATSAPP']),
  link: z.string(),
  process_id: z.string(),
  created_at: z.string(),
});

const fixedEntry = z.object({
  id: z.string(),
  date: z.string(),
  value: z.string(),
  reminder: z.boolean(),
  reminder_template: z.string().nullable(),
  reminder_channel: z.enum(['whatsapp', 'email']).nullable(),
});
const condition = z
  .union([
    z.object({
      condition_type: z.literal('automated'),
      type: z.enum(['amount', 'percentage']),
      value: z.string(),
      frequency: z.number().int(),
      limit: z.number().int(),
    }),
    z.object({ condition_type: z.literal('fixed'), fixed: z.array(fixedEntry) }),
  ])
  .nullable();
const nullableText = z.string().nullable();

export const chargeViewSchema = z.object({
  external_reference: z.string(),
  process_id: z.string(),
  link: z.string(),
  qr_url: nullableText,
  status: z.enum(['created', 'pending', 'scheduled', 'unlimit', 'cancelled', 'expired']),
  state: z.string(),
  process_type: z.string(),
  channel: z.string(),
  currency: z.string(),
  amount: z.string(),
  description: z.string(),
  reference_one: nullableText,
  reference_two: nullableText,
  reference_three: nullableText,
  reference_four: nullableText,
  reference_five: nullableText,
  reference_six: nullableText,
  reference_seven: nullableText,
  reference_eight: nullableText,
  user_notification: z.boolean(),
  expected_amount: nullableText,
  expected_date: nullableText,
  reminder_date: nullableText,
  limit_date: nullableText,
  merchant_id_number: z.string(),
  merchant_phone: z.string(),
  merchant_email: nullableText,
  return_url: nullableText,
  expiration: z.boolean(),
  attachment: nullableText,
  comments: nullableText,
  payer: z.object({
    phone: nullableText,
    email: nullableText,
    user_id_type: nullableText,
    user_id_number: nullableText,
    first_name: nullableText,
  }),
  affiliate: z.object({ id_type: nullableText, id_number: z.string() }).nullable(),
  invoice: z
    .object({
      provider: z.string(),
      type: z.string(),
      id: nullableText,
      retentions: z.array(z.number()).nullable(),
    })
    .nullable(),
  late_fees: condition,
  advance_payment: condition,
  return: z.object({ type: z.string(), reason: z.string() }).nullable(),
  express: z.object({ method: z.string(), reference: nullableText }).nullable(),
  external: z.object({ reason: z.string() }).nullable(),
  split: z.array(z.object({ amount: z.string(), payment_method: z.string() })).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  payments: z
    .array(
      z.object({
        reference: z.string(),
        status: z.string(),
        amount: z.string(),
        created_at: z.string(),
        updated_at: z.string(),
      }),
    )
    .optional()
    .describe('GET one and PATCH only: the portal payments of this charge.'),
  priced: lookupItemSchema.optional().describe("GET one and PATCH only: today's numbers, as a lookup item."),
});

export const chargeListSchema = z.object({
  items: z.array(chargeViewSchema),
  next_cursor: z.string().nullable(),
});
