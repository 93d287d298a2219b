/**
 * The one ERP port: what the lookup service asks of a merchant's Recauda ERP, and the one result it gets back.
 * The raw client (erp-client.ts), the cached client (cached-erp-client.ts) and the metrics wrapper all
 * implement this same interface, so each layer wraps the next without adapters.
 */

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

export type ErpFetchResult =
  /** `stale`: the ERP failed and this is the last good body, served under the stale-if-error rule. */
  | { readonly ok: true; readonly body: unknown; readonly stale?: boolean }
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
