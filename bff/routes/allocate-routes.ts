import type { Context } from 'hono';
import { Hono } from 'hono';
import { allocateRequestSchema, type AllocateResponse } from '../../shared/api/schemas';
import { formatMinor } from '../../shared/money';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { merchantFromPath } from '../http/merchant';
import { validJson } from '../http/valid-json';
import { spreadOverLookup } from '../services/allocate-service';
import { lookupPayer } from '../services/lookup-service';
import { resolvePayer } from '../services/resolve-payer';
import type { AppDeps } from '../app-deps';
import { withRequestLog } from '../observability/request-log';

/** 422 amount_not_allocatable with the nearest amounts that can be spread (docs/spec/business-payments.md §1). */
export function notAllocatable(c: Context, outcome: { lower?: string | null; upper?: string | null }) {
  const lower = outcome.lower ?? null;
  const upper = outcome.upper ?? null;
  const near = [lower === null ? null : `lower ${lower}`, upper === null ? null : `upper ${upper}`]
    .filter((x) => x !== null)
    .join(', ');
  return c.json(
    {
      error: {
        code: 'amount_not_allocatable' as const,
        message: `This amount cannot be spread over the chosen items${near ? ` (nearest: ${near})` : ''}.`,
        lower,
        upper,
      },
    },
    422,
  );
}

/** POST /api/v1/merchants/:merchantId/allocate: the spread preview, priced from a fresh ERP answer. */
export function allocateRoutes(deps: AppDeps) {
  return new Hono().post(
    '/merchants/:merchantId/allocate',
    limitBody(BODY_LIMITS.checkout),
    merchantFromPath(deps.merchants),
    validJson(allocateRequestSchema, {
      status: (fields) => (fields.some((f) => f.path.startsWith('amount')) ? 422 : 400),
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      const merchant = c.var.merchant;
      const now = deps.clock.now();
      const body = c.req.valid('json');
      const payer = resolvePayer(body, merchant.id, deps.links, now);
      if (!payer.ok) return apiError(c, payer.status, payer.code);
      // It asks the ERP like a lookup, so it counts against the same limits.
      const limited = await deps.rateLimiter.consumeLookup(c, merchant.id, payer.idNumber);
      if (limited) {
        return apiError(c, 429, 'rate_limited', undefined, {
          'Retry-After': String(limited.retryAfterSeconds),
        });
      }
      const lookup = await lookupPayer(withRequestLog(c, deps), merchant, payer.idNumber, now, {
        nit: payer.nit,
      });
      if (!lookup.ok) return apiError(c, lookup.status, lookup.code);
      const spread = spreadOverLookup(lookup.priced, body.refs, body.amount, 'amount');
      if (!spread.ok) {
        if (spread.code === 'amount_not_allocatable') return notAllocatable(c, spread);
        return apiError(c, spread.status, spread.code, spread.message, {}, spread.fields);
      }
      const answer: AllocateResponse = {
        currency: spread.currency,
        total: formatMinor(spread.total, spread.currency),
        allocations: spread.shares.map((s) => ({
          ref: s.priced.item.ref,
          amount: formatMinor(s.amount, spread.currency),
        })),
      };
      return c.json(answer, 200);
    },
  );
}
