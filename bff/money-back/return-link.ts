import { z } from 'zod';
import { createSealedBox } from '../crypto/sealed-box';

/**
 * The payer's link to give bank details for a payout (docs/spec/money-back.md): `/{merchant}/r/{token}`,
 * sealed like statement links (the token shows nothing) under its own key, valid 14 days.
 */
export const RETURN_LINK_DAYS = 14;

const claimsSchema = z.object({ v: z.literal(1), m: z.string(), r: z.string(), e: z.number().int() });

export type OpenReturnLink =
  | { readonly ok: true; readonly returnId: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly error: 'invalid_token' | 'expired_token' };

export function createReturnLinks(secret: string, publicUrl: string) {
  const box = createSealedBox(secret, 'saldo:return-bank-details-link');
  return {
    url(merchantId: string, returnId: string, now: Date): { url: string; expiresAt: Date } {
      const expiresAt = new Date(now.getTime() + RETURN_LINK_DAYS * 86_400_000);
      const token = box.seal(
        JSON.stringify({ v: 1, m: merchantId, r: returnId, e: Math.floor(expiresAt.getTime() / 1000) }),
      );
      return { url: `${publicUrl}/${merchantId}/r/${token}`, expiresAt };
    },
    open(token: string, merchantId: string, now: Date): OpenReturnLink {
      const text = box.open(token);
      if (text === null) return { ok: false, error: 'invalid_token' };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { ok: false, error: 'invalid_token' };
      }
      const claims = claimsSchema.safeParse(json);
      if (!claims.success || claims.data.m !== merchantId) return { ok: false, error: 'invalid_token' };
      if (claims.data.e * 1000 <= now.getTime()) return { ok: false, error: 'expired_token' };
      return { ok: true, returnId: claims.data.r, expiresAt: new Date(claims.data.e * 1000) };
    },
  };
}

export type ReturnLinks = ReturnType<typeof createReturnLinks>;
