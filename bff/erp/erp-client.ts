import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address-guard';
import type {
  ErpEndpoint,
  ErpErrorCode,
  ErpFailure,
  ErpFailureDetail,
  ErpFetchResult,
  ErpMerchant,
  ErpPort,
} from './erp-port';

/**
 * The adapter that calls a merchant's Recauda ERP (docs/spec/erp-recauda.md "Calling it"). It returns the raw JSON body
 * or a typed failure; reading the payload is `readErpPayload`'s job. Built on node:http/https rather than
 * fetch so that the DNS answer can be checked on the very connection that uses it (no rebinding gap), the
 * byte cap is exact, and keep-alive sockets are reused across lookups.
 */

/** The ERP port with its sockets to close. */
export interface ErpClient extends ErpPort {
  /** Closes idle keep-alive sockets (server shutdown, tests). */
  close(): void;
}

/** pino-compatible; receives no personal data. */
export interface ErpLogger {
  warn(data: Record<string, unknown>, msg: string): void;
  info(data: Record<string, unknown>, msg: string): void;
}

/** `dns.lookup` called with `all: true`; tests pass a fake to point a hostname anywhere. */
export type LookupAll = (
  hostname: string,
  options: { all: true; family?: number; hints?: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface ErpClientDeps {
  /** NODE_ENV=production: https only, public resolved addresses only. */
  readonly production: boolean;
  readonly logger?: ErpLogger;
  readonly lookup?: LookupAll;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  readonly now?: () => number;
  /** Concurrent sockets per ERP host. Default 128. */
  readonly maxSocketsPerHost?: number;
}

export const DEFAULT_ERP_TIMEOUT_MS = 5000;
export const DEFAULT_ERP_MAX_BYTES = 1024 * 1024;

// Jitter spreads the retries of many payers hitting a struggling ERP at once.
const RETRY_BASE_DELAY_MS = 100;
// A retry that cannot finish inside the budget only turns a clear 503 into a vaguer timeout.
const MIN_RETRY_BUDGET_MS = 250;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

const defaultLookup: LookupAll = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/** Thrown inside the socket's lookup so the connection never starts. */
class AddressNotAllowedError extends Error {
  readonly code = 'ERR_SALDO_ADDRESS_NOT_ALLOWED';
  constructor() {
    super('resolved address is not public');
  }
}

export type ErpUrlProblem =
  'invalid_url' | 'protocol_not_allowed' | 'credentials_in_url' | 'id_number_in_url' | 'address_not_allowed';

/** Config-time and call-time check of an ERP URL. Returns the problem, or null when the URL is acceptable. */
export function checkErpUrl(url: string, options: { production: boolean }): ErpUrlProblem | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid_url';
  }
  if (parsed.protocol !== 'https:' && (options.production || parsed.protocol !== 'http:')) {
    return 'protocol_not_allowed';
  }
  // Credentials belong in erp.headers, where they are kept out of logs and error messages.
  if (parsed.username !== '' || parsed.password !== '') return 'credentials_in_url';
  // The portal adds the payer's id; a second one in the config would make the ERP's choice ambiguous.
  if (parsed.searchParams.has('id_number')) return 'id_number_in_url';
  const host = unbracket(parsed.hostname);
  if (options.production && isIP(host) !== 0 && !isPublicAddress(host)) return 'address_not_allowed';
  return null;
}

const URL_PROBLEM_TEXT: Record<ErpUrlProblem, string> = {
  invalid_url: 'is not a valid absolute URL',
  protocol_not_allowed: 'must use https (http is allowed only outside production)',
  credentials_in_url: 'must not contain credentials; put them in erp.headers',
  id_number_in_url: 'must not contain id_number; the portal adds it',
  address_not_allowed: 'must not point to a loopback, private, link-local or reserved address',
};

/**
 * For the config loader: throws a message naming `path` and the rule, never the URL itself (it may carry a
 * token in its query).
 */
export function assertErpUrlAllowed(url: string, options: { production: boolean; path?: string }): void {
  const problem = checkErpUrl(url, options);
  if (problem) throw new Error(`${options.path ?? 'erp.url'}: ${URL_PROBLEM_TEXT[problem]}`);
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

interface Attempt {
  readonly result: ErpFetchResult;
  readonly retryable: boolean;
}

const fail = (error: ErpErrorCode, detail: ErpFailureDetail, status?: number): ErpFailure =>
  status === undefined ? { ok: false, error, detail } : { ok: false, error, detail, status };

export function createErpClient(deps: ErpClientDeps): ErpClient {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const resolveAll = deps.lookup ?? defaultLookup;
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: deps.maxSocketsPerHost ?? 128,
    // Idle sockets are dropped before the usual 5 s server keep-alive timeout, to avoid reusing a socket the
    // ERP is closing; the retry covers the rest of that race.
    timeout: 4000,
  };
  // A merchant's erp block is one object for the life of the config: its URL is checked and parsed once.
  const prepared = new WeakMap<ErpEndpoint, { problem: ErpUrlProblem | null; target: URL | null }>();
  const prepare = (erp: ErpEndpoint) => {
    let p = prepared.get(erp);
    if (!p) {
      const problem = checkErpUrl(erp.url, { production: deps.production });
      p = { problem, target: problem ? null : new URL(erp.url) };
      prepared.set(erp, p);
    }
    return p;
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    const query: { all: true; family?: number; hints?: number } = { all: true };
    if (typeof options.family === 'number' && options.family !== 0) query.family = options.family;
    if (options.hints !== undefined) query.hints = options.hints;
    resolveAll(hostname, query, (err, addresses) => {
      // Always answer asynchronously, as dns.lookup does, whatever the injected resolver does.
      process.nextTick(() => {
        if (err) return callback(err, []);
        if (addresses.length === 0) {
          const notFound: NodeJS.ErrnoException = new Error('no address');
          notFound.code = 'ENOTFOUND';
          return callback(notFound, []);
        }
        // Every address is checked, not just the first: the socket may try any of them (happy eyeballs).
        if (deps.production && addresses.some((a) => !isPublicAddress(a.address))) {
          return callback(new AddressNotAllowedError(), []);
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0] as LookupAddress;
        return callback(null, first.address, first.family);
      });
    });
  };

  function attempt(target: URL, path: string, erp: ErpEndpoint, maxBytes: number, budget: Budget) {
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const finish = (a: Attempt) => {
        if (settled) return;
        settled = true;
        budget.off(onAbort);
        resolve(a);
      };
      const finishAndDrop = (a: Attempt) => {
        finish(a);
        // Destroying the socket is what stops a body we no longer want; it is not reused.
        req?.destroy();
      };
      const onAbort = () =>
        finishAndDrop({
          result:
            budget.reason === ABORTED ? fail('erp_unavailable', 'aborted') : fail('erp_timeout', 'timeout'),
          retryable: false,
        });

      const secure = target.protocol === 'https:';
      try {
        req = (secure ? https : http).request({
          protocol: target.protocol,
          hostname: unbracket(target.hostname),
          port: target.port === '' ? undefined : Number(target.port),
          path,
          method: 'GET',
          headers: { accept: 'application/json', 'user-agent': 'Saldo (Recauda ERP client)', ...erp.headers },
          agent: secure ? httpsAgent : httpAgent,
          lookup: guardedLookup,
        });
      } catch {
        // Invalid header names or values from the config: nothing went on the wire.
        finish({ result: fail('erp_unavailable', 'invalid_request'), retryable: false });
        return;
      }
      const request = req;
      if (budget.aborted) return onAbort();
      budget.on(onAbort);

      request.on('error', (err) => {
        if (err instanceof AddressNotAllowedError) {
          finish({ result: fail('erp_unavailable', 'address_not_allowed'), retryable: false });
        } else {
          finish({ result: fail('erp_unavailable', 'connect_failed'), retryable: true });
        }
      });
      request.on('response', (res) => {
        // A late error on a response we already judged must not surface as an unhandled 'error' event.
        res.on('error', () => finish({ result: fail('erp_unavailable', 'connect_failed'), retryable: true }));
        const status = res.statusCode ?? 0;
        // Redirects are not followed: they could lead anywhere, including past the address guard. The ERP
        // answered but not with the contract's JSON, so this is the ERP's bad response, not an outage.
        if (status >= 300 && status < 400) {
          return finishAndDrop({ result: fail('erp_bad_response', 'redirect', status), retryable: false });
        }
        if (status < 200 || status >= 300) {
          return finishAndDrop({
            result: fail('erp_unavailable', 'http_status', status),
            retryable: RETRYABLE_STATUSES.has(status),
          });
        }
        const announced = Number(res.headers['content-length']);
        if (Number.isFinite(announced) && announced > maxBytes) {
          return finishAndDrop({
            result: fail('erp_bad_response', 'body_too_large', status),
            retryable: false,
          });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxBytes) {
            finishAndDrop({ result: fail('erp_bad_response', 'body_too_large', status), retryable: false });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          finish({ result: parseBody(Buffer.concat(chunks, size), status), retryable: false });
        });
        res.on('close', () => {
          if (!res.complete) finish({ result: fail('erp_unavailable', 'connect_failed'), retryable: true });
        });
      });
      request.end();
    });
  }

  async function fetchPendingPayments(
    merchant: ErpMerchant,
    idNumber: string,
    signal?: AbortSignal,
  ): Promise<ErpFetchResult> {
    const erp = merchant.erp;
    const started = now();
    const timeoutMs = erp.timeoutMs ?? DEFAULT_ERP_TIMEOUT_MS;
    const maxBytes = erp.maxBytes ?? DEFAULT_ERP_MAX_BYTES;
    const { problem, target } = prepare(erp);
    if (problem || !target) {
      deps.logger?.warn({ problem }, 'erp url refused');
      return fail(
        'erp_unavailable',
        problem === 'address_not_allowed' ? 'address_not_allowed' : 'url_not_allowed',
      );
    }
    if (signal?.aborted) return fail('erp_unavailable', 'aborted');
    // Appended by hand so the configured query keeps its exact bytes (URLSearchParams would re-encode it).
    const path = `${target.pathname}${target.search === '' ? '?' : `${target.search}&`}id_number=${encodeURIComponent(idNumber)}`;

    const budget = new Budget();
    const timer = setTimeout(() => budget.abort(TIMED_OUT), timeoutMs);
    const onCallerAbort = () => budget.abort(ABORTED);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    let attempts = 0;
    try {
      let outcome = await attempt(target, path, erp, maxBytes, budget);
      attempts++;
      if (outcome.retryable) {
        const delay = Math.round(RETRY_BASE_DELAY_MS * (0.5 + random()));
        const left = timeoutMs - (now() - started) - delay;
        if (left >= Math.min(MIN_RETRY_BUDGET_MS, timeoutMs / 4)) {
          deps.logger?.info(
            {
              host: target.hostname,
              detail: outcome.result.ok ? null : outcome.result.detail,
              delayMs: delay,
            },
            'erp call retried',
          );
          await sleep(delay, budget);
          outcome = await attempt(target, path, erp, maxBytes, budget);
          attempts++;
        }
      }
      const result = outcome.result;
      if (!result.ok) {
        deps.logger?.warn(
          {
            host: target.hostname,
            error: result.error,
            detail: result.detail,
            status: result.status,
            attempts,
            elapsedMs: now() - started,
          },
          'erp call failed',
        );
      }
      return result;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  return {
    fetchPendingPayments,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

const TIMED_OUT = Symbol('timed out');
const ABORTED = Symbol('aborted by caller');

// One decoder for every body: decode() without `stream` is stateless, and creating one per call cost ~57 µs.
// fatal: a body that is not UTF-8 is not the JSON we were promised; the BOM is dropped by the decoder.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON of an ERP answer, or undefined when it is not UTF-8 JSON (the cache re-reads kept bytes with it). */
export function parseErpBytes(bytes: Uint8Array): { body: unknown } | undefined {
  try {
    return { body: JSON.parse(utf8.decode(bytes)) as unknown };
  } catch {
    return undefined;
  }
}

function parseBody(bytes: Buffer, status: number): ErpFetchResult {
  const parsed = parseErpBytes(bytes);
  return parsed ? { ok: true, body: parsed.body, bytes } : fail('erp_bad_response', 'invalid_json', status);
}

/**
 * The one time budget of a call (timeout or the caller's abort), shared by its attempts and the retry's wait.
 * An AbortController would do, but in Node 20 creating one per ERP call cost ~12 KB of garbage and
 * measurable CPU per lookup (README "Performance"); nothing outside this file ever sees the budget.
 */
class Budget {
  reason: typeof TIMED_OUT | typeof ABORTED | null = null;
  private readonly listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.reason !== null;
  }

  abort(reason: typeof TIMED_OUT | typeof ABORTED): void {
    if (this.reason !== null) return;
    this.reason = reason;
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
  }

  on(listener: () => void): void {
    this.listeners.add(listener);
  }

  off(listener: () => void): void {
    this.listeners.delete(listener);
  }
}

/** Resolves after `ms`, or as soon as the budget runs out (the caller then sees it on its next attempt). */
function sleep(ms: number, budget: Budget): Promise<void> {
  return new Promise((resolve) => {
    if (budget.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      budget.off(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    budget.on(done);
  });
}
