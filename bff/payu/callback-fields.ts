import { z } from 'zod';

/** Field rules shared by PayU's two callbacks (confirmation and response page). */

/** Signed fields may not contain `~`, the separator of the signed string, nor control characters. */
export const signedText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !/[~\p{Cc}]/u.test(s), 'invalid character');

/** PayU leaves unused fields empty (`extra1=`); empty counts as absent. */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((s) => (s === undefined || s === '' ? null : s));

/** MD5, SHA-1 or SHA-256 in hex. */
export const signatureHex = z.string().regex(/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/);
