import type { MerchantConfig } from '../config/config-schema';

/** The ERP adapter as the routes see it (implemented by bff/erp/erp-client.ts). */
export type ErpFetchResult =
  | { readonly ok: true; readonly body: unknown; readonly stale?: boolean }
  | {
      readonly ok: false;
      readonly error: 'erp_unavailable' | 'erp_bad_response' | 'erp_timeout';
      readonly detail: string;
    };

export interface ErpPort {
  fetchPendingPayments(merchant: MerchantConfig, idNumber: string): Promise<ErpFetchResult>;
}

export interface Clock {
  now(): Date;
}
