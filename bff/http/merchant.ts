import type { MiddlewareHandler } from 'hono';
import type { MerchantConfig } from '../config/config-schema';
import { apiError } from './api-error';

/**
 * Hono environment of every merchant-scoped route: `c.var.merchant` is the configured merchant the request
 * is about, set by `merchantFromPath` (public routes under `/merchants/:merchantId/…`) or by `merchantAuth`
 * (merchant API: the token says which merchant it is).
 */
export interface MerchantEnv {
  Variables: { merchant: MerchantConfig };
}

/**
 * Resolves `:merchantId` (or the param named) to its merchant, or answers 404 `unknown_merchant`. The one
 * place that says what an unknown merchant gets, so every route answers it the same way.
 */
export function merchantFromPath(
  merchants: ReadonlyMap<string, MerchantConfig>,
  param = 'merchantId',
): MiddlewareHandler<MerchantEnv> {
  return async (c, next) => {
    const merchant = merchants.get(c.req.param(param) ?? '');
    if (!merchant) return apiError(c, 404, 'unknown_merchant');
    c.set('merchant', merchant);
    return next();
  };
}
