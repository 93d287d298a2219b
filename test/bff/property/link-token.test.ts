import fc from 'fast-check';
import { anyCodePoint } from '../../support/arbitraries';
import { describe, expect, test } from 'vitest';
import { createLinkSealer, type LinkClaims, type OpenResult } from '../../../bff/links/link-token';

/**
 * Statement-link tokens are bearer credentials that arrive in URLs: open() must answer every string with
 * a result, and anything but a genuine token with invalid_token (expired_token only for a genuine, expired
 * one). Never a throw, never someone else's claims.
 */

const SECRET = 'property-link-secret-0123456789abcdef0123';
const sealer = createLinkSealer(SECRET);
const NOW = new Date('2025-03-10T15:00:00Z');

const claims: fc.Arbitrary<LinkClaims> = fc.record(
  {
    merchantId: fc.stringMatching(/^[a-z0-9-]{2,40}$/),
    idNumber: fc.stringMatching(/^\d{5,15}$/),
    ref: fc.string({ maxLength: 60 }),
    // Whole seconds: the token stores seconds.
    expiresAt: fc.integer({ min: 1, max: 120 * 24 * 3600 }).map((s) => new Date(NOW.getTime() + s * 1000)),
  },
  { requiredKeys: ['merchantId', 'idNumber', 'expiresAt'] },
);

function safeOpen(token: unknown, merchantId: string, now = NOW): OpenResult {
  let result: OpenResult | undefined;
  expect(() => {
    result = sealer.open(token as string, merchantId, now);
  }).not.toThrow();
  return result!;
}

describe('open() with random strings', () => {
  test('any string, token-shaped or not, is invalid_token', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: anyCodePoint, maxLength: 3000 }),
          fc.stringMatching(/^[A-Za-z0-9_-]{40,2100}$/),
          fc.uint8Array({ minLength: 29, maxLength: 400 }).map((b) => Buffer.from(b).toString('base64url')),
          fc.uint8Array({ minLength: 29, maxLength: 400 }).map((b) => Buffer.from(b).toString('base64')),
        ),
        fc.stringMatching(/^[a-z0-9-]{2,40}$/),
        (token, merchantId) => {
          expect(safeOpen(token, merchantId)).toEqual({ ok: false, error: 'invalid_token' });
        },
      ),
      { numRuns: 100 },
    );
  });

  test('values that are not strings are invalid_token too (the route validates, but open() must not rely on it)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withBoxedValues: true, withNullPrototype: true }),
        (value) => {
          fc.pre(typeof value !== 'string');
          expect(safeOpen(value, 'acme')).toEqual({ ok: false, error: 'invalid_token' });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('open() with tampered real tokens', () => {
  test('flipping any bit of the sealed bytes makes it invalid_token', () => {
    fc.assert(
      fc.property(claims, fc.nat(), fc.integer({ min: 0, max: 7 }), (c, at, bit) => {
        const raw = Buffer.from(sealer.seal(c), 'base64url');
        raw[at % raw.length]! ^= 1 << bit;
        expect(safeOpen(raw.toString('base64url'), c.merchantId)).toEqual({
          ok: false,
          error: 'invalid_token',
        });
      }),
      { numRuns: 500 },
    );
  });

  test('changing, dropping or adding characters gives invalid_token or, at most, the very same claims', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(
        claims,
        fc.oneof(
          fc.record({
            op: fc.constant('replace' as const),
            at: fc.nat(),
            char: fc.constantFrom(...alphabet, '=', '.', '+', '/', ' ', 'é'),
          }),
          fc.record({
            op: fc.constant('drop' as const),
            at: fc.nat(),
            count: fc.integer({ min: 1, max: 8 }),
          }),
          fc.record({
            op: fc.constant('add' as const),
            at: fc.nat(),
            text: fc.string({ minLength: 1, maxLength: 8 }),
          }),
        ),
        (c, edit) => {
          const token = sealer.seal(c);
          const at = edit.at % token.length;
          const tampered =
            edit.op === 'replace'
              ? token.slice(0, at) + edit.char + token.slice(at + 1)
              : edit.op === 'drop'
                ? token.slice(0, at) + token.slice(at + edit.count)
                : token.slice(0, at) + edit.text + token.slice(at);
          fc.pre(tampered !== token);
          const result = safeOpen(tampered, c.merchantId);
          // base64url's last character carries unused low bits; changing only those leaves the sealed bytes
          // — and so the claims — exactly as they were, which is harmless.
          if (result.ok) {
            expect(Buffer.from(tampered, 'base64url')).toEqual(Buffer.from(token, 'base64url'));
            expect(result).toEqual(safeOpen(token, c.merchantId));
          } else {
            expect(result.error).toBe('invalid_token');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a genuine token opens only for its merchant, before its expiry; after it, expired_token', () => {
    fc.assert(
      fc.property(claims, fc.stringMatching(/^[a-z0-9-]{2,40}$/), (c, other) => {
        const token = sealer.seal(c);
        const opened = safeOpen(token, c.merchantId);
        expect(opened.ok && opened.claims.idNumber).toBe(c.idNumber);
        if (other !== c.merchantId)
          expect(safeOpen(token, other)).toEqual({ ok: false, error: 'invalid_token' });
        expect(safeOpen(token, c.merchantId, c.expiresAt)).toEqual({ ok: false, error: 'expired_token' });
        // Under another secret it is just noise.
        expect(createLinkSealer(`${SECRET}x`).open(token, c.merchantId, NOW)).toEqual({
          ok: false,
          error: 'invalid_token',
        });
      }),
      { numRuns: 200 },
    );
  });
});
