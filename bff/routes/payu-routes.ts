import { Hono, type Context } from 'hono';
import {
  parseConfirmation,
  verifyConfirmation,
  valueMatches,
  type PayuConfirmation,
} from '../payu/confirmation';
import { parseResponsePage, verifyResponsePage } from '../payu/response-page';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import { merchantFromPath } from '../http/merchant';
import { embeddingPage } from '../services/checkout-service';
import { paymentNotifications } from '../notifications/receipt';
import { paymentEventMessages } from '../webhooks/payment-event';
import { InFlight } from '../process/in-flight';
import type { AppDeps } from '../app-deps';
import type { ReturnsService } from '../money-back/returns-service';
import type { MerchantConfig } from '../config/config-schema';
import { requestLog } from '../observability/request-log';

/**
 * PayU's two callbacks (docs/spec/payu-webcheckout.md, docs/spec/http-api.md). The confirmation is the source of truth and
 * the only thing that changes payment state; the response page is display-only.
 */
export function payuRoutes(deps: AppDeps, returns?: Pick<ReturnsService, 'checkOverpayment'>) {
  const merchantOf = merchantFromPath(deps.merchants);
  /**
   * The confirmations this process is answering right now, by merchant, transaction id and every signed
   * field. PayU sends a notification again when it got no answer in time, so under load the same form
   * arrives while the first is still being handled: a copy waits here for the first's answer and, if that
   * was 200 (applied, or already recorded, and committed), answers 200 itself without reading the store.
   * The key holds every signed field, so a copy is the same verified notification; the transaction id is not
   * signed, and a different one is a different key. If the first answered anything else, each copy is handled
   * on its own. Across instances, the store's transaction key decides as always.
   */
  const answering = new InFlight<boolean>();

  async function confirm(merchant: MerchantConfig, conf: PayuConfirmation, c: Context): Promise<Response> {
    // One round trip: the checkout, and whether this transaction id is already recorded (a PayU retry).
    const target = await deps.store.getCheckoutForConfirmation(
      merchant.id,
      conf.referenceSale,
      conf.transactionId,
    );
    const checkout = target?.checkout;
    if (!checkout) {
      deps.metrics.confirmation('not_found');
      return apiError(c, 404, 'not_found', 'Unknown reference.');
    }
    // Only merchant, reference, value, currency and state are signed, and nothing is timestamped: the
    // signed value and currency must be exactly what this checkout asked for, or a captured notification
    // of a cheaper payment could be replayed against it.
    if (
      conf.currency !== checkout.currency ||
      !valueMatches(conf.value, checkout.amount, checkout.currency)
    ) {
      deps.metrics.confirmation('mismatch');
      requestLog(c, deps.logger).warn(
        { merchant: merchant.id, reference: checkout.reference },
        'confirmation refused: mismatch',
      );
      return apiError(c, 422, 'payment_mismatch');
    }
    if (conf.status === null) {
      deps.metrics.confirmation('unknown_state');
      return apiError(c, 422, 'invalid_request', 'Unknown state_pol.');
    }
    if (target.recorded) {
      // Already applied or recorded: what applyConfirmation would answer ('duplicate'), without asking it.
      deps.metrics.confirmation('duplicate');
      return c.text('OK', 200);
    }
    const now = deps.clock.now();
    const result = await deps.store.applyConfirmation({
      merchantId: merchant.id,
      reference: checkout.reference,
      transactionId: conf.transactionId,
      status: conf.status,
      payuReference: conf.referencePol,
      paymentMethod: conf.paymentMethodName ?? conf.paymentMethodType,
      now,
      checkout,
      event: (updated, status) => paymentEventMessages(merchant, updated, status, now),
      notifications: (updated, status) => paymentNotifications(deps, merchant, updated, status, now),
    });
    deps.metrics.confirmation(result.kind);
    if (result.kind === 'not_found') return apiError(c, 404, 'not_found', 'Unknown reference.');
    if (result.kind === 'applied') {
      requestLog(c, deps.logger).info(
        { merchant: merchant.id, reference: checkout.reference, from: result.previous, to: conf.status },
        'payment state changed',
      );
      deps.onOutboxWritten();
      deps.notifications?.kick();
    }
    if (conf.status === 'approved' && result.kind !== 'duplicate' && returns) {
      // An approval beyond what the item owed becomes a return (docs/spec/money-back.md). Failing here must
      // not fail the confirmation: the returns job re-checks every approval left unchecked.
      await returns
        .checkOverpayment(merchant, checkout.reference, conf.paymentMethodType)
        .catch((err: unknown) =>
          requestLog(c, deps.logger).error(
            { merchant: merchant.id, err: { message: (err as Error).message } },
            'over-payment check failed',
          ),
        );
    }
    // 200 only now: the change (or the proof it was already recorded) is committed.
    return c.text('OK', 200);
  }

  return new Hono()
    .post('/:merchantId/confirmation', limitBody(BODY_LIMITS.payuCallback), merchantOf, async (c) => {
      const merchant = c.var.merchant;
      const fields = await formFields(c).catch(() => null);
      const parsed = fields ? parseConfirmation(fields) : null;
      if (!parsed || !parsed.ok) {
        deps.metrics.confirmation('invalid_request');
        return apiError(c, 400, 'invalid_request', 'Not a PayU confirmation.');
      }
      const conf = parsed.value;
      if (conf.merchantId !== merchant.payu.merchantId || !verifyConfirmation(conf, merchant.payu.apiKey)) {
        deps.metrics.confirmation('invalid_signature');
        requestLog(c, deps.logger).warn({ merchant: merchant.id }, 'confirmation refused: bad signature');
        return apiError(c, 401, 'invalid_signature');
      }
      const key = [
        merchant.id,
        conf.transactionId,
        conf.referenceSale,
        conf.value,
        conf.currency,
        conf.statePol,
      ].join('\n');
      const first = answering.get(key);
      if (first && (await first.catch(() => false))) {
        deps.metrics.confirmation('duplicate');
        return c.text('OK', 200);
      }
      const answer = confirm(merchant, conf, c);
      if (!first)
        answering.track(
          key,
          answer.then((res) => res.status === 200),
        );
      return answer;
    })
    .get('/:merchantId/response', merchantOf, async (c) => {
      const merchant = c.var.merchant;
      const parsed = parseResponsePage(c.req.queries());
      if (!parsed.ok) return c.redirect(`/${merchant.id}`, 303);
      const page = parsed.value;
      const valid =
        page.merchantId === merchant.payu.merchantId && verifyResponsePage(page, merchant.payu.apiKey);
      if (!valid)
        requestLog(c, deps.logger).warn({ merchant: merchant.id }, 'response page with a bad signature');
      const reference = encodeURIComponent(page.referenceCode);
      if (valid && page.status === 'pending') {
        // PayU says the payment is still being processed (PSE, cash): keep the items held longer. This is
        // not a payment state; only the confirmation changes state.
        const until = new Date(deps.clock.now().getTime() + deps.config.pendingHoldMinutes * 60_000);
        await deps.store.extendHold(merchant.id, page.referenceCode, until);
      }
      const query = new URLSearchParams();
      if (valid && page.status) query.set('payu', page.status);
      // PayU's lng round trip: the result page speaks the language the payer chose before PayU.
      if (page.lng === 'es' || page.lng === 'en') query.set('lng', page.lng);
      // Started inside the merchant's page: back there, where embed.js opens the result in the iframe
      // (saldo_result) and the page gets saldo:payment_result. The target is re-checked against the
      // merchant's allowed origins: extra2 is not covered by PayU's signature.
      const embedding = page.extra2 ? embeddingPage(merchant, page.extra2) : false;
      if (embedding) {
        const back = new URL(embedding);
        back.searchParams.set('saldo_result', page.referenceCode);
        for (const [name, value] of query) back.searchParams.set(`saldo_${name}`, value);
        return c.redirect(back.href, 303);
      }
      const suffix = query.size > 0 ? `?${query.toString()}` : '';
      return c.redirect(`/${merchant.id}/pay/result/${reference}${suffix}`, 303);
    });
}

/**
 * The confirmation's form fields (see singleFields). PayU posts application/x-www-form-urlencoded: read as
 * text (@hono/node-server's direct read) and split with URLSearchParams, as fetch's formData() would decode
 * it. Hono's parseBody goes through a web Request, a ReadableStream and a FormData instead: ~0.3 ms of CPU
 * per confirmation (README "Performance"). Any other body (multipart) keeps parseBody.
 */
async function formFields(c: Context): Promise<Record<string, string> | null> {
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(c.req.header('content-type') ?? '')) {
    // all: true keeps every value of a repeated field, so `state_pol=6&state_pol=4` is seen and refused
    // instead of the last value silently winning.
    return singleFields(await c.req.parseBody({ all: true }));
  }
  // No prototype: a field named __proto__ is a field like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(await c.req.text())) {
    if (Object.hasOwn(out, k)) return null;
    out[k] = v;
  }
  return out;
}

/**
 * The form's text fields, or null when any field is given more than once: PayU sends each once, and with
 * two values which one was signed is a guess. Files (multipart) are no PayU field and are dropped.
 */
function singleFields(form: Record<string, unknown>): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    if (Array.isArray(v)) return null;
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}
