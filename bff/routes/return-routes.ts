import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { bankDetailsRequestSchema, returnRequestSchema } from '../../shared/api/return-schemas';
import { RETURN_STATES } from '../../shared/money-back/return-state';
import type { AppDeps } from '../app-deps';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { clientIp, proxyAllowList } from '../http/client-ip';
import type { MerchantEnv } from '../http/merchant';
import { merchantFromPath } from '../http/merchant';
import { merchantAuth } from '../http/merchant-auth';
import { validJson } from '../http/valid-json';
import type { ReturnsService, ServiceError } from '../money-back/returns-service';
import { returnView } from '../money-back/return-events';

/**
 * Money back over HTTP (docs/spec/money-back.md):
 * - the merchant API under /v1/merchant/returns (merchant-auth: Bearer or x-auth-token);
 * - the payer's bank-details API behind the sealed link token, /api/v1/merchants/:merchantId/returns/:token;
 * - PayU's payout notifications at /payu/:merchantId/payouts/:secret (PayU does not sign them: the secret path
 *   segment is the only proof, and each notice is a hint, deduplicated and never moving a return backwards).
 */
const listQuery = z.object({
  state: z.enum(RETURN_STATES).optional(),
  reference: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

function serviceError(c: Context, e: ServiceError) {
  switch (e.error) {
    case 'not_found':
      return apiError(c, 404, 'not_found', 'No return has this id.');
    case 'payment_not_found':
      return apiError(c, 404, 'payment_not_found');
    case 'payment_not_approved':
      return apiError(c, 409, 'payment_not_approved');
    case 'return_exceeds_payment':
      return apiError(c, 409, 'return_exceeds_payment', `At most ${e.available} can still be returned.`);
    case 'invalid_amount':
      return apiError(c, 422, 'invalid_amount', undefined, {}, [
        { path: 'amount', message: 'invalid amount' },
      ]);
    case 'invalid_state':
      return apiError(c, 409, 'invalid_state', `The return is ${e.state}.`);
    case 'payout_not_cancellable':
      return apiError(c, 409, 'payout_not_cancellable');
    case 'invalid_token':
      return apiError(c, 400, 'invalid_token');
    case 'expired_token':
      return apiError(c, 410, 'expired_token');
    case 'invalid_bank_details':
      return apiError(
        c,
        422,
        'invalid_bank_details',
        undefined,
        {},
        e.fields.map((f) => ({ path: f.field, message: f.issue })),
      );
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function returnRoutes(deps: AppDeps, service: ReturnsService) {
  const auth = merchantAuth(deps);
  // The audit's client address, read the way the rate limits read it (trustedProxies + the allow-list).
  const proxies = {
    hops: deps.config.trustedProxies,
    addresses: proxyAllowList(deps.config.trustedProxyAddresses),
  };
  const ipOf = (c: Context) => clientIp(c, proxies);
  const decide = async (c: Context<MerchantEnv>, action: 'approve' | 'reject' | 'retry' | 'cancel') => {
    const id = c.req.param('id') ?? '';
    const r =
      action === 'cancel'
        ? await service.cancel(c.var.merchant, id, ipOf(c))
        : await service.decide(c.var.merchant, id, action, ipOf(c));
    if (!r.ok) return serviceError(c, r);
    return c.json({ return: returnView(r.value) }, 200);
  };

  const merchantApi = new Hono<MerchantEnv>()
    .post(
      '/v1/merchant/returns',
      limitBody(BODY_LIMITS.small),
      auth,
      validJson(returnRequestSchema, { status: 422 }),
      async (c) => {
        const key = c.req.header('Idempotency-Key');
        if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
          return apiError(
            c,
            400,
            'invalid_request',
            'Idempotency-Key must be 1–255 visible ASCII characters.',
          );
        }
        const r = await service.createMerchantReturn(c.var.merchant, c.req.valid('json'), {
          ip: ipOf(c),
          idempotencyKey: key ?? null,
        });
        if (!r.ok) return serviceError(c, r);
        return c.json({ return: returnView(r.value) }, r.created ? 201 : 200);
      },
    )
    .get('/v1/merchant/returns', auth, async (c) => {
      const q = listQuery.safeParse(c.req.query());
      if (!q.success) return apiError(c, 422, 'invalid_request', 'Invalid query parameters.');
      const rows = await deps.store.listReturns(c.var.merchant.id, {
        ...(q.data.state ? { state: q.data.state } : {}),
        ...(q.data.reference ? { reference: q.data.reference } : {}),
        ...(q.data.cursor ? { after: q.data.cursor } : {}),
        limit: q.data.limit + 1,
      });
      const page = rows.slice(0, q.data.limit);
      return c.json(
        {
          data: page.map(returnView),
          nextCursor: rows.length > q.data.limit ? (page.at(-1)?.id ?? null) : null,
        },
        200,
      );
    })
    .get('/v1/merchant/returns/:id', auth, async (c) => {
      const ret = await deps.store.getReturn(c.var.merchant.id, c.req.param('id'));
      if (!ret) return apiError(c, 404, 'not_found', 'No return has this id.');
      const audit = await deps.store.returnEvents(c.var.merchant.id, ret.id);
      return c.json(
        {
          return: returnView(ret),
          audit: audit.map((e) => ({
            at: e.at.toISOString(),
            actor: e.actor,
            ip: e.ip,
            action: e.action,
            from: e.fromState,
            to: e.toState,
          })),
        },
        200,
      );
    })
    .post('/v1/merchant/returns/:id/approve', limitBody(BODY_LIMITS.small), auth, (c) => decide(c, 'approve'))
    .post('/v1/merchant/returns/:id/reject', limitBody(BODY_LIMITS.small), auth, (c) => decide(c, 'reject'))
    .post('/v1/merchant/returns/:id/retry', limitBody(BODY_LIMITS.small), auth, (c) => decide(c, 'retry'))
    .post('/v1/merchant/returns/:id/cancel', limitBody(BODY_LIMITS.small), auth, (c) => decide(c, 'cancel'));

  const payerApi = new Hono<MerchantEnv>()
    .get('/merchants/:merchantId/returns/:token', merchantFromPath(deps.merchants), async (c) => {
      c.header('Cache-Control', 'no-store');
      const r = await service.payerView(c.var.merchant, c.req.param('token'));
      if (!r.ok) return serviceError(c, r);
      return c.json(
        { return: r.value.view, merchant: { name: c.var.merchant.name }, banks: service.banks },
        200,
      );
    })
    .post(
      '/merchants/:merchantId/returns/:token',
      limitBody(BODY_LIMITS.small),
      merchantFromPath(deps.merchants),
      validJson(bankDetailsRequestSchema, { status: 422 }),
      async (c) => {
        c.header('Cache-Control', 'no-store');
        const r = await service.submitBankDetails(
          c.var.merchant,
          c.req.param('token'),
          c.req.valid('json'),
          ipOf(c),
        );
        if (!r.ok) return serviceError(c, r);
        return c.json({ return: r.value.view }, 200);
      },
    );

  const payuNotices = new Hono<MerchantEnv>().post(
    '/:merchantId/payouts/:secret',
    limitBody(BODY_LIMITS.payuCallback),
    merchantFromPath(deps.merchants),
    async (c) => {
      const expected = c.var.merchant.payouts?.webhookSecret;
      if (!expected || !timingSafeEqual(digest(c.req.param('secret')), digest(expected))) {
        return apiError(c, 404, 'not_found');
      }
      // PayU does not document the encoding: JSON or a form, whichever arrives.
      const type = c.req.header('Content-Type') ?? '';
      let notice: Record<string, unknown> | null;
      if (type.includes('json')) {
        const json: unknown = await c.req.json().catch(() => null);
        notice =
          json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
      } else {
        notice = Object.fromEntries(new URLSearchParams(await c.req.text()));
      }
      if (!notice) return apiError(c, 400, 'invalid_request', 'Unreadable notification.');
      const outcome = await service.onPayoutNotice(c.var.merchant, notice);
      // 200 also for a payout we do not know: PayU would only retry it forever.
      return c.json({ received: true, outcome }, 200);
    },
  );

  return { merchantApi, payerApi, payuNotices };
}
