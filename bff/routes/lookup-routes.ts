import { Hono } from 'hono';
import { lookupRequestSchema } from '../../shared/api/schemas';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { jsonAnswer } from '../http/finished-answer';
import { merchantFromPath } from '../http/merchant';
import { validJson } from '../http/valid-json';
import { resolvePayer } from '../services/resolve-payer';
import { lookupPayer } from '../services/lookup-service';
import type { AppDeps } from '../app-deps';
import { withRequestLog } from '../observability/request-log';

/** POST /api/v1/merchants/:merchantId/lookup (docs/spec/http-api.md). */
export function lookupRoutes(deps: AppDeps) {
  return new Hono().post(
    '/merchants/:merchantId/lookup',
    limitBody(BODY_LIMITS.small),
    merchantFromPath(deps.merchants),
    // A body without a usable idNumber is, to the payer, a malformed id number.
    validJson(lookupRequestSchema, { refine: () => ({ status: 400, code: 'invalid_id_number' }) }),
    async (c) => {
      const merchant = c.var.merchant;
      const now = deps.clock.now();
      const payer = resolvePayer(c.req.valid('json'), merchant.id, deps.links, now);
      if (!payer.ok) {
        deps.metrics.lookup(payer.code);
        return apiError(c, payer.status, payer.code);
      }

      const limited = await deps.rateLimiter.consumeLookup(c, merchant.id, payer.idNumber);
      if (limited) {
        deps.metrics.lookup('rate_limited');
        return apiError(c, 429, 'rate_limited', undefined, {
          'Retry-After': String(limited.retryAfterSeconds),
        });
      }
      const outcome = await lookupPayer(withRequestLog(c, deps), merchant, payer.idNumber, now, {
        nit: payer.nit,
        allowPartial: true,
      });
      deps.metrics.lookup(outcome.ok ? (outcome.erpFailure ? 'partial' : 'ok') : outcome.code);
      if (!outcome.ok) return apiError(c, outcome.status, outcome.code);
      return jsonAnswer(c, { ...outcome.response, linkedRef: payer.linkedRef }, 200);
    },
  );
}
