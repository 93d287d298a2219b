import { z } from 'zod';
import { parseDecimal } from '../money';
import { parseIsoDate } from '../dates';

/**
 * A late-fee policy (seed 002 `late_fees`, docs/spec/pricing.md "Late fee"): the same shape in the merchant config
 * and, as a portal extension, inside an ERP item. Values stay decimal text until they are priced in the
 * item's currency.
 */
const decimalText = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = parseDecimal(v);
  if (!d || d.int <= 0n) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive number' });
    return z.NEVER;
  }
  return typeof v === 'number' ? String(v) : v.trim();
});

const dayCount = z.number().int().min(1).max(30);

export const automatedLateFeeSchema = z
  .object({
    condition_type: z.literal('automated'),
    type: z.enum(['amount', 'percentage']),
    value: decimalText,
    frequency: dayCount,
    limit: dayCount,
  })
  .refine(
    (p) => p.type !== 'percentage' || Number(p.value) <= 1,
    // A fraction (seed 002: 0.05 = 5 %); more than 100 % per increment is a typo, not a policy.
    { message: 'a percentage is a fraction of at most 1 (0.05 = 5 %)', path: ['value'] },
  );

export const fixedLateFeeSchema = z.object({
  condition_type: z.literal('fixed'),
  fixed: z
    .array(
      z.object({
        date: z.string().transform((v, ctx) => {
          const d = parseIsoDate(v);
          if (!d) {
            ctx.addIssue({ code: 'custom', message: 'must be a date YYYY-MM-DD' });
            return z.NEVER;
          }
          return d;
        }),
        value: decimalText,
      }),
    )
    .min(1)
    .max(100),
});

export const lateFeePolicySchema = z.discriminatedUnion('condition_type', [
  automatedLateFeeSchema,
  fixedLateFeeSchema,
]);

export type LateFeePolicy = z.infer<typeof lateFeePolicySchema>;
