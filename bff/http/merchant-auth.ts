import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { RateLimiter } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import { apiError } from './api-error';
import type { MerchantEnv } from './merchant';
import { requestLog } from '../observability/request-log';

/**
 * Merchant authentication for every merchant-facing endpoint.
 *
 * The token is the merchant's `apiToken`, presented as `Authorization: Bearer <token>` or `x-auth-token:
 * <token>` (the header of the charges API, docs/spec/merchant-charges.md). Every refusal is the same 401 —
 * no header, a malformed one, a wrong token, another merchant's token — so a caller learns nothing but
 * "no". Failed attempts are counted per client address (RateLimiter.merchantAuthFailed); an address over
 * the limit gets 429 before its token is looked at.
 *
 * Hono's `bearerAuth` does not serve here: it answers 400 to a malformed header (a different answer per
 * reason), reads one header only, and cannot find the merchant from the token.
 *
 * How a new merchant endpoint uses it:
 *
 * ```ts
 * // the token says which merchant it is (POST /v1/merchant/transaction):
 * new Hono<MerchantEnv>().post('/v1/merchant/transaction', limitBody(BODY_LIMITS.merchantApi),
 *   merchantAuth(deps), validJson(schema, { status: 422 }), (c) => { c.var.merchant; c.req.valid('json') })
 * // the path names the merchant and the token must be its own (POST /api/v1/merchants/:merchantId/links):
 * .post('/merchants/:merchantId/links', limitBody(BODY_LIMITS.small), merchantFromPath(deps.merchants),
 *   merchantAuth(deps), validJson(schema), handler)
 * ```
 *
 * Authentication runs before the body is parsed, so an unauthenticated caller learns nothing from
 * validation errors; the body limit runs first of all (it reads no more than its limit).
 */
export function merchantAuth(deps: {
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly rateLimiter: RateLimiter;
  readonly logger: Logger;
}): MiddlewareHandler<MerchantEnv> {
  return async (c, next) => {
    // Answers about credentials are never cached, whatever the outcome.
    c.header('Cache-Control', 'no-store');
    const blocked = await deps.rateLimiter.merchantAuthBlocked(c).catch(() => null);
    if (blocked) {
      return apiError(c, 429, 'rate_limited', undefined, {
        'Retry-After': String(blocked.retryAfterSeconds),
      });
    }
    const presented = presentedToken(c.req.header('Authorization'), c.req.header('x-auth-token'));
    const scoped = c.get('merchant') as MerchantConfig | undefined;
    const merchant =
      presented === null
        ? null
        : scoped
          ? tokenMatches(presented, scoped)
            ? scoped
            : null
          : merchantByToken(presented, deps.merchants);
    if (!merchant) {
      await deps.rateLimiter.merchantAuthFailed(c);
      // The merchant in the path (if any), never the token or a hint of what was wrong.
      requestLog(c, deps.logger).warn(
        { merchant: scoped?.id ?? null, route: c.req.routePath },
        'merchant auth refused',
      );
      return apiError(c, 401, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    c.set('merchant', merchant);
    return next();
  };
}

/**
 * The token of `Authorization: Bearer <token>`, else of `x-auth-token`; null when neither holds one. A
 * header that is present but not a Bearer credential (Basic, empty) is no token, not a fall-through.
 */
export function presentedToken(
  authorization: string | undefined,
  xAuthToken: string | undefined,
): string | null {
  if (authorization !== undefined) {
    return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1] ?? null;
  }
  const token = xAuthToken?.trim();
  return token ? token : null;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant time: both sides are hashed first, so neither the content nor the length of the secret shows
 * in the timing.
 */
export function tokenMatches(presented: string, merchant: MerchantConfig): boolean {
  return timingSafeEqual(digest(presented), digest(merchant.apiToken));
}

/** Compares against every merchant without stopping early, so the timing does not say which one matched. */
function merchantByToken(
  presented: string,
  merchants: ReadonlyMap<string, MerchantConfig>,
): MerchantConfig | null {
  const hash = digest(presented);
  let found: MerchantConfig | null = null;
  for (const merchant of merchants.values()) {
    if (timingSafeEqual(hash, digest(merchant.apiToken)) && !found) found = merchant;
  }
  return found;
}
