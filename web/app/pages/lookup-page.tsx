import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
