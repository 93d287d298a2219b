/** The ERP port lives with its adapters (bff/erp/erp-port.ts); the services see it from here. */
export type { ErpFetchResult, ErpPort } from '../erp/erp-port';

export interface Clock {
  now(): Date;
}
