import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { usePaymentStoreApi } from '../../lib/payment-store';
import { useMerchant } from '../../lib/merchant-context';
import { DeferredResultsPanel } from './deferred-results';
import { LookupPanel } from './lookup-panel';
import { usePaymentFlow } from '../providers/payment-flow';

/** `/:merchantId`: the id form, then the payer's items. */
export function LookupPage() {
  const { t } = useTranslation();
  const merchant = useMerchant();
  const flow = usePaymentFlow();
  const [focusInput, setFocusInput] = useState(false);
  const location = useLocation();
  const store = usePaymentStoreApi();
  const retry = (location.state as { retry?: unknown } | null)?.retry;
  const retried = useRef(false);

  // "Try again" on a failed payment: once the payer has looked up again, its items come selected.
  useEffect(() => {
    if (retried.current || flow.state.status !== 'success' || !Array.isArray(retry)) return;
    retried.current = true;
    for (const item of flow.state.data.items) {
      if (item.payable && retry.includes(item.ref))
        store.getState().toggle({ ref: item.ref, currency: item.currency });
    }
  }, [flow.state, retry, store]);

  return (
    <div className="page">
      <h1>{t('lookup.title')}</h1>
      {flow.state.status === 'success' ? (
        <DeferredResultsPanel data={flow.state.data} onAnother={() => setFocusInput(true)} />
      ) : (
        <LookupPanel
          focusInput={focusInput}
          intro={<p>{t('lookup.intro', { merchant: merchant.name })}</p>}
        />
      )}
    </div>
  );
}
