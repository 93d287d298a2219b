import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { LookupProgress } from '../../features/lookup/lookup-progress';
import { useMerchant } from '../../lib/merchant-context';
import { usePaymentStore, usePaymentStoreApi } from '../../lib/payment-store';
import { useFlowPaths } from '../flow-paths';
import { DeferredResultsPanel } from './deferred-results';
import { LookupPanel } from './lookup-panel';
import { usePaymentFlow } from '../providers/payment-flow';

/**
 * `/:merchantId/c/:charge`: the link of one merchant charge (docs/spec/merchant-charges.md). It shows that
 * charge at once — references, support document, incentive deadline, pay button — without asking for an id
 * number; the link id is the credential and stays in memory and in the path only. An unknown or withdrawn
 * link falls back to the id form.
 */
export function ChargePage() {
  const { t } = useTranslation();
  const { charge = '' } = useParams();
  const location = useLocation();
  const merchant = useMerchant();
  const flow = usePaymentFlow();
  const store = usePaymentStoreApi();
  const started = useRef<string | null>(null);
  const { state, lookup } = flow;
  const pathname = location.pathname;
  const navigate = useNavigate();
  const paths = useFlowPaths();
  const byIdNumber = usePaymentStore((s) => s.credential !== null && s.credential.kind !== 'charge');

  useEffect(() => {
    if (started.current === charge) return;
    started.current = charge;
    // Back from checkout: the charge is already here.
    if (state.status === 'success') return;
    void lookup({ kind: 'charge', charge }, pathname).then((data) => {
      const item = data?.items[0];
      if (item?.payable) store.getState().selectOnly({ ref: item.ref, currency: item.currency });
    });
  }, [charge, state.status, lookup, pathname, store]);

  // An unknown link offers the id form; a payer who uses it gets the whole list, on the lookup page.
  const listByIdNumber = state.status === 'success' && byIdNumber;
  useEffect(() => {
    if (listByIdNumber) void navigate(paths.home, { replace: true });
  }, [listByIdNumber, navigate, paths.home]);

  if (state.status === 'error') {
    // An unknown link is explained here; any other error is the panel's own (its words, a retry of this
    // charge when trying again can help), so one message shows, never two.
    const missing = state.error.code === 'not_found';
    return (
      <div className="page">
        <h1>{missing ? t('charge.notFoundTitle') : t('charge.title')}</h1>
        <LookupPanel
          explained={missing ? ['not_found'] : []}
          intro={
            missing ? (
              <p className="alert alert-error" role="alert">
                {t('charge.notFoundBody')}
              </p>
            ) : undefined
          }
        />
      </div>
    );
  }

  return (
    <div className="page">
      <h1>{t('charge.title')}</h1>
      {state.status === 'success' && !byIdNumber ? (
        // "Consultar otro número" leads to the merchant's id form: a charge link names no payer to forget.
        <DeferredResultsPanel data={state.data} onAnother={() => void navigate(paths.home)} />
      ) : (
        <>
          <p className="visually-hidden">{merchant.name}</p>
          <LookupProgress />
        </>
      )}
    </div>
  );
}
