import { Hono } from 'hono';
import { linkRequestSchema } from '../../shared/api/schemas';
import { normalizeIdNumber } from '../../shared/id-number';
import type { AppDeps } from '../app-deps';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { merchantFromPath } from '../http/merchant';
import { merchantAuth } from '../http/merchant-auth';
import { validJson } from '../http/valid-json';
import { buildStatementLink } from '../links/statement-link';
import { requestLog } from '../observability/request-log';

/** POST /api/v1/merchants/:merchantId/links (docs/spec/http-api.md): merchant-authenticated statement links. */
export function linkRoutes(deps: AppDeps) {
  return new Hono().post(
    '/merchants/:merchantId/links',
    limitBody(BODY_LIMITS.small),
    merchantFromPath(deps.merchants),
    // The URL is a bearer credential for the payer's statement: merchantAuth marks every answer no-store.
    merchantAuth(deps),
    validJson(linkRequestSchema, {
      refine: (fields) =>
        fields.length > 0 && fields.every((f) => f.path === 'idNumber')
          ? { status: 400, code: 'invalid_id_number' }
          : undefined,
    }),
    (c) => {
      const merchantId = c.var.merchant.id;
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
      requestLog(c, deps.logger).info(
        { merchant: merchantId, expiresAt: link.expiresAt.toISOString() },
        'statement link created',
      );
      return c.json({ url: link.url, expiresAt: link.expiresAt.toISOString() }, 201);
    },
  );
}
