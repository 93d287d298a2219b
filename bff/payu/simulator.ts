import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { isCurrency, parseDecimal, rescale } from '../../shared/money';
import { isValidPayuReference } from './form';
import {
  isPayuAlgorithm,
  safeEqualSignature,
  signConfirmation,
  signRequest,
  signResponsePage,
  type PayuAlgorithm,
} from './signature';

/**
 * A local stand-in for PayU WebCheckout, speaking the protocol of the spec (payu-webcheckout.md) so the
 * portal runs and is tested end to end without PayU: the checkout page, the response-page redirect, the
 * confirmation POST with PayU's retries, and the Queries API.
 *
 * Choice of state: a checkout lives server-side in a Map keyed by a random simulator id (128 bits), which
 * is also the capability in the outcome form's URL. That is simpler than carrying the fields in hidden
 * inputs under an HMAC, and the simulator is one process anyway. The Maps are bounded (oldest dropped).
 *
 * Routes are registered under `basePath`; mount the app without stripping the prefix
 * (`app.route('/', sim.app)` or `app.mount(basePath, sim.app.fetch, { replaceRequest: false })`).
 * The checkout page uses no script and no inline style, so it passes a strict CSP.
 */

export const PAYU_SIM_OUTCOMES = [
  'approved',
  'declined',
  'pending-then-approved',
  'expired',
  'error',
] as const;
export type PayuSimOutcome = (typeof PAYU_SIM_OUTCOMES)[number];

export interface PayuSimMerchant {
  readonly apiKey: string;
  readonly accountId: string;
  /** Needed only for the Queries API. */
  readonly apiLogin?: string;
}

export interface PayuSimulatorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PayuSimulatorDeps {
  readonly merchants: (merchantId: string) => PayuSimMerchant | undefined;
  /** Queries API requests carry apiLogin, not merchantId. Default: the merchants this simulator has seen. */
  readonly merchantIdByApiLogin?: (apiLogin: string) => string | undefined;
  /** e.g. `/payu-sim`; the checkout is `{basePath}/checkout`. */
  readonly basePath: string;
  readonly fetch?: typeof fetch;
  /**
   * Waits between confirmation attempts; attempts = delays + 1. The default gives PayU's 9 attempts over
   * about 4 minutes (PayU itself spreads them wider).
   */
  readonly retryDelaysMs?: readonly number[];
  /** pending-then-approved: how long the payment stays pending before the approval is confirmed. */
  readonly pendingDelayMs?: number;
  /** Per confirmation attempt. */
  readonly confirmationTimeoutMs?: number;
  readonly now?: () => Date;
  readonly logger?: PayuSimulatorLogger;
  /**
   * Which responseUrl/confirmationUrl the simulator will redirect to and POST to. Those URLs are not
   * covered by PayU's signature, so anyone holding a signed form can point them elsewhere; restrict them
   * (e.g. to the portal's own origin) wherever the simulator is reachable by others. Default: http(s).
   */
  readonly isAllowedCallbackUrl?: (url: URL) => boolean;
  /** Bound of the in-memory checkouts and orders (default 1000 and 10000). */
  readonly maxCheckouts?: number;
  readonly maxOrders?: number;
}

export interface ConfirmationDelivery {
  readonly delivered: boolean;
  /** HTTP status of the last attempt, null when it failed before a response. */
  readonly status: number | null;
  readonly attempts: number;
}

export interface PayuSimPayment {
  /** Where the simulator sends the payer: responseUrl with PayU's response-page query. */
  readonly redirectUrl: string;
  readonly transactionId: string;
  readonly orderId: string;
  /** Settles (never rejects) once the confirmation is delivered, given up on, or the simulator closed. */
  readonly confirmation: Promise<ConfirmationDelivery>;
}

export class PayuSimCheckoutError extends Error {
  constructor(
    readonly kind: 'invalid_signature' | 'unknown_merchant' | 'invalid_form' | 'already_paid',
    readonly issues: readonly string[],
  ) {
    super(`payu simulator: ${kind}: ${issues.join('; ')}`);
    this.name = 'PayuSimCheckoutError';
  }
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000];
const DEFAULT_PENDING_DELAY_MS = 3_000;
const DEFAULT_CONFIRMATION_TIMEOUT_MS = 10_000;
const MAX_FORM_BYTES = 64 * 1024;
const CHECKOUT_TTL_MS = 2 * 60 * 60 * 1000;

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((s) => (s === undefined || s === '' ? undefined : s));

const decimalText = z.string().regex(/^\d{1,15}(?:\.\d{1,2})?$/, 'must be a number with at most 2 decimals');
const callbackUrl = z.string().max(2048).url();

/** What PayU's gateway validates on the posted form (see "Form fields the portal sends"). */
const checkoutFormSchema = z.object({
  merchantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  accountId: z.string().regex(/^\d{1,20}$/),
  description: z.string().min(1).max(255),
  referenceCode: z.string().refine(isValidPayuReference, 'must be 1-255 letters, digits, "-" or "_"'),
  amount: decimalText,
  // Refused when missing rather than reproducing PayU Colombia's silent 19 % VAT: the bug is meant to show.
  tax: decimalText,
  taxReturnBase: decimalText,
  currency: z.string().refine(isCurrency, 'unsupported currency'),
  signature: z.string().regex(/^[0-9a-fA-F]{32,64}$/),
  algorithmSignature: z
    .string()
    .optional()
    .refine((a) => a === undefined || isPayuAlgorithm(a), 'must be MD5, SHA or SHA256'),
  test: z.enum(['0', '1']).optional(),
  lng: optionalText(5),
  buyerEmail: z
    .string()
    .max(255)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address'),
  buyerFullName: optionalText(150),
  telephone: optionalText(20),
  responseUrl: callbackUrl,
  confirmationUrl: callbackUrl,
  paymentMethods: optionalText(255),
  iin: optionalText(255),
  pseBanks: optionalText(255),
  shippingAddress: optionalText(255),
  shippingCity: optionalText(50),
  shippingCountry: optionalText(2),
  extra1: optionalText(255),
  extra2: optionalText(255),
  extra3: optionalText(255),
});

type CheckoutForm = z.infer<typeof checkoutFormSchema>;

interface Checkout {
  readonly form: CheckoutForm;
  readonly algorithm: PayuAlgorithm;
  readonly lng: 'es' | 'en';
  readonly createdAt: number;
  done: boolean;
}

type TxState = 'APPROVED' | 'DECLINED' | 'PENDING' | 'EXPIRED' | 'ERROR';

interface SimTransaction {
  readonly id: string;
  state: TxState;
  operationDate: number;
}

interface SimOrder {
  readonly id: string;
  readonly merchantId: string;
  readonly form: CheckoutForm;
  readonly transactions: SimTransaction[];
}

/** PayU's codes per outcome: response page (transactionState, polTransactionState, …) and confirmation. */
interface OutcomeCodes {
  readonly transactionState: string;
  readonly polTransactionState: string;
  readonly lapTransactionState: string;
  readonly polResponseCode: string;
  readonly lapResponseCode: string;
}

const CODES: Readonly<Record<TxState, OutcomeCodes>> = {
  APPROVED: {
    transactionState: '4',
    polTransactionState: '4',
    lapTransactionState: 'APPROVED',
    polResponseCode: '1',
    lapResponseCode: 'APPROVED',
  },
  DECLINED: {
    transactionState: '6',
    polTransactionState: '6',
    lapTransactionState: 'DECLINED',
    polResponseCode: '5',
    lapResponseCode: 'ENTITY_DECLINED',
  },
  EXPIRED: {
    transactionState: '5',
    polTransactionState: '5',
    lapTransactionState: 'EXPIRED',
    polResponseCode: '20',
    lapResponseCode: 'EXPIRED_TRANSACTION',
  },
  // The spec's state table: an error is transactionState 104 on the page and state_pol 6 in the
  // confirmation, told apart from a decline by response_message_pol ERROR.
  ERROR: {
    transactionState: '104',
    polTransactionState: '6',
    lapTransactionState: 'ERROR',
    polResponseCode: '9999',
    lapResponseCode: 'ERROR',
  },
  // Pending is reported with a pol state other than transactionState, which is why the response-page
  // signature uses transactionState.
  PENDING: {
    transactionState: '7',
    polTransactionState: '14',
    lapTransactionState: 'PENDING',
    polResponseCode: '25',
    lapResponseCode: 'PENDING_TRANSACTION_CONFIRMATION',
  },
};

const noopLogger: PayuSimulatorLogger = { info() {}, warn() {} };

export function createPayuSimulator(deps: PayuSimulatorDeps) {
  const basePath = deps.basePath.replace(/\/+$/, '');
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const retryDelays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const pendingDelayMs = deps.pendingDelayMs ?? DEFAULT_PENDING_DELAY_MS;
  const confirmationTimeoutMs = deps.confirmationTimeoutMs ?? DEFAULT_CONFIRMATION_TIMEOUT_MS;
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? noopLogger;
  const isAllowedCallbackUrl =
    deps.isAllowedCallbackUrl ?? ((url: URL) => url.protocol === 'https:' || url.protocol === 'http:');
  const maxCheckouts = deps.maxCheckouts ?? 1_000;
  const maxOrders = deps.maxOrders ?? 10_000;

  const checkouts = new Map<string, Checkout>();
  const orders = new Map<string, SimOrder>();
  const lifetime = new AbortController();
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

  function sleep(ms: number): Promise<boolean> {
    const signal = lifetime.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** PayU expects exactly HTTP 200 and retries anything else, a bounded number of times. */
  async function deliver(
    url: string,
    params: Record<string, string>,
    reference: string,
  ): Promise<ConfirmationDelivery> {
    const body = new URLSearchParams(params).toString();
    const maxAttempts = retryDelays.length + 1;
    let attempts = 0;
    let status: number | null = null;
    for (;;) {
      if (lifetime.signal.aborted) return { delivered: false, status, attempts };
      attempts += 1;
      try {
        const res = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([lifetime.signal, AbortSignal.timeout(confirmationTimeoutMs)]),
        });
        status = res.status;
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        status = null;
        logger.warn(
          { reference, attempt: attempts, err: errorMessage(err) },
          'payu-sim: confirmation failed',
        );
      }
      if (status === 200) {
        logger.info({ reference, attempts }, 'payu-sim: confirmation delivered');
        return { delivered: true, status, attempts };
      }
      if (attempts >= maxAttempts) {
        logger.warn({ reference, attempts, status }, 'payu-sim: confirmation given up');
        return { delivered: false, status, attempts };
      }
      if (!(await sleep(retryDelays[attempts - 1] ?? 0))) return { delivered: false, status, attempts };
    }
  }

  function responsePageUrl(checkout: Checkout, order: SimOrder, tx: SimTransaction): string {
    const { form } = checkout;
    const codes = CODES[tx.state];
    const txValue = twoDecimals(form.amount);
    const url = new URL(form.responseUrl);
    const params: Record<string, string | undefined> = {
      merchantId: form.merchantId,
      merchant_name: 'Simulador PayU',
      transactionState: codes.transactionState,
      lapTransactionState: codes.lapTransactionState,
      polTransactionState: codes.polTransactionState,
      polResponseCode: codes.polResponseCode,
      lapResponseCode: codes.lapResponseCode,
      message: codes.lapTransactionState,
      referenceCode: form.referenceCode,
      reference_pol: order.id,
      transactionId: tx.id,
      description: form.description,
      TX_VALUE: txValue,
      TX_TAX: '0.00',
      currency: form.currency,
      lng: checkout.lng,
      processingDate: bogotaDateTime(new Date(tx.operationDate)).slice(0, 10),
      buyerEmail: form.buyerEmail,
      polPaymentMethodType: '2',
      lapPaymentMethod: 'VISA',
      authorizationCode: tx.state === 'APPROVED' ? authorizationCode(tx.id) : undefined,
      extra1: form.extra1,
      extra2: form.extra2,
      extra3: form.extra3,
      signature: signResponsePage({
        apiKey: apiKeyOf(form.merchantId),
        merchantId: form.merchantId,
        referenceCode: form.referenceCode,
        txValue,
        currency: form.currency,
        transactionState: codes.transactionState,
        algorithm: checkout.algorithm,
      }),
    };
    // URLSearchParams form-encodes (space as `+`), exactly as PayU builds this query.
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  function confirmationParams(
    checkout: Checkout,
    order: SimOrder,
    tx: SimTransaction,
  ): Record<string, string> {
    const { form } = checkout;
    const codes = CODES[tx.state];
    // PayU writes `value` with two decimals ("20000.00"); the signature then drops a trailing 0 decimal.
    const value = twoDecimals(form.amount);
    const statePol = tx.state === 'ERROR' ? '6' : codes.transactionState;
    const params: Record<string, string | undefined> = {
      merchant_id: form.merchantId,
      reference_sale: form.referenceCode,
      value,
      currency: form.currency,
      state_pol: statePol,
      sign: signConfirmation({
        apiKey: apiKeyOf(form.merchantId),
        merchantId: form.merchantId,
        referenceSale: form.referenceCode,
        value,
        currency: form.currency,
        statePol,
        algorithm: checkout.algorithm,
      }),
      transaction_id: tx.id,
      reference_pol: order.id,
      response_code_pol: codes.polResponseCode,
      response_message_pol: codes.lapResponseCode,
      payment_method_type: '2',
      payment_method_id: '2',
      payment_method_name: 'VISA',
      transaction_date: bogotaDateTime(new Date(tx.operationDate)),
      email_buyer: form.buyerEmail,
      description: form.description,
      tax: '0.00',
      additional_value: '0.00',
      authorization_code: tx.state === 'APPROVED' ? authorizationCode(tx.id) : undefined,
      extra1: form.extra1,
      extra2: form.extra2,
      extra3: form.extra3,
      test: form.test ?? '0',
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
    return out;
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
    const tx: SimTransaction = { id: randomUUID(), state: initial, operationDate: now().getTime() };
    order.transactions.push(tx);
    // A payer may retry after a decline inside the same checkout; anything else ends it.
    if (initial !== 'DECLINED' && initial !== 'ERROR') checkout.done = true;
    const redirectUrl = responsePageUrl(checkout, order, tx);
    const reference = checkout.form.referenceCode;

    let confirmation: Promise<ConfirmationDelivery>;
    if (initial === 'PENDING') {
      // PayU confirms only final states: nothing is sent while pending, the approval follows later.
      confirmation = sleep(pendingDelayMs).then((awake) => {
        if (!awake) return { delivered: false, status: null, attempts: 0 };
        tx.state = 'APPROVED';
        tx.operationDate = now().getTime();
        return deliver(checkout.form.confirmationUrl, confirmationParams(checkout, order, tx), reference);
      });
    } else {
      confirmation = deliver(
        checkout.form.confirmationUrl,
        confirmationParams(checkout, order, tx),
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

  function credentialsMatch(expected: string | undefined, given: string): boolean {
    if (expected === undefined) return false;
    // Digests first, so the comparison is constant time whatever the lengths.
    const a = createHash('sha256').update(expected).digest();
    const b = createHash('sha256').update(given).digest();
    return timingSafeEqual(a, b);
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
    .post('/reports-api/4.0/service.cgi', bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
      // Without `Accept: application/json` PayU answers in XML; so does the simulator (with an error), so a
      // client that forgets the header finds out here.
      if (!(c.req.header('accept') ?? '').includes('application/json')) {
        return c.body(
          '<?xml version="1.0" encoding="UTF-8"?><reportingResponse><code>ERROR</code>' +
            '<error>Accept: application/json expected</error></reportingResponse>',
          200,
          { 'Content-Type': 'application/xml; charset=utf-8' },
        );
      }
      const json = await c.req.json().catch(() => null);
      const parsed = queriesRequestSchema.safeParse(json);
      if (!parsed.success) return c.json(queriesError('Invalid request'), 200);
      const request = parsed.data;
      if (request.command === 'PING') return c.json({ code: 'SUCCESS', error: null, result: null }, 200);
      if (request.command !== 'ORDER_DETAIL_BY_REFERENCE_CODE') {
        return c.json(queriesError(`Command not supported by the simulator: ${request.command}`), 200);
      }
      const merchantId = findMerchantByLogin(request.merchant.apiLogin);
      const merchant = merchantId === undefined ? undefined : deps.merchants(merchantId);
      const authenticated =
        merchant !== undefined &&
        credentialsMatch(merchant.apiLogin, request.merchant.apiLogin) &&
        credentialsMatch(merchant.apiKey, request.merchant.apiKey);
      if (!authenticated || merchantId === undefined) return c.json(queriesError('Invalid credentials'), 200);
      const reference = request.details?.referenceCode;
      if (!reference) return c.json(queriesError('referenceCode is required'), 200);
      const order = orders.get(orderKey(merchantId, reference));
      return c.json(
        { code: 'SUCCESS', error: null, result: { payload: order ? [orderJson(order)] : null } },
        200,
      );
    });

  return {
    app,
    basePath,
    pay,
    /** Cancels pending confirmation timers and in-flight deliveries; their promises settle undelivered. */
    close(): void {
      lifetime.abort();
    },
  };
}

export type PayuSimulator = ReturnType<typeof createPayuSimulator>;

const queriesRequestSchema = z.object({
  test: z.boolean().optional(),
  language: z.string().optional(),
  command: z.string(),
  merchant: z.object({ apiLogin: z.string(), apiKey: z.string() }),
  details: z.object({ referenceCode: z.string().max(255).optional() }).optional(),
});

function orderKey(merchantId: string, reference: string): string {
  return `${merchantId}\u0000${reference}`;
}

function queriesError(message: string) {
  return { code: 'ERROR', error: message, result: null };
}

/** PayU's ORDER_DETAIL_BY_REFERENCE_CODE order, limited to the fields a client can rely on. */
function orderJson(order: SimOrder) {
  const { form } = order;
  const states = order.transactions.map((t) => t.state);
  const status = states.includes('APPROVED')
    ? 'CAPTURED'
    : states.length === 0
      ? 'NEW'
      : states.includes('PENDING')
        ? 'IN_PROGRESS'
        : 'DECLINED';
  const value = Number(twoDecimals(form.amount));
  return {
    id: Number(order.id),
    accountId: Number(form.accountId),
    status,
    referenceCode: form.referenceCode,
    description: form.description,
    airlineCode: null,
    language: form.lng === 'en' ? 'en' : 'es',
    notifyUrl: form.confirmationUrl,
    shippingAddress: null,
    buyer: {
      emailAddress: form.buyerEmail,
      fullName: form.buyerFullName ?? null,
      contactPhone: form.telephone ?? null,
    },
    antifraudMerchantId: null,
    isTest: form.test === '1',
    transactions: order.transactions.map((tx) => ({
      id: tx.id,
      order: null,
      creditCard: null,
      type: 'AUTHORIZATION_AND_CAPTURE',
      transactionResponse: {
        state: tx.state,
        paymentNetworkResponseCode: null,
        paymentNetworkResponseErrorMessage: null,
        trazabilityCode: tx.id.slice(0, 8),
        authorizationCode: tx.state === 'APPROVED' ? authorizationCode(tx.id) : null,
        pendingReason: tx.state === 'PENDING' ? 'AWAITING_NOTIFICATION' : null,
        responseCode: CODES[tx.state].lapResponseCode,
        errorCode: null,
        responseMessage: null,
        transactionDate: null,
        transactionTime: null,
        operationDate: tx.operationDate,
        extraParameters: null,
      },
      paymentMethod: 'VISA',
      source: 'WEB',
      additionalValues: { TX_VALUE: { value, currency: form.currency } },
    })),
    additionalValues: { TX_VALUE: { value, currency: form.currency } },
  };
}

/** "20000" → "20000.00": PayU reports values with two decimals whatever the form sent. */
function twoDecimals(amount: string): string {
  const d = parseDecimal(amount);
  if (!d) throw new RangeError('payu simulator: invalid amount');
  const cents = rescale(d, 2, 'halfEven').toString().padStart(3, '0');
  return `${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

/** PayU reports dates in Colombia's time (UTC-5, no daylight saving): `YYYY-MM-DD HH:mm:ss`. */
function bogotaDateTime(date: Date): string {
  return new Date(date.getTime() - 5 * 60 * 60 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function authorizationCode(transactionId: string): string {
  return transactionId.replace(/-/g, '').slice(0, 6).toUpperCase();
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// --- Pages -------------------------------------------------------------------------------------------------

type PageLng = 'es' | 'en';

const TEXT = {
  es: {
    title: 'Simulador de PayU',
    intro: 'Simulador local de PayU WebCheckout. Ningún dinero real se mueve.',
    merchant: 'Comercio',
    account: 'Cuenta',
    reference: 'Referencia',
    description: 'Descripción',
    amount: 'Valor',
    buyer: 'Comprador',
    legend: 'Resultado del pago',
    submit: 'Continuar',
    outcomes: {
      approved: 'Aprobado',
      declined: 'Rechazado',
      'pending-then-approved': 'Pendiente y luego aprobado',
      expired: 'Expirado',
      error: 'Error',
    },
    errors: {
      invalid_signature: 'Firma inválida',
      unknown_merchant: 'Comercio o cuenta desconocidos',
      invalid_form: 'Formulario inválido',
      unknown_checkout: 'Pago no encontrado o vencido',
      already_paid: 'Este pago ya fue procesado',
    },
    problems: 'Campos con problemas',
  },
  en: {
    title: 'PayU simulator',
    intro: 'Local PayU WebCheckout simulator. No real money moves.',
    merchant: 'Merchant',
    account: 'Account',
    reference: 'Reference',
    description: 'Description',
    amount: 'Amount',
    buyer: 'Buyer',
    legend: 'Payment outcome',
    submit: 'Continue',
    outcomes: {
      approved: 'Approved',
      declined: 'Declined',
      'pending-then-approved': 'Pending, then approved',
      expired: 'Expired',
      error: 'Error',
    },
    errors: {
      invalid_signature: 'Invalid signature',
      unknown_merchant: 'Unknown merchant or account',
      invalid_form: 'Invalid form',
      unknown_checkout: 'Payment not found or expired',
      already_paid: 'This payment has already been processed',
    },
    problems: 'Fields with problems',
  },
} as const;

type ErrorKind = keyof (typeof TEXT)['es']['errors'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(lng: PageLng, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lng}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function checkoutPage(checkout: Checkout, id: string): string {
  const t = TEXT[checkout.lng];
  const { form } = checkout;
  const rows: [string, string][] = [
    [t.merchant, form.merchantId],
    [t.account, form.accountId],
    [t.reference, form.referenceCode],
    [t.description, form.description],
    [t.amount, `${form.amount} ${form.currency}`],
    [t.buyer, form.buyerEmail],
  ];
  const radios = PAYU_SIM_OUTCOMES.map(
    (o, i) =>
      `<div><input type="radio" id="outcome-${o}" name="outcome" value="${o}"${i === 0 ? ' checked' : ''}>` +
      ` <label for="outcome-${o}">${escapeHtml(t.outcomes[o])}</label></div>`,
  ).join('\n');
  // Relative action: resolves under whatever prefix the simulator is served at.
  return page(
    checkout.lng,
    `${t.title}: ${form.referenceCode}`,
    `<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.intro)}</p>
<dl>
${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
<form method="post" action="checkout/${escapeHtml(id)}">
<fieldset>
<legend>${escapeHtml(t.legend)}</legend>
${radios}
</fieldset>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`,
  );
}

function errorPage(lng: PageLng, kind: ErrorKind, issues: readonly string[]): string {
  const t = TEXT[lng];
  const title = t.errors[kind];
  const list =
    issues.length > 0
      ? `<h2>${escapeHtml(t.problems)}</h2>\n<ul>${issues.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
      : '';
  return page(lng, `${t.title}: ${title}`, `<h1>${escapeHtml(title)}</h1>\n${list}`);
}
