import { createHash } from 'node:crypto';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  circuitBreaker,
  handleWhenResult,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { InFlight } from '../process/in-flight';
import { RememberedAnswers, type Remembered } from './remembered-answers';
import { parseErpBytes, type ErpClient, type ErpLogger } from './erp-client';
import type { ErpEndpoint, ErpFailure, ErpFetchResult, ErpMerchant } from './erp-port';

/**
 * What the routes use: the raw ERP client plus, per merchant, single flight, an optional short cache, a
 * circuit breaker and a stale-if-error fallback (docs/spec/erp-recauda.md "Calling it").
 *
 * Serving a cached or stale body is safe because the lookup route adds the portal's own recorded payments
 * (docs/spec/pricing.md `P`) after this layer, so neither can hide a payment the portal recorded.
 *
 * Memory: the cache keeps each answer's raw bytes, never its parsed body (a parsed 50-item answer is ~10×
 * its 33 KB of JSON, and parsed bodies kept for a minute were most of the lookup's GC work), under a bound on
 * the count and one on the total bytes, so a merchant with a raised `erp.maxBytes` cannot make it grow
 * without limit; the bytes are copied into one ring buffer (remembered-answers.ts: one ArrayBuffer per answer
 * drove mark-compact GCs). A hit parses the bytes again.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export const DEFAULT_CACHE_TTL_MS = 2000;
export const DEFAULT_STALE_IF_ERROR_MS = 60_000;
/**
 * Fresh answers kept parsed because they were asked for again: at most this many, and at most HOT_BYTES of
 * their JSON together (a parsed answer takes ~10× its bytes: 16 answers of 33 KB, ~5 MB).
 */
const HOT_ANSWERS = 16;
const HOT_BYTES = 2 * 1024 * 1024;

export interface CachedErpOptions {
  /** Serve a good answer this long without asking the ERP again. Default 2 s; 0 turns it off. */
  readonly cacheTtlMs?: number;
  /** How long the last good answer may stand in for a failing ERP. Default 60 s; 0 turns it off. */
  readonly staleIfErrorMs?: number;
  /** Bound on remembered answers. Default 200. */
  readonly maxRememberedBodies?: number;
  /** Bound on the remembered answers' bytes together. Default 32 MiB. */
  readonly maxRememberedBytes?: number;
  readonly breaker?: {
    /** Consecutive failed calls that open a merchant's breaker. Default 5. */
    readonly threshold?: number;
    /** Time open before one probe call may go through. Default 10 s. */
    readonly halfOpenAfterMs?: number;
  };
  readonly now?: () => number;
  readonly logger?: ErpLogger;
}

/** The ERP port (a merchant's `erp.cacheTtlMs`/`staleIfErrorMs`, when set, override the options here). */
export interface CachedErpClient extends ErpClient {
  /** For metrics: one entry per merchant that has called its ERP since start. */
  getBreakerStates(): Record<string, BreakerState>;
}

const CIRCUIT_OPEN: ErpFailure = { ok: false, error: 'erp_unavailable', detail: 'circuit_open' };
const ABORTED: ErpFailure = { ok: false, error: 'erp_unavailable', detail: 'aborted' };
const UNEXPECTED: ErpFailure = { ok: false, error: 'erp_unavailable', detail: 'unexpected' };

/**
 * What says the ERP itself is down: transport errors, timeouts and 5xx. A 4xx or a bad body is an answer
 * about one request (an ERP may 404 an unknown payer), and must not cut off every payer of the merchant.
 */
function isOutage(result: ErpFetchResult): boolean {
  if (result.ok) return false;
  if (result.error === 'erp_timeout') return true;
  if (result.error !== 'erp_unavailable') return false;
  if (result.detail === 'aborted') return false;
  return result.status === undefined || result.status >= 500;
}

/** An inner client that parsed without keeping the bytes (a test double): encoded again, once. */
const bytesOf = (result: Extract<ErpFetchResult, { ok: true }>): Uint8Array =>
  result.bytes ?? Buffer.from(JSON.stringify(result.body) ?? 'null');

export function createCachedErpClient(inner: ErpClient, options: CachedErpOptions = {}): CachedErpClient {
  const now = options.now ?? Date.now;
  const defaultTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const defaultStaleMs = options.staleIfErrorMs ?? DEFAULT_STALE_IF_ERROR_MS;
  const maxRemembered = options.maxRememberedBodies ?? 200;
  const maxRememberedBytes = options.maxRememberedBytes ?? 32 * 1024 * 1024;
  const threshold = options.breaker?.threshold ?? 5;
  const halfOpenAfter = options.breaker?.halfOpenAfterMs ?? 10_000;
  const logger = options.logger;

  const inFlight = new InFlight<ErpFetchResult>();
  const remembered = new RememberedAnswers(maxRemembered, maxRememberedBytes);
  /** Fresh answers asked for again, parsed once for their next hits (see freshHit). */
  const hot = new Map<
    string,
    { readonly at: number; readonly bytes: number; readonly result: ErpFetchResult }
  >();
  let hotBytes = 0;
  const breakers = new Map<string, CircuitBreakerPolicy>();
  const endpointIds = new WeakMap<ErpEndpoint, string>();

  function endpointId(erp: ErpEndpoint): string {
    let id = endpointIds.get(erp);
    if (id === undefined) {
      // Hashed so the key does not spell out the ERP token; config objects are stable, so this runs once.
      const headers = Object.entries(erp.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      id = createHash('sha256')
        .update(JSON.stringify([erp.url, headers, erp.timeoutMs ?? null, erp.maxBytes ?? null]))
        .digest('base64url');
      endpointIds.set(erp, id);
    }
    return id;
  }

  function breakerFor(merchantId: string): CircuitBreakerPolicy {
    let breaker = breakers.get(merchantId);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhenResult((r) => isOutage(r as ErpFetchResult)),
        {
          halfOpenAfter,
          breaker: new ConsecutiveBreaker(threshold),
        },
      );
      breaker.onStateChange((state) => {
        logger?.warn({ merchantId, state: stateName(state) }, 'erp circuit breaker changed state');
      });
      breakers.set(merchantId, breaker);
    }
    return breaker;
  }

  function remember(key: string, bytes: Uint8Array, keepMs: number) {
    forgetHot(key);
    if (keepMs <= 0) {
      remembered.delete(key);
      return;
    }
    const t = now();
    remembered.set(key, bytes, t, t + keepMs);
    remembered.trim(t);
  }

  /**
   * An answer asked for again while fresh: parsed again the first time, and that parse (with its shared read)
   * serves the next hits of the same answer, so a payer asked for many times at once (a burst that outlasts
   * the single flight) is parsed and read twice, not once per lookup. Only answers hit again are kept
   * parsed (HOT_ANSWERS, HOT_BYTES), and only served while fresh: a lookup of a new payer keeps nothing parsed.
   */
  function freshHit(key: string, hit: Remembered): ErpFetchResult | null {
    const known = hot.get(key);
    if (known && known.at === hit.at) return known.result;
    const result = recall(hit, false);
    if (!result) return null;
    forgetHot(key);
    if (hit.bytes.byteLength > HOT_BYTES) return result;
    hot.set(key, { at: hit.at, bytes: hit.bytes.byteLength, result });
    hotBytes += hit.bytes.byteLength;
    for (const k of hot.keys()) {
      if (hot.size <= HOT_ANSWERS && hotBytes <= HOT_BYTES) break;
      forgetHot(k);
    }
    return result;
  }

  function forgetHot(key: string) {
    const entry = hot.get(key);
    if (!entry) return;
    hotBytes -= entry.bytes;
    hot.delete(key);
  }

  /** A remembered answer parsed again, as a result of its own (its own shared read too). */
  function recall(entry: Remembered, stale: boolean): ErpFetchResult | null {
    const parsed = parseErpBytes(entry.bytes);
    if (!parsed) return null;
    // No `bytes`: they are a view into the ring, valid only until the entry is forgotten.
    return stale
      ? { ok: true, body: parsed.body, stale: true, shared: {} }
      : { ok: true, body: parsed.body, shared: {} };
  }

  async function callUpstream(merchant: ErpMerchant, idNumber: string, key: string) {
    const merchantId = merchant.id;
    const erp = merchant.erp;
    const ttlMs = erp.cacheTtlMs ?? defaultTtlMs;
    const staleIfErrorMs = erp.staleIfErrorMs ?? defaultStaleMs;
    const breaker = breakerFor(merchantId);
    let result: ErpFetchResult;
    // cockatiel lets callers queue behind the half-open probe; we fail them fast instead, like when open,
    // so a recovering ERP gets exactly one request and payers get an answer (or a stale body) at once.
    if (breaker.state === CircuitState.HalfOpen) {
      result = CIRCUIT_OPEN;
    } else {
      try {
        result = await breaker.execute(() => inner.fetchPendingPayments(merchant, idNumber));
      } catch (err) {
        result =
          err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError
            ? CIRCUIT_OPEN
            : UNEXPECTED;
        if (result === UNEXPECTED) logger?.warn({ merchantId }, 'erp client threw unexpectedly');
      }
    }
    if (result.ok) {
      remember(key, bytesOf(result), Math.max(ttlMs, staleIfErrorMs));
      // One shared read for every caller of this flight; it goes when they are done with the answer.
      return { ...result, shared: {} };
    }
    if (result.error !== 'erp_bad_response' && result.detail !== 'aborted') {
      const last = remembered.get(key);
      const stale = last && now() - last.at <= staleIfErrorMs ? recall(last, true) : null;
      if (stale) {
        logger?.info(
          { merchantId, error: result.error, detail: result.detail },
          'erp failed; serving stale body',
        );
        return stale;
      }
    }
    return result;
  }

  function fetchPendingPayments(
    merchant: ErpMerchant,
    idNumber: string,
    signal?: AbortSignal,
  ): Promise<ErpFetchResult> {
    if (signal?.aborted) return Promise.resolve(ABORTED);
    const erp = merchant.erp;
    const key = `${merchant.id}\n${endpointId(erp)}\n${idNumber}`;
    const ttlMs = erp.cacheTtlMs ?? defaultTtlMs;
    if (ttlMs > 0) {
      const hit = remembered.get(key);
      if (hit && now() - hit.at < ttlMs) {
        const fresh = freshHit(key, hit);
        if (fresh) return Promise.resolve(fresh);
      }
    }
    // The upstream call takes no caller's signal: one payer leaving must not cancel it for the others.
    const flight =
      inFlight.get(key) ??
      inFlight.track(
        key,
        callUpstream(merchant, idNumber, key).catch(() => UNEXPECTED),
      );
    return signal ? untilAborted(flight, signal) : flight;
  }

  return {
    fetchPendingPayments,
    getBreakerStates() {
      const out: Record<string, BreakerState> = {};
      for (const [merchantId, breaker] of breakers) out[merchantId] = stateName(breaker.state);
      return out;
    },
    close() {
      remembered.clear();
      hot.clear();
      hotBytes = 0;
      inner.close();
    },
  };
}

function stateName(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}

function untilAborted(flight: Promise<ErpFetchResult>, signal: AbortSignal): Promise<ErpFetchResult> {
  return new Promise((resolve) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    void flight.then((r) => {
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    });
  });
}
