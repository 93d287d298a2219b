import { z } from 'zod';
import { parseIsoDate, type IsoDate } from '../dates';
import { parseDecimal } from '../money';

/**
 * Field readers of the merchant charge API (docs/spec/merchant-charges.md "Fields"). Values are read tolerantly
 * where seeds 002 and 004 disagree with themselves (enums in any case, booleans as "true", amounts and phones as
 * numbers), dates strictly: a date that could be read two ways is refused, never guessed.
 */

export const CHARGE_STATUSES = [
  'created',
  'pending',
  'scheduled',
  'unlimit',
  'cancelled',
  'expired',
] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];
/** What a merchant may send as `status` (cancelled is an extension; expired is only set by the portal). */
export const WRITABLE_STATUSES = ['created', 'pending', 'scheduled', 'unlimit', 'cancelled'] as const;

export const CHANNELS = ['link', 'email', 'whatsapp'] as const;
export const ID_TYPES = ['CC', 'CE', 'NIT', 'PASAPORTE', 'DNI', 'EIN'] as const;
export const PROCESS_TYPES = [
  'digital',
  'cash',
  'credit',
  'return',
  'express',
  'split',
  'direct',
  'external',
] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];
export const REFERENCE_KEYS = [
  'reference_one',
  'reference_two',
  'reference_three',
  'reference_four',
  'reference_five',
  'reference_six',
  'reference_seven',
  'reference_eight',
] as const;

export const DATE_MESSAGE = 'use YYYY/MM/DD';

/** `YYYY/MM/DD` or `YYYY-MM-DD` (one separator throughout), a real calendar day → `YYYY-MM-DD`. */
export function readStrictDate(value: unknown): IsoDate | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^\d{4}([/-])\d{2}\1\d{2}$/.test(text)) return null;
  return parseIsoDate(text);
}

export const dateField = z
  .string({ message: DATE_MESSAGE })
  .transform((v, ctx) => {
    const d = readStrictDate(v);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: DATE_MESSAGE });
      return z.NEVER;
    }
    return d;
  })
  .meta({ description: 'YYYY/MM/DD (or YYYY-MM-DD)', examples: ['2025/01/30'] });

/** An enum read in any case (`"PENDING"`, `"pending"`, `"WhatsApp"`), answered in the case of `values`. */
export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v]));
  return z
    .string({ message: `one of ${values.join(', ')}` })
    .transform((v, ctx) => {
      const hit = byLower.get(v.trim().toLowerCase());
      if (hit === undefined) {
        ctx.addIssue({ code: 'custom', message: `one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return hit as T[number];
    })
    .meta({ enum: [...values] });
}

export const boolField = z
  .union([z.boolean(), z.string()], { message: 'true or false' })
  .transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    ctx.addIssue({ code: 'custom', message: 'true or false' });
    return z.NEVER;
  });

/** A positive decimal, number or text with `.` as separator, kept as text until its currency is known. */
export const amountField = z
  .union([z.number(), z.string()], { message: 'a positive number, e.g. 54000.85' })
  .transform((v, ctx) => {
    const d = parseDecimal(v);
    if (!d || d.int <= 0n) {
      ctx.addIssue({ code: 'custom', message: 'a positive number, e.g. 54000.85' });
      return z.NEVER;
    }
    return typeof v === 'number' ? String(v) : v.trim();
  });

/** Seed 004 sends `merchant_phone: 573999999999` as a number: digits with the country code. */
export const phoneField = z
  .union([z.string(), z.number()], { message: 'a phone number with its country code, e.g. 573112229999' })
  .transform((v, ctx) => {
    const text = String(v).replace(/[\s()-]/g, '');
    if (!/^\+?\d{7,15}$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'a phone number with its country code, e.g. 573112229999' });
      return z.NEVER;
    }
    return text.replace(/^\+/, '');
  });

export const textField = (min: number, max: number) =>
  z
    .union([z.string(), z.number()], { message: 'text' })
    .transform((v) => String(v).trim())
    .pipe(z.string().min(min, `at least ${min} characters`).max(max, `at most ${max} characters`));

export const emailField = z
  .string({ message: 'an email address' })
  .trim()
  .max(255)
  .pipe(z.email('an email address'));

export const urlField = (protocols: RegExp, message: string) =>
  z
    .string({ message })
    .trim()
    .max(2048)
    .pipe(z.url({ protocol: protocols, message }));

const reminderFields = {
  reminder: boolField.optional(),
  reminder_template: textField(1, 100).optional(),
  reminder_channel: enumField(['whatsapp', 'email'] as const).optional(),
};

export const fixedEntrySchema = z.object({ date: dateField, value: amountField, ...reminderFields });
const dayCount = z
  .number({ message: 'a whole number of days from 1 to 30' })
  .int('a whole number of days from 1 to 30')
  .min(1, 'a whole number of days from 1 to 30')
  .max(30, 'a whole number of days from 1 to 30');

/** Seed 002's `late_fees` and `advance_payment` objects: the same shape, priced differently. */
export const conditionSchema = z.object({
  condition_type: enumField(['fixed', 'automated'] as const),
  type: enumField(['amount', 'percentage'] as const).optional(),
  value: amountField.optional(),
  frequency: dayCount.optional(),
  limit: dayCount.optional(),
  fixed: z.array(fixedEntrySchema).max(100).optional(),
});

/** Seed 004: `late_fees` / `advance_payment` in an update are actions on fixed entries. */
export const entryActionSchema = z.object({
  action: enumField(['add', 'edit', 'delete'] as const),
  id: z.string().max(64).optional(),
  date: dateField.optional(),
  value: amountField.optional(),
  ...reminderFields,
});

export const payerSchema = z.object({
  phone: phoneField.optional(),
  email: emailField.optional(),
  user_id_type: enumField(ID_TYPES).optional(),
  user_id_number: textField(3, 30).optional(),
  first_name: textField(1, 60).optional(),
});

export const affiliateSchema = z.object({
  id_type: enumField(ID_TYPES).optional(),
  id_number: textField(3, 30),
});

/** Retentions: `[1,2,3]`, `"1,2,3"` or `"[1,2,3]"` → whole numbers. */
const retentionsField = z
  .union([z.array(z.union([z.number(), z.string()])), z.string()], {
    message: 'a list of numbers, e.g. [1,2,3]',
  })
  .transform((v, ctx) => {
    const parts = Array.isArray(v) ? v.map(String) : v.replace(/^\s*\[|\]\s*$/g, '').split(',');
    const out: number[] = [];
    for (const p of parts) {
      const t = p.trim();
      if (t === '') continue;
      if (!/^\d{1,9}$/.test(t)) {
        ctx.addIssue({ code: 'custom', message: 'a list of numbers, e.g. [1,2,3]' });
        return z.NEVER;
      }
      out.push(Number(t));
    }
    return out;
  });

export const invoiceSchema = z.object({
  provider: enumField(['alegra', 'siigo'] as const),
  type: enumField(['link', 'balance', 'create'] as const),
  id: textField(1, 100).optional(),
  retentions: retentionsField.optional(),
});

const reasonObject = z.object({ reason: textField(1, 500) });
export const returnSchema = z.object({
  type: enumField(['pending', 'success'] as const),
  reason: textField(1, 500),
});
export const expressSchema = z.object({
  method: enumField(['nequi', 'daviplata', 'qr'] as const),
  reference: textField(1, 60).optional(),
});
export const splitPartSchema = z.object({
  amount: amountField,
  payment_method: enumField([
    'cash',
    'digital',
    'credit',
    'return',
    'express',
    'direct',
    'external',
  ] as const),
  return: returnSchema.optional(),
  express: expressSchema.optional(),
  external: reasonObject.optional(),
});

/** Every field of a create or an update, each read on its own so that every bad one is reported at once. */
export const chargeFieldSchemas = {
  status: enumField(WRITABLE_STATUSES),
  currency: z
    .string({ message: 'an ISO 4217 code, e.g. COP' })
    .trim()
    .toUpperCase()
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code, e.g. COP')),
  amount: amountField,
  description: textField(5, 255),
  ...Object.fromEntries(REFERENCE_KEYS.map((k) => [k, textField(0, 100).nullable()])),
  channel: enumField(CHANNELS),
  user_notification: boolField,
  expected_amount: amountField,
  expected_date: dateField,
  reminder_date: dateField,
  limit_date: dateField,
  merchant_id_number: textField(3, 30),
  merchant_phone: phoneField,
  merchant_email: emailField,
  return_url: urlField(/^https?$/, 'an http(s) URL'),
  expiration: boolField,
  attachment: urlField(/^https$/, 'an https URL'),
  comments: textField(0, 1000),
  payer: payerSchema,
  affiliate: affiliateSchema,
  invoice: invoiceSchema,
  process_type: enumField(PROCESS_TYPES),
  return: returnSchema,
  express: expressSchema,
  external: reasonObject,
  split: z.array(splitPartSchema).min(2, 'at least two parts').max(10),
} as const;

export type ChargeFieldName = keyof typeof chargeFieldSchemas;
