import { hc } from 'hono/client';
import type { AppType } from '../../bff/app';
import type {
  AllocateRequest,
  AllocateResponse,
  CheckoutRequest,
  CheckoutResponse,
  ErrorCode,
  LookupRequest,
  LookupResponse,
  PaymentResponse,
} from '../../shared/api/schemas';
import type { PayerReturnResponse } from '../../shared/api/return-schemas';

/**
 * The SPA's one API client: `hc<AppType>` builds the requests from the BFF's own route types, and every
 * answer is checked with the shared zod schemas before the UI sees it. Every failure becomes an ApiError
 * with a stable code (the server's message is never shown).
 *
 * `fetch` is injectable: tests pass a fake, or `app.request` / `(input, init) => app.request(input, init)`
 * to run the real BFF in-process.
 */
export type FetchLike = (input: string, init?: RequestInit) => Response | Promise<Response>;

/** Codes the client adds to the server's: no answer at all, or an answer that breaks the contract. */
export type ClientErrorCode = 'network_error' | 'invalid_response';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** Every server code, checked against the shared ErrorCode type both ways by the compiler. */
const SERVER_CODES: Record<ErrorCode, true> = {
  invalid_request: true,
  invalid_id_number: true,
  invalid_token: true,
  expired_token: true,
  unknown_merchant: true,
  unauthorized: true,
  not_found: true,
  rate_limited: true,
  erp_unavailable: true,
  erp_bad_response: true,
  erp_timeout: true,
  amount_out_of_range: true,
  remainder_below_minimum: true,
  item_paid: true,
  unknown_item: true,
  payment_pending: true,
  mixed_currencies: true,
  idempotency_key_reused: true,
  idempotency_key_required: true,
  invalid_signature: true,
  payment_mismatch: true,
  payload_too_large: true,
  amount_not_allocatable: true,
  unknown_withholding: true,
  below_minimum: true,
  invalid_email: true,
  invalid_phone: true,
  channel_not_configured: true,
  no_pending_items: true,
  internal_error: true,
  payment_not_found: true,
  payment_not_approved: true,
  return_exceeds_payment: true,
  invalid_amount: true,
  invalid_state: true,
  payout_not_cancellable: true,
  invalid_bank_details: true,
  charge_has_payments: true,
  unsupported_method: true,
  ambiguous_item: true,
  conflict: true,
};

/** One refused field of a 422: its path in the request body and a stable reason (never shown as is). */
export interface ApiFieldError {
  path: string;
  message: string;
}

export interface ErrorDetails {
  ref: string | null;
  maxAmount: string | null;
  lower?: string | null;
  upper?: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  /** Seconds from a `Retry-After` header (429), when the server sent one. */
  readonly retryAfter: number | null;
  /**
   * remainder_below_minimum / item_paid: which item, and the largest partial amount it allows;
   * amount_not_allocatable: the nearest amounts that can be spread (`lower`, `upper`; null: none that way).
   */
  readonly details: ErrorDetails;
  /** The refused fields of a 422, when the server named them. */
  readonly fields: readonly ApiFieldError[];

  constructor(
    status: number,
    code: ApiErrorCode,
    retryAfter: number | null = null,
    details: ErrorDetails = { ref: null, maxAmount: null },
    fields: readonly ApiFieldError[] = [],
  ) {
    super(`API error ${status} ${code}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.details = details;
    this.fields = fields;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** GET /api/v1/merchants/:merchantId/public: what the page chrome needs. */
export interface MerchantPublic {
  id: string;
  name: string;
  locale: string;
  returnUrl: string | null;
  branding: { logoUrl: string | null; color: string | null };
  embed: boolean;
  /** Where payers get help (any may be null), and the merchant's terms and privacy pages. */
  support: { email: string | null; phone: string | null; url: string | null };
  termsUrl: string | null;
  privacyUrl: string | null;
}

/** The payer's bank details for a money-back payout (docs/spec/money-back.md). */
export interface BankDetails {
  fullName: string;
  documentType: string;
  documentNumber: string;
  bankCode: string;
  accountType: string;
  accountNumber: string;
}

/** What a lookup asks for: a payer (id number or statement token), or the one charge of a charge link. */
export type LookupQuery = LookupRequest | { charge: string };

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ApiClient {
  merchant(merchantId: string, options?: RequestOptions): Promise<MerchantPublic>;
  lookup(merchantId: string, body: LookupQuery, options?: RequestOptions): Promise<LookupResponse>;
  checkout(
    merchantId: string,
    body: CheckoutRequest,
    idempotencyKey: string,
    options?: RequestOptions,
  ): Promise<CheckoutResponse>;
  payment(merchantId: string, reference: string, options?: RequestOptions): Promise<PaymentResponse>;
  /** The payer's pending checkout again: the same reference and signed form. */
  resumeCheckout(
    merchantId: string,
    reference: string,
    credential: LookupRequest,
    options?: RequestOptions,
  ): Promise<CheckoutResponse>;
  /** Gives up the payer's pending checkout: its items can be paid again at once. */
  cancelCheckout(
    merchantId: string,
    reference: string,
    credential: LookupRequest,
    options?: RequestOptions,
  ): Promise<void>;
  /**
   * Starts a lookup before the page asks for it (a statement link, at start-up, in parallel with the
   * merchant's /public); the next `lookup` with the same merchant and body takes its answer. Does
   * nothing once the page has asked for a lookup itself.
   */
  prefetchLookup(merchantId: string, body: LookupQuery): void;
  /** POST …/allocate: how one amount would be spread over the chosen items (docs/spec/business-payments.md §1). */
  allocate(merchantId: string, body: AllocateRequest, options?: RequestOptions): Promise<AllocateResponse>;
  /** GET /api/v1/merchants/:merchantId/returns/:token: the payer's sealed money-back link. */
  payerReturn(merchantId: string, token: string, options?: RequestOptions): Promise<PayerReturnResponse>;
  /** POST the same path: the payer's bank details; a 422 names the refused fields (ApiError.fields). */
  submitBankDetails(
    merchantId: string,
    token: string,
    body: BankDetails,
    options?: RequestOptions,
  ): Promise<PayerReturnResponse>;
}

export interface ApiClientOptions {
  fetch?: FetchLike;
  /** Where the API lives; the page's own origin by default. */
  baseUrl?: string;
}

type Schemas = typeof import('../../shared/api/schemas');
let schemas: Promise<Schemas> | null = null;

/**
 * zod is a quarter of the app's weight; the first page (the /public answer) does not need it, so the
 * schemas load with the first lookup, in parallel with its request.
 */
function loadSchemas(): Promise<Schemas> {
  schemas ??= import('../../shared/api/schemas').catch((error: unknown) => {
    schemas = null;
    throw error;
  });
  return schemas;
}

type ReturnSchemas = typeof import('../../shared/api/return-schemas');
let returnSchemas: Promise<ReturnSchemas> | null = null;

/** Only the money-back page needs these: they load with its first request. */
function loadReturnSchemas(): Promise<ReturnSchemas> {
  returnSchemas ??= import('../../shared/api/return-schemas').catch((error: unknown) => {
    returnSchemas = null;
    throw error;
  });
  return returnSchemas;
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** A status without a recognisable error body still gets the closest stable code. */
function codeForStatus(status: number): ApiErrorCode {
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 502) return 'erp_unavailable';
  if (status === 504) return 'erp_timeout';
  return status >= 500 ? 'internal_error' : 'invalid_request';
}

function errorCodeOf(body: unknown, status: number): ApiErrorCode {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error: unknown = body.error;
    if (typeof error === 'object' && error !== null && 'code' in error) {
      const code: unknown = error.code;
      if (typeof code === 'string' && Object.hasOwn(SERVER_CODES, code)) return code as ErrorCode;
    }
  }
  return codeForStatus(status);
}

function fieldsOf(body: unknown): ApiFieldError[] {
  if (typeof body !== 'object' || body === null || !('error' in body)) return [];
  const error: unknown = body.error;
  if (typeof error !== 'object' || error === null || !('fields' in error)) return [];
  const fields: unknown = error.fields;
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f: unknown) => {
    if (typeof f !== 'object' || f === null) return [];
    const { path, message } = f as Record<string, unknown>;
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function errorDetailsOf(body: unknown): ErrorDetails {
  const error =
    typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
      ? (body.error as Record<string, unknown> | null)
      : null;
  return {
    ref: text(error?.ref),
    maxAmount: text(error?.maxAmount),
    lower: text(error?.lower),
    upper: text(error?.upper),
  };
}

/** Checked by hand rather than with zod, to keep zod off the first page. */
function parseMerchantPublic(body: unknown): MerchantPublic | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const id = text(b.id);
  const name = text(b.name);
  if (id === null || name === null) return null;
  const branding =
    typeof b.branding === 'object' && b.branding !== null ? (b.branding as Record<string, unknown>) : {};
  const support =
    typeof b.support === 'object' && b.support !== null ? (b.support as Record<string, unknown>) : {};
  return {
    id,
    name,
    locale: text(b.locale) ?? 'es-CO',
    returnUrl: text(b.returnUrl),
    branding: { logoUrl: text(branding.logoUrl), color: text(branding.color) },
    embed: b.embed === true,
    support: { email: text(support.email), phone: text(support.phone), url: text(support.url) },
    termsUrl: text(b.termsUrl),
    privacyUrl: text(b.privacyUrl),
  };
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return Boolean(signal?.aborted) || (error instanceof DOMException && error.name === 'AbortError');
}

/** A prefetched lookup older than this is not used: the page asks again (amounts may have changed). */
const PREFETCH_TTL_MS = 30_000;

/** An answer already under way, given up (AbortError) when the signal of whoever takes it aborts. */
function abortable<T>(answer: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return answer;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new DOMException('The lookup was aborted.', 'AbortError'));
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** The few fields of hc's ClientResponse the client reads. */
interface AnyResponse {
  ok: boolean;
  status: number;
  headers: Headers;
  json(): Promise<unknown>;
}

/**
 * The view token of each checkout this tab started: sent back when it asks for that payment, it shows the
 * item descriptions (others with the reference see status and amounts only). sessionStorage survives the
 * trip to PayU and back in this tab; where storage is refused (some embedded frames) the page only shows
 * less.
 */
const viewKey = (merchantId: string, reference: string) => `saldo.view.${merchantId}.${reference}`;

function rememberViewToken(merchantId: string, reference: string, token: string): void {
  try {
    sessionStorage.setItem(viewKey(merchantId, reference), token);
  } catch {
    // No storage here: the result page shows status and amounts without descriptions.
  }
}

function viewTokenOf(merchantId: string, reference: string): string | null {
  try {
    return sessionStorage.getItem(viewKey(merchantId, reference));
  } catch {
    return null;
  }
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  // Called through a closure so the browser's fetch keeps `globalThis` as its receiver.
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = hc<AppType>(options.baseUrl ?? '/', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      doFetch(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, init),
  });
  const merchants = client.api.v1.merchants[':merchantId'];

  async function call<T>(
    send: () => Promise<AnyResponse>,
    signal: AbortSignal | undefined,
    parse: (body: unknown) => Promise<T | null> | T | null,
  ): Promise<T> {
    let response: AnyResponse;
    let body: unknown;
    try {
      response = await send();
      body = await response.json().catch((error: unknown) => {
        if (isAbort(error, signal)) throw error;
        return null;
      });
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      throw new ApiError(0, 'network_error');
    }
    if (!response.ok) {
      throw new ApiError(
        response.status,
        errorCodeOf(body, response.status),
        parseRetryAfter(response.headers.get('Retry-After')),
        errorDetailsOf(body),
        fieldsOf(body),
      );
    }
    let parsed: T | null;
    try {
      parsed = await parse(body);
    } catch (error) {
      // Only loading the schemas can throw here: the network went away.
      if (isAbort(error, signal)) throw error;
      throw new ApiError(0, 'network_error');
    }
    if (parsed === null) throw new ApiError(response.status, 'invalid_response');
    return parsed;
  }

  /** Validates with a shared schema, loading the schemas in parallel with the request. */
  function withSchema<T>(
    pick: (s: Schemas) => { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ) {
    const loading = loadSchemas();
    // The request may fail before the schemas are needed; do not leave that promise unobserved.
    loading.catch(() => undefined);
    return async (body: unknown) => {
      const loaded = await loading;
      // Loading evaluated zod and the schemas; the first parse, heavy too (zod builds its parsers
      // lazily), waits for a task of its own, so neither makes one long task of both.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const result = pick(loaded).safeParse(body);
      return result.success ? result.data : null;
    };
  }

  /** As withSchema, for the money-back schemas. */
  function withReturnSchema() {
    const loading = loadReturnSchemas();
    loading.catch(() => undefined);
    return async (body: unknown) => {
      const result = (await loading).payerReturnResponseSchema.safeParse(body);
      return result.success ? result.data : null;
    };
  }

  const param = (merchantId: string) => ({ merchantId: encodeURIComponent(merchantId) });

  function lookup(merchantId: string, body: LookupQuery, signal?: AbortSignal) {
    const parse = withSchema((s) => s.lookupResponseSchema);
    if ('charge' in body) {
      return call(
        () =>
          merchants.charges[':linkId'].$get(
            { param: { ...param(merchantId), linkId: encodeURIComponent(body.charge) } },
            { init: { signal: signal ?? null } },
          ),
        signal,
        parse,
      );
    }
    return call(
      () =>
        merchants.lookup.$post(
          { param: param(merchantId), json: body },
          { init: { signal: signal ?? null } },
        ),
      signal,
      parse,
    );
  }

  let prefetched: { key: string; at: number; answer: Promise<LookupResponse> } | null = null;
  /** Whether the page has asked for a lookup: a prefetch after that would only ask twice. */
  let asked = false;
  const lookupKey = (merchantId: string, body: LookupQuery) => JSON.stringify([merchantId, body]);

  return {
    merchant(merchantId, { signal } = {}) {
      return call(
        () => merchants.public.$get({ param: param(merchantId) }, { init: { signal: signal ?? null } }),
        signal,
        parseMerchantPublic,
      );
    },
    lookup(merchantId, body, { signal } = {}) {
      asked = true;
      if (prefetched?.key === lookupKey(merchantId, body) && Date.now() - prefetched.at < PREFETCH_TTL_MS) {
        const { answer } = prefetched;
        prefetched = null; // taken once: a later lookup (a retry) asks again
        return abortable(answer, signal);
      }
      return lookup(merchantId, body, signal);
    },
    prefetchLookup(merchantId, body) {
      if (asked) return;
      const answer = lookup(merchantId, body);
      // Nobody may take it (the merchant is unknown, the payer went elsewhere): never unobserved.
      answer.catch(() => undefined);
      prefetched = { key: lookupKey(merchantId, body), at: Date.now(), answer };
    },
    async checkout(merchantId, body, idempotencyKey, { signal } = {}) {
      const parse = withSchema((s) => s.checkoutResponseSchema);
      const answer = await call(
        () =>
          merchants.checkout.$post(
            { param: param(merchantId), json: body },
            { headers: { 'Idempotency-Key': idempotencyKey }, init: { signal: signal ?? null } },
          ),
        signal,
        parse,
      );
      if (answer.viewToken) rememberViewToken(merchantId, answer.reference, answer.viewToken);
      return answer;
    },
    resumeCheckout(merchantId, reference, credential, { signal } = {}) {
      const parse = withSchema((s) => s.checkoutResponseSchema);
      return call(
        () =>
          merchants.checkouts[':reference'].resume.$post(
            { param: { ...param(merchantId), reference: encodeURIComponent(reference) }, json: credential },
            { init: { signal: signal ?? null } },
          ),
        signal,
        parse,
      );
    },
    async cancelCheckout(merchantId, reference, credential, { signal } = {}) {
      await call(
        () =>
          merchants.checkouts[':reference'].cancel.$post(
            { param: { ...param(merchantId), reference: encodeURIComponent(reference) }, json: credential },
            { init: { signal: signal ?? null } },
          ),
        signal,
        (body) => (typeof body === 'object' && body !== null && 'cancelled' in body ? true : null),
      );
    },
    payment(merchantId, reference, { signal } = {}) {
      const parse = withSchema((s) => s.paymentResponseSchema);
      const viewToken = viewTokenOf(merchantId, reference);
      return call(
        () =>
          merchants.payments[':reference'].$get(
            { param: { ...param(merchantId), reference: encodeURIComponent(reference) } },
            {
              headers: viewToken ? { 'X-Payment-View-Token': viewToken } : {},
              init: { signal: signal ?? null },
            },
          ),
        signal,
        parse,
      );
    },
    allocate(merchantId, body, { signal } = {}) {
      const parse = withSchema((s) => s.allocateResponseSchema);
      return call(
        () =>
          merchants.allocate.$post(
            { param: param(merchantId), json: body },
            { init: { signal: signal ?? null } },
          ),
        signal,
        parse,
      );
    },
    payerReturn(merchantId, token, { signal } = {}) {
      const parse = withReturnSchema();
      return call(
        () =>
          merchants.returns[':token'].$get(
            { param: { ...param(merchantId), token: encodeURIComponent(token) } },
            { init: { signal: signal ?? null } },
          ),
        signal,
        parse,
      );
    },
    submitBankDetails(merchantId, token, body, { signal } = {}) {
      const parse = withReturnSchema();
      return call(
        () =>
          merchants.returns[':token'].$post(
            { param: { ...param(merchantId), token: encodeURIComponent(token) }, json: body },
            { init: { signal: signal ?? null } },
          ),
        signal,
        parse,
      );
    },
  };
}
