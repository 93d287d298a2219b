import { createReturnLinks } from '../money-back/return-link';
import { payerReturnView } from '../money-back/returns-service';
import { Hono, type Context, type Env } from 'hono';
import {
  checkoutRequestSchema,
  lookupRequestSchema,
  type LookupRequest,
  type PaymentResponse,
} from '../../shared/api/schemas';
import { formatMinor } from '../../shared/money';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { merchantFromPath } from '../http/merchant';
import { validJson } from '../http/valid-json';
import { createPaymentViewTokens, PAYMENT_VIEW_HEADER } from '../links/payment-view-token';
import { chargeReturnUrl, displayRef } from '../charges/charge-item';
import {
  createCheckout,
  findHeldCheckout,
  resumeResponse,
  type CheckoutPayer,
} from '../services/checkout-service';
import { resolvePayer } from '../services/resolve-payer';
import { notAllocatable } from './allocate-routes';
import { receiptPath } from '../receipts/receipt-paths';
import { totalsView, withheldView } from '../receipts/receipt-view';
import type { AppDeps } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { requestLog, withRequestLog } from '../observability/request-log';

/** 1–255 characters of a URL- and log-safe set, as Stripe accepts (a UUID, a hash, an order number). */
/** An ERP item by its ref, as before charges existed; a charge by its external_reference and its source. */
function paymentItemRef(key: string): { ref: string; source?: 'charge' } {
  const shown = displayRef(key);
  return shown.source === 'charge' ? { ref: shown.ref, source: 'charge' } : { ref: shown.ref };
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,255}$/;

/** Checkout and payment status (docs/spec/http-api.md). */
export function paymentRoutes(deps: AppDeps) {
  const returnLinks = createReturnLinks(deps.config.linkSecret, deps.config.publicUrl);
  // The payer's view of money going back from one payment; the bank-details page only while it is needed.
  const returnsView = async (merchantId: string, reference: string) => {
    const rets = await deps.store.listReturns(merchantId, { reference, limit: 20 });
    if (rets.length === 0) return {};
    const now = deps.clock.now();
    return {
      returns: rets
        .filter((r) => r.state !== 'rejected')
        .map((r) => {
          const v = payerReturnView(r, null);
          return {
            id: v.id,
            state: v.state,
            amount: v.amount,
            currency: r.currency,
            route: v.route,
            bankAccount: v.bankAccount,
            expectedArrival: v.expectedArrival,
            ...(v.needsBankDetails
              ? { bankDetailsPath: new URL(returnLinks.url(merchantId, r.id, now).url).pathname }
              : {}),
          };
        }),
    };
  };
  const merchant = merchantFromPath(deps.merchants);
  const views = createPaymentViewTokens(deps.config.linkSecret);

  async function heldCheckout(
    c: Context<
      Env & { Variables: { merchant: MerchantConfig } },
      string,
      { in: { json: LookupRequest }; out: { json: LookupRequest } }
    >,
    action: 'resume' | 'cancel',
  ) {
    c.header('Cache-Control', 'no-store');
    const merchant = c.var.merchant;
    const payer = resolvePayer(c.req.valid('json'), merchant.id, deps.links, deps.clock.now());
    if (!payer.ok) return apiError(c, payer.status, payer.code);
    const limited = await deps.rateLimiter.consumeLookup(c, merchant.id, payer.idNumber);
    if (limited) {
      return apiError(c, 429, 'rate_limited', undefined, {
        'Retry-After': String(limited.retryAfterSeconds),
      });
    }
    const reference = c.req.param('reference') ?? '';
    const held = await findHeldCheckout(withRequestLog(c, deps), merchant, payer.idNumber, reference);
    if (!held.ok) return apiError(c, held.status, held.code);
    if (action === 'resume') {
      const viewToken = views.issue(merchant.id, held.checkout.reference);
      return c.json({ ...resumeResponse(held.checkout), viewToken }, 200);
    }
    await deps.store.releaseHold(merchant.id, reference, deps.clock.now());
    requestLog(c, deps.logger).info({ merchant: merchant.id, reference }, 'checkout cancelled by the payer');
    return c.json({ reference, cancelled: true as const }, 200);
  }
  return (
    new Hono()
      .post(
        '/merchants/:merchantId/checkout',
        limitBody(BODY_LIMITS.checkout),
        merchant,
        // A bad amount or an unknown field inside an item is 422 naming it; other malformed bodies stay 400.
        validJson(checkoutRequestSchema, {
          status: (fields) => (fields.some((f) => f.path.startsWith('items.')) ? 422 : 400),
        }),
        async (c) => {
          c.header('Cache-Control', 'no-store');
          const merchant = c.var.merchant;
          const key = c.req.header('Idempotency-Key');
          if (!key) return apiError(c, 400, 'idempotency_key_required');
          if (!IDEMPOTENCY_KEY.test(key)) {
            return apiError(
              c,
              400,
              'idempotency_key_required',
              'The Idempotency-Key header must be 1 to 255 characters of A-Z, a-z, 0-9, "_", ".", ":" and "-".',
            );
          }
          const body = c.req.valid('json');
          let payer: CheckoutPayer;
          if ('charge' in body) {
            const charge = await deps.store.getChargeByLink(body.charge);
            if (!charge || charge.merchantId !== merchant.id) return apiError(c, 404, 'not_found');
            payer = { kind: 'charge', charge };
          } else {
            const resolved = resolvePayer(body, merchant.id, deps.links, deps.clock.now());
            if (!resolved.ok) return apiError(c, resolved.status, resolved.code);
            payer = { kind: 'id', idNumber: resolved.idNumber, nit: resolved.nit };
          }
          // Checkout asks the ERP too: it counts against the same limits, or it would be a way around them.
          const limited = await deps.rateLimiter.consumeLookup(
            c,
            merchant.id,
            payer.kind === 'id' ? payer.idNumber : `charge:${payer.charge.linkId}`,
          );
          if (limited) {
            return apiError(c, 429, 'rate_limited', undefined, {
              'Retry-After': String(limited.retryAfterSeconds),
            });
          }
          const outcome = await createCheckout(withRequestLog(c, deps), merchant, payer, body, key);
          deps.metrics.checkout(outcome.ok ? (outcome.replay ? 'replay' : 'created') : outcome.code);
          if (!outcome.ok) {
            if (outcome.code === 'amount_not_allocatable') return notAllocatable(c, outcome);
            return apiError(
              c,
              outcome.status,
              outcome.code,
              outcome.message,
              {},
              outcome.fields,
              outcome.details,
            );
          }
          if (!outcome.replay) {
            requestLog(c, deps.logger).info(
              {
                merchant: merchant.id,
                reference: outcome.body.reference,
                items: outcome.body.allocation?.length ?? body.items?.length ?? 0,
              },
              'checkout created',
            );
          }
          const viewToken = views.issue(merchant.id, outcome.body.reference);
          return c.json({ ...outcome.body, viewToken }, 201);
        },
      )
      // The payer's own pending checkout, proven by their credential: resume it (the same reference and
      // signed form, e.g. after pressing Back on PayU's page) or give it up so the items can be paid again.
      .post(
        '/merchants/:merchantId/checkouts/:reference/resume',
        limitBody(BODY_LIMITS.checkout),
        merchant,
        validJson(lookupRequestSchema),
        (c) => heldCheckout(c, 'resume'),
      )
      .post(
        '/merchants/:merchantId/checkouts/:reference/cancel',
        limitBody(BODY_LIMITS.checkout),
        merchant,
        validJson(lookupRequestSchema),
        (c) => heldCheckout(c, 'cancel'),
      )
      .get('/merchants/:merchantId/payments/:reference', merchant, async (c) => {
        c.header('Cache-Control', 'no-store');
        const merchant = c.var.merchant;
        // Per client address, before the store is asked: references cannot be tried at speed.
        const limited = await deps.rateLimiter.consumePaymentRead(c);
        if (limited) {
          return apiError(c, 429, 'rate_limited', undefined, {
            'Retry-After': String(limited.retryAfterSeconds),
          });
        }
        const reference = c.req.param('reference');
        const checkout = await deps.store.getCheckout(merchant.id, reference);
        if (!checkout) return apiError(c, 404, 'not_found', 'There is no payment with this reference.');
        // Descriptions name what was paid for: only the browser that made the checkout sees them.
        const owner = views.verify(merchant.id, checkout.reference, c.req.header(PAYMENT_VIEW_HEADER));
        const body: PaymentResponse = {
          reference: checkout.reference,
          status: checkout.status,
          amount: formatMinor(checkout.amount, checkout.currency),
          currency: checkout.currency,
          items: checkout.items.map((i) => ({
            ...paymentItemRef(i.ref),
            ...(owner ? { description: i.description } : {}),
            amount: formatMinor(i.amount, checkout.currency),
            ...withheldView(i, checkout.currency),
          })),
          ...totalsView(checkout),
          // The receipt is the payer's: its address goes only to the browser that made the checkout.
          ...(owner && checkout.status === 'approved' && checkout.receiptToken
            ? { receiptUrl: receiptPath(merchant.id, checkout.receiptToken) }
            : {}),
          ...(owner ? await returnsView(merchant.id, checkout.reference) : {}),
          updatedAt: checkout.updatedAt.toISOString(),
          createdAt: checkout.createdAt.toISOString(),
          payuReference: checkout.payuReference,
          ...(checkout.status === 'pending' ? { holdUntil: checkout.holdUntil.toISOString() } : {}),
          merchant: {
            id: merchant.id,
            name: merchant.name,
            returnUrl: chargeReturnUrl(checkout.items) ?? merchant.returnUrl ?? null,
          },
        };
        return c.json(body, 200);
      })
      .get('/merchants/:merchantId/public', merchant, (c) => {
        const merchant = c.var.merchant;
        c.header('Cache-Control', 'public, max-age=300');
        return c.json(
          {
            id: merchant.id,
            name: merchant.name,
            locale: merchant.locale,
            returnUrl: merchant.returnUrl ?? null,
            branding: merchant.branding,
            embed: merchant.embed.allowedOrigins.length > 0,
            support: merchant.support ?? null,
            termsUrl: merchant.termsUrl ?? null,
            privacyUrl: merchant.privacyUrl ?? null,
          },
          200,
        );
      })
  );
}
