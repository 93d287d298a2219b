import type { ApiErrorCode } from './api-client';

/** The i18n key that explains an error code; the server's own message is never shown. */
export function errorMessageKey(code: ApiErrorCode) {
  return `errors.${code}` as const;
}

/** Failures worth a "try again" button: the merchant's ERP or the network, not the request itself. */
export function isRetryable(code: ApiErrorCode): boolean {
  return (
    code === 'erp_unavailable' ||
    code === 'erp_bad_response' ||
    code === 'erp_timeout' ||
    code === 'network_error' ||
    code === 'internal_error' ||
    code === 'invalid_response'
  );
}
