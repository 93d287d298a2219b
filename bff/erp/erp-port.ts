/**
 * The one ERP port: what the lookup service asks of a merchant's Recauda ERP, and the one result it gets back.
 * The raw client (erp-client.ts), the cached client (cached-erp-client.ts) and the metrics wrapper all
 * implement this same interface, so each layer wraps the next without adapters.
 */

import type { ErpReadOutcome } from '../../shared/erp/read-payload';

export type ErpErrorCode = 'erp_unavailable' | 'erp_bad_response' | 'erp_timeout';

/** Why a call failed, safe to log and to count in metrics: never a URL, header or id number. */
export type ErpFailureDetail =
  | 'url_not_allowed'
  | 'address_not_allowed'
  | 'invalid_request'
  | 'connect_failed'
  | 'http_status'
  | 'redirect'
  | 'body_too_large'
  | 'invalid_json'
  | 'timeout'
  | 'aborted'
  | 'circuit_open'
  | 'unexpected';

/**
 * One per upstream answer, shared by every caller of that answer's single flight: the lookup service keeps
 * its read of the body here, so concurrent lookups of one id read it once. It lives exactly as long as the
 * callers hold the answer; nothing remembers it afterwards (the cache keeps raw bytes only).
 */
export interface SharedRead {
  read?: ErpReadOutcome;
}

export type ErpFetchResult =
  | {
      readonly ok: true;
      /** The parsed JSON. Shared by the callers of one single flight: treat it as read-only. */
      readonly body: unknown;
      /** The answer's bytes as received (what the cache keeps: a fraction of the parsed body's memory). */
      readonly bytes?: Uint8Array;
      /** The ERP failed and this is the last good answer, served under the stale-if-error rule. */
      readonly stale?: boolean;
      readonly shared?: SharedRead;
    }
  | {
      readonly ok: false;
      readonly error: ErpErrorCode;
      readonly detail: ErpFailureDetail;
      /** The upstream HTTP status, when the ERP answered with one. */
      readonly status?: number;
    };

export type ErpFailure = Extract<ErpFetchResult, { ok: false }>;

/** A merchant's `erp` config block. */
export interface ErpEndpoint {
  readonly url: string;
  /** Static headers (an ERP token, say); sent as is, never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** One budget for connect + headers + body and the retry. Default 5000. */
  readonly timeoutMs?: number;
  /** Response body cap in bytes. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Serve a good answer this long without asking again; when absent the cached client's default applies. */
  readonly cacheTtlMs?: number;
  /** How long the last good answer may stand in for a failing ERP; absent → the cached client's default. */
  readonly staleIfErrorMs?: number;
}

/** The part of a merchant's config the ERP call needs (a MerchantConfig is one). */
export interface ErpMerchant {
  readonly id: string;
  readonly erp: ErpEndpoint;
}

export interface ErpPort {
  /**
   * Never rejects (the metrics wrapper still counts a rejection, as a bug). The body may be shared with
   * concurrent callers: treat it as read-only.
   */
  fetchPendingPayments(
    merchant: ErpMerchant,
    idNumber: string,
    signal?: AbortSignal,
  ): Promise<ErpFetchResult>;
}
