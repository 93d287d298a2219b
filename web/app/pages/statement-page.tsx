import type { i18n } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matchPath, useLocation, useParams } from 'react-router';
import { LookupProgress } from '../../features/lookup/lookup-progress';
import type { Language } from '../../i18n/i18n';
import type { ApiClient } from '../../lib/api-client';
import { prepareDateFormat } from '../../lib/format-money';
import { useMerchant } from '../../lib/merchant-context';
import { isMerchantId } from '../../lib/merchant-id';
import { usePaymentStore, usePaymentStoreApi } from '../../lib/payment-store';
import { DeferredResultsPanel, preloadResults } from './deferred-results';
import { LookupPanel } from './lookup-panel';
import { usePaymentFlow } from '../providers/payment-flow';

/** The statement link's route (routes.tsx nests it as `s/:token` under `/:merchantId`). */
const STATEMENT_PATH = '/:merchantId/s/:token';

/**
 * Called at start-up: on a statement link, its lookup (with the schemas and the list's code) leaves as
 * soon as the page has painted, beside the merchant's /public rather than after it, and StatementPage's
 * lookup takes that answer (the list's texts in `language`, the first render's, leave with it); then, in a task of its own, the date format of `locale` (the list's) is
 * built while the network works. Not before the first paint, which needs none of it.
 */
export function prefetchStatement(
  api: ApiClient,
  i18n: i18n,
  pathname: string,
  language: Language,
  locale: string,
): void {
  const { merchantId, token } = matchPath(STATEMENT_PATH, pathname)?.params ?? {};
  if (!merchantId || !token || !isMerchantId(merchantId)) return;
  // A frame, then a task: after that frame's paint.
  requestAnimationFrame(() =>
    setTimeout(() => {
      api.prefetchLookup(merchantId, { token });
      preloadResults(i18n, language).catch(() => undefined);
      setTimeout(() => prepareDateFormat(locale), 0);
    }, 0),
  );
}

/**
 * `/:merchantId/s/:token`: a statement-email link. It looks up with the signed token at once (the id
 * number never appears in the URL) and highlights the linked item. A bad or expired token falls back to
 * the id form with a message that says why.
 */
export function StatementPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const location = useLocation();
  const merchant = useMerchant();
  const flow = usePaymentFlow();
  const store = usePaymentStoreApi();
  const credentialKind = usePaymentStore((s) => s.credential?.kind ?? null);
  const started = useRef<string | null>(null);
  const [another, setAnother] = useState(false);
  const { state, lookup } = flow;
  const pathname = location.pathname;

  useEffect(() => {
    if (started.current === token) return;
    started.current = token;
    // Back from checkout: the items are already here.
    if (state.status === 'success') return;
    void lookup({ kind: 'token', token }, pathname).then((data) => {
      const linked = data?.items.find((item) => item.ref === data.linkedRef && item.payable);
      if (linked) store.getState().selectOnly({ ref: linked.ref, currency: linked.currency });
    });
  }, [token, state.status, lookup, pathname, store]);

  const tokenError =
    credentialKind === 'token' &&
    state.status === 'error' &&
    (state.error.code === 'invalid_token' || state.error.code === 'expired_token')
      ? state.error.code
      : null;

  if (tokenError) {
    const expired = tokenError === 'expired_token';
    return (
      <div className="page">
        <h1>{expired ? t('statement.expiredTitle') : t('statement.invalidTitle')}</h1>
        <LookupPanel
          explained={[tokenError]}
          intro={
            <p className={expired ? 'note' : 'alert alert-error'} role={expired ? undefined : 'alert'}>
              {expired ? t('statement.expiredBody') : t('statement.invalidBody')}
            </p>
          }
        />
      </div>
    );
  }

  return (
    <div className="page">
      <h1>{t('lookup.title')}</h1>
      {state.status === 'success' ? (
        <DeferredResultsPanel data={state.data} onAnother={() => setAnother(true)} />
      ) : !another && credentialKind !== 'idNumber' && state.status !== 'error' ? (
        <LookupProgress />
      ) : (
        <LookupPanel focusInput={another} intro={<p>{t('lookup.intro', { merchant: merchant.name })}</p>} />
      )}
    </div>
  );
}
