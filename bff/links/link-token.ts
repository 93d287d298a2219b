import { z } from 'zod';
import { createSealedBox } from '../crypto/sealed-box';

/**
 * Statement-link tokens (docs/spec/channels.md). The token must not show the id number (URLs leak into logs and
 * referrers), so it is not merely signed but sealed: AES-256-GCM under a key derived from `linkSecret`
 * with HKDF. GCM's tag makes any change to the token fail to open (tampered → invalid). The expiry lives
 * inside, so an expired link is told apart from a forged one.
 */
const payloadSchema = z.object({
  v: z.literal(1),
  m: z.string(),
  i: z.string(),
  r: z.string().optional(),
  e: z.number().int(),
});

export interface LinkClaims {
  readonly merchantId: string;
  readonly idNumber: string;
  readonly ref?: string;
  readonly expiresAt: Date;
}

export type OpenResult =
  | { readonly ok: true; readonly claims: LinkClaims }
  | { readonly ok: false; readonly error: 'invalid_token' | 'expired_token' };

export const DEFAULT_LINK_DAYS = 30;
export const MAX_LINK_DAYS = 120;

export function createLinkSealer(secret: string) {
  // The statement-link key predates the other sealed boxes: its salt stays, so issued links keep opening.
  const box = createSealedBox(secret, 'saldo-statement-links');
  return {
    seal(claims: LinkClaims): string {
      const payload = JSON.stringify({
        v: 1,
        m: claims.merchantId,
        i: claims.idNumber,
        ...(claims.ref === undefined ? {} : { r: claims.ref }),
        e: Math.floor(claims.expiresAt.getTime() / 1000),
      });
      return box.seal(payload);
    },

    open(token: string, merchantId: string, now: Date): OpenResult {
      // Statement tokens are short; anything longer is refused before any decryption.
      const text = typeof token === 'string' && token.length <= 2048 ? box.open(token) : null;
      if (text === null) return { ok: false, error: 'invalid_token' };
      let parsed: z.infer<typeof payloadSchema>;
      try {
        parsed = payloadSchema.parse(JSON.parse(text));
      } catch {
        return { ok: false, error: 'invalid_token' };
      }
      // A link is for one merchant: opening it under another merchant's URL is refused like a forgery.
      if (parsed.m !== merchantId) return { ok: false, error: 'invalid_token' };
      if (parsed.e * 1000 <= now.getTime()) return { ok: false, error: 'expired_token' };
      return {
        ok: true,
        claims: {
          merchantId: parsed.m,
          idNumber: parsed.i,
          ...(parsed.r === undefined ? {} : { ref: parsed.r }),
          expiresAt: new Date(parsed.e * 1000),
        },
      };
    },
  };
}

export type LinkSealer = ReturnType<typeof createLinkSealer>;
