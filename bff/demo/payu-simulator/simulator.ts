import { randomBytes, randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { signRequest, isPayuAlgorithm, safeEqualSignature, type PayuAlgorithm } from '../../payu/signature';
import { checkoutFormSchema, type Checkout } from './checkout-form';
import { createConfirmationDelivery, errorMessage } from './confirmation-delivery';
import { checkoutPage, errorPage } from './pages';
import {
  confirmationParams,
  newTransaction,
  orderKey,
  responsePageUrl,
  type SimOrder,
  type SimTransaction,
  type TxState,
} from './protocol';
import { queriesApi } from './queries-api';
import {
  PAYU_SIM_OUTCOMES,
  PayuSimCheckoutError,
  type ConfirmationDelivery,
  type PayuSimOutcome,
  type PayuSimPayment,
  type PayuSimulatorDeps,
  type PayuSimulatorLogger,
} from './types';

export * from './types';

/**
 * A local stand-in for PayU WebCheckout (demo code), speaking the protocol of docs/spec/payu-webcheckout.md
 * so the portal runs and is tested end to end without PayU: the checkout page (pages.ts), the
 * response-page redirect and the confirmation POST with PayU's retries (protocol.ts,
 * confirmation-delivery.ts), and the Queries API (queries-api.ts). This file keeps the state and the routes.
 *
 * Choice of state: a checkout lives server-side in a Map keyed by a random simulator id (128 bits), which
 * is also the capability in the outcome form's URL. That is simpler than carrying the fields in hidden
 * inputs under an HMAC, and the simulator is one process anyway. The Maps are bounded (oldest dropped).
 *
 * Routes are registered under `basePath`; mount the app without stripping the prefix
 * (`app.route('/', sim.app)` or `app.mount(basePath, sim.app.fetch, { replaceRequest: false })`).
 */

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000];
const DEFAULT_PENDING_DELAY_MS = 3_000;
const DEFAULT_CONFIRMATION_TIMEOUT_MS = 10_000;
const MAX_FORM_BYTES = 64 * 1024;
const CHECKOUT_TTL_MS = 2 * 60 * 60 * 1000;

const noopLogger: PayuSimulatorLogger = { info() {}, warn() {} };

export function createPayuSimulator(deps: PayuSimulatorDeps) {
  const basePath = deps.basePath.replace(/\/+$/, '');
  const pendingDelayMs = deps.pendingDelayMs ?? DEFAULT_PENDING_DELAY_MS;
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? noopLogger;
  const isAllowedCallbackUrl =
    deps.isAllowedCallbackUrl ?? ((url: URL) => url.protocol === 'https:' || url.protocol === 'http:');
  const maxCheckouts = deps.maxCheckouts ?? 1_000;
  const maxOrders = deps.maxOrders ?? 10_000;

  const checkouts = new Map<string, Checkout>();
  const lifetime = new AbortController();
  const { deliver, sleep } = createConfirmationDelivery({
    fetch: deps.fetch ?? globalThis.fetch,
    retryDelaysMs: deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    timeoutMs: deps.confirmationTimeoutMs ?? DEFAULT_CONFIRMATION_TIMEOUT_MS,
    logger,
    lifetime: lifetime.signal,
  });
  const orders = new Map<string, SimOrder>();
  // PayU order ids (`reference_pol`) are 9-digit numbers.
  let nextOrderId = 840_000_000 + randomInt(0, 10_000_000);

  function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
    map.delete(key);
    map.set(key, value);
    while (map.size > max) {
      const oldest = map.keys().next();
      if (oldest.done) break;
      map.delete(oldest.value);
    }
  }

  /** Validates a posted form as PayU does: fields, merchant and account, callback URLs, signature. */
  function validateCheckout(fields: Readonly<Record<string, unknown>>): Checkout {
    const parsed = checkoutFormSchema.safeParse(fields);
    if (!parsed.success) {
      throw new PayuSimCheckoutError(
        'invalid_form',
        parsed.error.issues.map((i) => `${i.path.join('.') || '(form)'}: ${i.message}`),
      );
    }
    const form = parsed.data;
    const merchant = deps.merchants(form.merchantId);
    if (!merchant || merchant.accountId !== form.accountId) {
      throw new PayuSimCheckoutError('unknown_merchant', ['merchantId/accountId']);
    }
    for (const name of ['responseUrl', 'confirmationUrl'] as const) {
      if (!isAllowedCallbackUrl(new URL(form[name]))) {
        throw new PayuSimCheckoutError('invalid_form', [`${name}: not allowed`]);
      }
    }
    // PayU: algorithmSignature defaults to MD5 when absent.
    const algorithm: PayuAlgorithm = isPayuAlgorithm(form.algorithmSignature)
      ? form.algorithmSignature
      : 'MD5';
    const expected = signRequest({
      apiKey: merchant.apiKey,
      merchantId: form.merchantId,
      referenceCode: form.referenceCode,
      amount: form.amount,
      currency: form.currency,
      algorithm,
      paymentMethods: form.paymentMethods,
      iin: form.iin,
      pseBanks: form.pseBanks,
    });
    if (!safeEqualSignature(expected, form.signature)) {
      throw new PayuSimCheckoutError('invalid_signature', ['signature']);
    }
    // PayU refuses a reference that already has an approved (or in-flight) payment.
    const existing = orders.get(orderKey(form.merchantId, form.referenceCode));
    if (existing?.transactions.some((t) => t.state === 'APPROVED' || t.state === 'PENDING')) {
      throw new PayuSimCheckoutError('already_paid', ['referenceCode']);
    }
    return { form, algorithm, lng: form.lng === 'en' ? 'en' : 'es', createdAt: now().getTime(), done: false };
  }

  function orderFor(checkout: Checkout): SimOrder {
    const key = orderKey(checkout.form.merchantId, checkout.form.referenceCode);
    const existing = orders.get(key);
    if (existing) return existing;
    nextOrderId += 1;
    const order: SimOrder = {
      id: String(nextOrderId),
      merchantId: checkout.form.merchantId,
      form: checkout.form,
      transactions: [],
    };
    remember(orders, key, order, maxOrders);
    return order;
  }

  function apiKeyOf(merchantId: string): string {
    const merchant = deps.merchants(merchantId);
    if (!merchant) throw new PayuSimCheckoutError('unknown_merchant', ['merchantId']);
    return merchant.apiKey;
  }

  function run(checkout: Checkout, outcome: PayuSimOutcome): PayuSimPayment {
    const order = orderFor(checkout);
    const initial: TxState =
      outcome === 'approved'
        ? 'APPROVED'
        : outcome === 'declined'
          ? 'DECLINED'
          : outcome === 'expired'
            ? 'EXPIRED'
            : outcome === 'error'
              ? 'ERROR'
              : 'PENDING';
    const tx: SimTransaction = newTransaction(initial, now().getTime());
    order.transactions.push(tx);
    // A payer may retry after a decline inside the same checkout; anything else ends it.
    if (initial !== 'DECLINED' && initial !== 'ERROR') checkout.done = true;
    const apiKey = apiKeyOf(checkout.form.merchantId);
    const redirectUrl = responsePageUrl(checkout, order, tx, apiKey);
    const reference = checkout.form.referenceCode;

    let confirmation: Promise<ConfirmationDelivery>;
    if (initial === 'PENDING') {
      // PayU confirms only final states: nothing is sent while pending, the approval follows later.
      confirmation = sleep(pendingDelayMs).then((awake) => {
        if (!awake) return { delivered: false, status: null, attempts: 0 };
        tx.state = 'APPROVED';
        tx.operationDate = now().getTime();
        return deliver(
          checkout.form.confirmationUrl,
          confirmationParams(checkout, order, tx, apiKey),
          reference,
        );
      });
    } else {
      confirmation = deliver(
        checkout.form.confirmationUrl,
        confirmationParams(checkout, order, tx, apiKey),
        reference,
      );
    }
    // Nobody may be awaiting this promise (the browser flow): it must never reject.
    confirmation = confirmation.catch((err: unknown) => {
      logger.warn({ reference, err: errorMessage(err) }, 'payu-sim: confirmation failed');
      return { delivered: false, status: null, attempts: 0 };
    });
    return { redirectUrl, transactionId: tx.id, orderId: order.id, confirmation };
  }

  /** Same as submitting the form and pressing an outcome; throws PayuSimCheckoutError on a bad form. */
  function pay(fields: Readonly<Record<string, string>>, outcome: PayuSimOutcome): PayuSimPayment {
    if (lifetime.signal.aborted) throw new Error('payu simulator: closed');
    return run(validateCheckout(fields), outcome);
  }

  function findMerchantByLogin(apiLogin: string): string | undefined {
    if (deps.merchantIdByApiLogin) return deps.merchantIdByApiLogin(apiLogin);
    for (const order of orders.values()) {
      if (deps.merchants(order.merchantId)?.apiLogin === apiLogin) return order.merchantId;
    }
    return undefined;
  }

  const app = new Hono()
    .basePath(basePath)
    .use('*', async (c, next) => {
      await next();
      // PayU's checkout refuses to be framed; so does the simulator, so an embedded flow that forgets
      // target="_top" fails here as it would in production.
      c.res.headers.set('X-Frame-Options', 'DENY');
      c.res.headers.set('Cache-Control', 'no-store');
      if (!c.res.headers.has('Content-Security-Policy')) {
        c.res.headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      }
    })
    .post(
      '/checkout',
      bodyLimit({
        maxSize: MAX_FORM_BYTES,
        onError: (c) => c.html(errorPage('es', 'invalid_form', []), 413),
      }),
      async (c) => {
        const fields = await c.req.parseBody({ all: true }).catch(() => null);
        if (!fields) return c.html(errorPage('es', 'invalid_form', ['(form)']), 400);
        const lng = fields.lng === 'en' ? 'en' : 'es';
        let checkout: Checkout;
        try {
          checkout = validateCheckout(fields);
        } catch (err) {
          if (!(err instanceof PayuSimCheckoutError)) throw err;
          logger.warn({ kind: err.kind, issues: err.issues }, 'payu-sim: checkout refused');
          return c.html(errorPage(lng, err.kind, err.issues), err.kind === 'already_paid' ? 409 : 400);
        }
        orderFor(checkout);
        const id = randomBytes(16).toString('base64url');
        remember(checkouts, id, checkout, maxCheckouts);
        return c.html(checkoutPage(checkout, id), 200);
      },
    )
    .post('/checkout/:id', bodyLimit({ maxSize: 4 * 1024 }), async (c) => {
      const checkout = checkouts.get(c.req.param('id'));
      if (!checkout || now().getTime() - checkout.createdAt > CHECKOUT_TTL_MS) {
        return c.html(errorPage('es', 'unknown_checkout', []), 404);
      }
      if (checkout.done) return c.html(errorPage(checkout.lng, 'already_paid', []), 409);
      const body = await c.req.parseBody().catch(() => null);
      const outcome = body?.outcome;
      if (typeof outcome !== 'string' || !(PAYU_SIM_OUTCOMES as readonly string[]).includes(outcome)) {
        return c.html(errorPage(checkout.lng, 'invalid_form', ['outcome']), 400);
      }
      const payment = run(checkout, outcome as PayuSimOutcome);
      // The browser leaves now; the confirmation goes on in the background and never rejects.
      void payment.confirmation;
      return c.redirect(payment.redirectUrl, 303);
    })
    .post(
      '/reports-api/4.0/service.cgi',
      bodyLimit({ maxSize: 16 * 1024 }),
      queriesApi({
        merchants: deps.merchants,
        merchantIdByApiLogin: findMerchantByLogin,
        order: (merchantId, reference) => orders.get(orderKey(merchantId, reference)),
      }),
    );

  return {
    app,
    basePath,
    pay,
    /** An order by PayU's id with its approved transaction, for the refunds simulator (demo money back). */
    orderById(id: string) {
      for (const order of orders.values()) {
        if (order.id !== id) continue;
        const approved = order.transactions.find((t) => t.state === 'APPROVED');
        if (!approved) return null;
        return {
          orderId: order.id,
          transactionId: approved.id,
          // The simulator's confirmations say card (payment_method_type 2).
          paymentMethodType: '2',
          value: Number(order.form.amount),
          currency: order.form.currency,
        };
      }
      return null;
    },
    /** Cancels pending confirmation timers and in-flight deliveries; their promises settle undelivered. */
    close(): void {
      lifetime.abort();
    },
  };
}

export type PayuSimulator = ReturnType<typeof createPayuSimulator>;
