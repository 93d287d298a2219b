import type { i18n } from 'i18next';
import { startTransition, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useParams } from 'react-router';
import { languageOf, setLanguage } from '../../i18n/i18n';
import { ApiError, isApiError, type MerchantPublic } from '../../lib/api-client';
import { useApiClient } from '../../lib/api-context';
import { errorMessageKey } from '../../lib/error-message';
import { MerchantProvider } from '../../lib/merchant-context';
import { isMerchantId } from '../../lib/merchant-id';
import { useLanguagePreference } from '../providers/app-providers';
import { NotFoundPage } from './not-found-page';
import { PageChrome } from './page-chrome';
import { PaymentFlowProvider } from '../providers/payment-flow';

/** `/:merchantId` itself (with or without a trailing slash). */
const LOOKUP_PATH = /^\/[^/]+\/?$/;

type Loaded = { key: string; merchant: MerchantPublic } | { key: string; error: ApiError };

/** GET /public for the page chrome (name, logo, colour, language); the merchant's language is the default. */
function useMerchantPublic(merchantId: string) {
  const api = useApiClient();
  const { i18n } = useTranslation();
  const preference = useLanguagePreference();
  const [round, setRound] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const key = `${merchantId}#${round}`;

  useEffect(() => {
    const controller = new AbortController();
    api.merchant(merchantId, { signal: controller.signal }).then(
      async (merchant) => {
        if (controller.signal.aborted) return;
        // The portal shows once the merchant's language is ready (Spanish at once; another language
        // after its texts arrive, or in Spanish if they cannot be fetched).
        if (!preference.isExplicit())
          await setLanguage(i18n, languageOf(merchant.locale)).catch(() => undefined);
        if (controller.signal.aborted) return;
        // A transition: React renders the portal in short slices, not in one long task.
        startTransition(() => setLoaded({ key, merchant }));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded({ key, error: isApiError(error) ? error : new ApiError(0, 'invalid_response') });
      },
    );
    return () => controller.abort();
  }, [api, i18n, preference, merchantId, key]);

  const current = loaded?.key === key ? loaded : null;
  return { current, retry: () => setRound((r) => r + 1) };
}

interface MerchantLayoutProps {
  /** See PaymentFlowProvider: what to start beside each lookup (routes.tsx passes the list's loader). */
  onLookupStart?: (i18n: i18n) => void;
}

function MerchantPortal({ merchantId, onLookupStart }: MerchantLayoutProps & { merchantId: string }) {
  const { t, i18n } = useTranslation();
  const { current, retry } = useMerchantPublic(merchantId);
  const lookupStart = useMemo(
    () => (onLookupStart ? () => onLookupStart(i18n) : undefined),
    [onLookupStart, i18n],
  );
  // Pages that grow without the payer doing anything (a statement link's list, a result) keep their
  // footer below the screen from the first paint, so nothing shifts. The lookup page fits one screen,
  // footer and trust line included; its list only appears after the payer submits.
  const { pathname } = useLocation();
  const fill = !LOOKUP_PATH.test(pathname);

  if (!current) {
    return (
      <PageChrome fill={fill}>
        <p role="status" aria-live="polite" className="status-line" data-loading="">
          <span className="spinner" aria-hidden="true" />
          {t('merchant.loading')}
        </p>
      </PageChrome>
    );
  }
  if ('error' in current) {
    const unknown = current.error.code === 'unknown_merchant' || current.error.status === 404;
    return (
      <PageChrome fill={fill}>
        <div className="page">
          <h1>{unknown ? t('merchant.notFoundTitle') : t('merchant.errorTitle')}</h1>
          {unknown ? (
            <p>{t('merchant.notFoundBody')}</p>
          ) : (
            <div className="alert alert-error" role="alert">
              <p>{t(errorMessageKey(current.error.code))}</p>
              <button type="button" className="button button-secondary" onClick={retry}>
                {t('merchant.retry')}
              </button>
            </div>
          )}
        </div>
      </PageChrome>
    );
  }
  return (
    <MerchantProvider merchant={current.merchant}>
      <PaymentFlowProvider merchantId={merchantId} onLookupStart={lookupStart}>
        <PageChrome merchant={current.merchant} fill={fill}>
          <Outlet />
        </PageChrome>
      </PaymentFlowProvider>
    </MerchantProvider>
  );
}

/** Everything under `/:merchantId`. A malformed id is a 404 without asking the server. */
export function MerchantLayout({ onLookupStart }: MerchantLayoutProps) {
  const { merchantId = '' } = useParams();
  if (!isMerchantId(merchantId)) return <NotFoundPage />;
  // A new merchant gets a fresh portal (flow and all).
  return <MerchantPortal key={merchantId} merchantId={merchantId} onLookupStart={onLookupStart} />;
}
