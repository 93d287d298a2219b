import { useCallback } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { PaymentResponse } from '../../../shared/api/schemas';
import { useEmbed } from '../../features/embed/embed-context';
import { PaymentResult } from '../../features/result/payment-result';
import type { ApiErrorCode } from '../../lib/api-client';
import { useMerchant } from '../../lib/merchant-context';
import { useFlowPaths } from '../flow-paths';
import { usePaymentFlow } from '../providers/payment-flow';

/** `/:merchantId/pay/result/:reference`: where PayU's response page lands (through the BFF). */
export function ResultPage() {
  const { reference = '' } = useParams();
  const [search] = useSearchParams();
  const merchant = useMerchant();
  const flow = usePaymentFlow();
  const embed = useEmbed();
  const navigate = useNavigate();
  const paths = useFlowPaths();

  const onFinalStatus = useCallback(
    (payment: PaymentResponse) =>
      embed.post({ type: 'payment_result', reference: payment.reference, status: payment.status }),
    [embed],
  );
  const onError = useCallback((code: ApiErrorCode) => embed.post({ type: 'error', code }), [embed]);
  const onPayAnother = useCallback(() => {
    flow.reset();
    void navigate(paths.home);
  }, [flow, navigate, paths.home]);
  // The same items again: after the next lookup they come selected (router state, never the URL).
  const onRetry = useCallback(
    (payment: PaymentResponse) => {
      flow.reset();
      void navigate(paths.home, { state: { retry: payment.items.map((i) => i.ref) } });
    },
    [flow, navigate, paths.home],
  );
  const onBackToPayments = useCallback(() => {
    // Still in memory (the payer never left the portal): the list again at once, with its hold actions.
    if (flow.state.status === 'success') {
      void flow.refresh();
      void navigate(flow.origin ? paths.withSuffix(flow.origin) : paths.home);
      return;
    }
    void navigate(paths.home);
  }, [flow, navigate, paths]);

  return (
    <div className="page">
      <PaymentResult
        key={reference}
        merchantId={paths.merchantId}
        reference={reference}
        payuState={search.get('payu')}
        returnUrl={merchant.returnUrl ?? null}
        onPayAnother={onPayAnother}
        onFinalStatus={onFinalStatus}
        onError={onError}
        onRetry={onRetry}
        onBackToPayments={onBackToPayments}
      />
    </div>
  );
}
