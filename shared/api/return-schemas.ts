import { z } from 'zod';
import { RETURN_STATES } from '../money-back/return-state';

/** The money-back API's bodies (docs/spec/money-back.md), validated by the routes and documented in OpenAPI. */
export const returnRequestSchema = z.strictObject({
  /** The portal payment (checkout reference) to return money from. */
  reference: z.string().min(1).max(64),
  /** Decimal string in the payment's currency; absent → the whole approved amount. */
  amount: z.string().max(32).optional(),
  reason: z.string().min(1).max(200),
  /** `pending`: waits for approval, then is sent; `success`: already returned outside the portal. */
  type: z.enum(['pending', 'success']),
});

export const bankDetailsRequestSchema = z.strictObject({
  fullName: z.string().max(200),
  documentType: z.string().max(8),
  documentNumber: z.string().max(32),
  bankCode: z.string().max(8),
  accountType: z.string().max(4),
  accountNumber: z.string().max(32),
});

const route = z.enum(['refund', 'payout', 'none']);

export const returnViewSchema = z.object({
  id: z.string(),
  reference: z.string(),
  state: z.enum(RETURN_STATES),
  reason: z.string(),
  note: z.string().nullable(),
  amount: z.string(),
  currency: z.string(),
  route,
  items: z.array(z.object({ ref_payment: z.string(), amount: z.string() })),
  bankAccount: z.string().nullable(),
  payout: z
    .object({
      paymentOrderId: z.string(),
      payoutState: z.string().nullable(),
      orderStatus: z.string().nullable(),
      expectedArrival: z.string().nullable(),
    })
    .nullable(),
  failure: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const returnResponseSchema = z.object({ return: returnViewSchema });
export const returnListSchema = z.object({
  data: z.array(returnViewSchema),
  nextCursor: z.string().nullable(),
});
export const returnDetailSchema = z.object({
  return: returnViewSchema,
  audit: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      ip: z.string().nullable(),
      action: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
  ),
});

export const payerReturnViewSchema = z.object({
  id: z.string(),
  state: z.enum(RETURN_STATES),
  amount: z.string(),
  currency: z.string(),
  route,
  bankAccount: z.string().nullable(),
  needsBankDetails: z.boolean(),
  expectedArrival: z.string().nullable(),
  linkExpiresAt: z.string().nullable(),
});

export const payerReturnResponseSchema = z.object({
  return: payerReturnViewSchema,
  merchant: z.object({ name: z.string() }).optional(),
  banks: z.array(z.object({ code: z.string(), name: z.string() })).optional(),
});

export type ReturnView = z.infer<typeof returnViewSchema>;
export type PayerReturnView = z.infer<typeof payerReturnViewSchema>;
export type PayerReturnResponse = z.infer<typeof payerReturnResponseSchema>;
