import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CheckoutResponse, LookupItem, LookupResponse } from '../../../shared/api/schemas';
import { maskIdNumber } from '../../../shared/mask';
import { PaymentRedirect } from '../../features/checkout/payment-redirect';
import { useEmbed } from '../../features/embed/embed-context';
import type { HoldActions } from '../../features/items/item-card';
import { ItemsView } from '../../features/items/items-view';
import { useApiClient } from '../../lib/api-context';
import { useMerchant } from '../../lib/merchant-context';
import { usePaymentStore, type Credential } from '../../lib/payment-store';
import { useFlowPaths } from '../flow-paths';
import { SupportContact } from '../layout/support-contact';
import { usePaymentFlow } from '../providers/payment-flow';

export interface ResultsPanelProps {
  data: LookupResponse;
  onAnother(): void;
}

export function credentialBody(credential: Exclude<Credential, { kind: 'charge' }>) {
  return credential.kind === 'idNumber' ? { idNumber: credential.idNumber } : { token: credential.token };
}

/** The items of a successful lookup, and a way to start over with another id number. */
export function ResultsPanel({ data, onAnother }: ResultsPanelProps) {
  const { t } = useTranslation();
  const flow = usePaymentFlow();
  const navigate = useNavigate();
  const paths = useFlowPaths();
  const api = useApiClient();
  const embed = useEmbed();
  const merchant = useMerchant();
  const credential = usePaymentStore((s) => s.credential);
  const [resumed, setResumed] = useState<CheckoutResponse | null>(null);
  const [resumeFailed, setResumeFailed] = useState(false);

  const holdActions = useMemo<HoldActions | undefined>(() => {
    // A charge link names no payer to resume or cancel for: its held payment simply runs out.
    if (!credential || credential.kind === 'charge') return undefined;
    const body = credentialBody(credential);
    return {
      resume: (item: LookupItem) => {
        if (!item.hold) return;
        setResumeFailed(false);
        api.resumeCheckout(paths.merchantId, item.hold.reference, body).then(setResumed, () => {
          setResumeFailed(true);
          void flow.refresh();
        });
      },
      cancel: async (item: LookupItem) => {
        if (!item.hold) return;
        await api.cancelCheckout(paths.merchantId, item.hold.reference, body).catch(() => undefined);
        await flow.refresh();
      },
    };
  }, [api, credential, flow, paths.merchantId]);

  const onStarted = useCallback(
    (reference: string) => embed.post({ type: 'payment_started', reference }),
    [embed],
  );

  if (resumed) return <PaymentRedirect checkout={resumed} onBeforeSubmit={onStarted} />;
  return (
    <>
      {resumeFailed ? (
        <p className="alert alert-error" role="alert">
          {t('items.resumeFailed')}
        </p>
      ) : null}
      {data.erpError ? (
        <p className="alert" role="status">
          {t('items.erpPartial', { merchant: merchant.name })}
        </p>
      ) : null}
      <ItemsView
        data={data}
        highlightRef={data.linkedRef ?? null}
        onPay={() => void navigate(paths.pay)}
        maskedId={credential?.kind === 'idNumber' ? maskIdNumber(credential.idNumber) : null}
        holdActions={holdActions}
        contact={<SupportContact merchant={merchant} />}
      />
      <button
        type="button"
        className="button button-link"
        onClick={() => {
          flow.reset();
          onAnother();
        }}
      >
        {t('lookup.another')}
      </button>
    </>
  );
}
