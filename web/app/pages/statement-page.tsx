import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { LookupProgress } from '../../features/lookup/lookup-progress';
import { useMerchant } from '../../lib/merchant-context';
import { usePaymentStore, usePaymentStoreApi } from '../../lib/payment-store';
import { DeferredResultsPanel } from './deferred-results';
import { LookupPanel } from './lookup-panel';
import { usePaymentFlow } from '../providers/payment-flow';

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
