import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../lib/api-client';
import { errorMessageKey, isRetryable } from '../../lib/error-message';

export interface LookupErrorProps {
  error: ApiError;
  onRetry?: () => void;
}

/** One message per error code (never the server's text); a retry button when trying again can help. */
export function LookupError({ error, onRetry }: LookupErrorProps) {
  const { t } = useTranslation();
  const message =
    error.code === 'rate_limited' && error.retryAfter !== null && error.retryAfter > 0
      ? t('lookup.rateLimitedIn', { count: error.retryAfter })
      : t(errorMessageKey(error.code));
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {onRetry && isRetryable(error.code) ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('lookup.retry')}
        </button>
      ) : null}
    </div>
  );
}
