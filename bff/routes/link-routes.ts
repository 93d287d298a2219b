import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { linkRequestSchema } from '../../shared/api/schemas';
import { normalizeIdNumber } from '../../shared/id-number';
import type { AppDeps } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { apiError } from '../http/api-error';
import { DEFAULT_LINK_DAYS, MAX_LINK_DAYS, type LinkSealer } from '../links/link-token';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StatementLinkInput {
  readonly publicUrl: string;
  readonly sealer: LinkSealer;
  readonly merchantId: string;
  /** Already normalised (normalizeIdNumber). */
  readonly idNumber: string;
  readonly ref?: string;
  readonly expiresInDays?: number;
  readonly now: Date;
}

/**
 * A statement link (channels.md): `${publicUrl}/${merchant}/s/${token}`. Shared by the API and the CLI.
 * The token stores whole seconds, so the reported expiry is cut to the second to say exactly what it holds.
 */
export function buildStatementLink(input: StatementLinkInput): { url: string; expiresAt: Date } {
  const days = input.expiresInDays ?? DEFAULT_LINK_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) {
    throw new RangeError(`expiresInDays must be a whole number from 1 to ${MAX_LINK_DAYS}`);
  }
  const expiresAt = new Date(Math.floor((input.now.getTime() + days * DAY_MS) / 1000) * 1000);
  const token = input.sealer.seal({
    merchantId: input.merchantId,
    idNumber: input.idNumber,
    ...(input.ref === undefined ? {} : { ref: input.ref }),
    expiresAt,
  });
  return { url: `${input.publicUrl}/${encodeURIComponent(input.merchantId)}/s/${token}`, expiresAt };
}

/**
 * Compares a presented Bearer token with the merchant's apiToken in constant time. Both sides are hashed
 * first so neither the content nor the length of the secret shows in the timing.
 */
export function bearerMatches(authorization: string | undefined, merchant: MerchantConfig): boolean {
  const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')?.[1];
  if (presented === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(merchant.apiToken));
}

/** POST /api/v1/merchants/:merchantId/links (http-api.md): merchant-authenticated statement links. */
export function linkRoutes(deps: AppDeps) {
  return new Hono().post(
    '/merchants/:merchantId/links',
    async (c, next) => {
      // The URL is a bearer credential for the payer's statement: never cached, and asked for before the body
      // is even read, so an unauthenticated caller learns nothing from validation errors.
      c.header('Cache-Control', 'no-store');
      const merchant = deps.merchants.get(c.req.param('merchantId'));
      if (!merchant) return apiError(c, 404, 'unknown_merchant');
      if (!bearerMatches(c.req.header('Authorization'), merchant)) {
        deps.logger.warn({ merchant: merchant.id }, 'link creation refused: bad token');
        return apiError(c, 401, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
      }
      return next();
    },
    validator('json', (value, c) => {
      const parsed = linkRequestSchema.safeParse(value);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].slice(0, 5);
        if (fields.length === 1 && fields[0] === 'idNumber') return apiError(c, 400, 'invalid_id_number');
        return apiError(c, 400, 'invalid_request', `Invalid field(s): ${fields.join(', ')}`);
      }
      return parsed.data;
    }),
    (c) => {
      const merchantId = c.req.param('merchantId');
      const body = c.req.valid('json');
      const id = normalizeIdNumber(body.idNumber);
      if (!id.ok) return apiError(c, 400, 'invalid_id_number');
      const link = buildStatementLink({
        publicUrl: deps.config.publicUrl,
        sealer: deps.links,
        merchantId,
        idNumber: id.idNumber,
        ...(body.ref === undefined ? {} : { ref: body.ref }),
        ...(body.expiresInDays === undefined ? {} : { expiresInDays: body.expiresInDays }),
        now: deps.clock.now(),
      });
      // Never the id number or the URL (it opens the statement); the merchant and the expiry are enough.
      deps.logger.info(
        { merchant: merchantId, expiresAt: link.expiresAt.toISOString() },
        'statement link created',
      );
      return c.json({ url: link.url, expiresAt: link.expiresAt.toISOString() }, 201);
    },
  );
}
