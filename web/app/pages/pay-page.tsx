import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { CheckoutForm, type CheckoutLine } from '../../features/checkout/checkout-form';
import { useEmbed } from '../../features/embed/embed-context';
import { chosenAmount } from '../../features/items/item-amount';
import { languageOf } from '../../i18n/i18n';
import type { ApiErrorCode } from '../../lib/api-client';
import { usePaymentStore } from '../../lib/payment-store';
import { useFlowPaths } from '../flow-paths';
import { usePaymentFlow } from '../providers/payment-flow';

/**
 * `/:merchantId/pay`: checkout for the selected items. It needs the in-memory lookup; after a reload
 * (memory gone, by design) it sends the payer back to the lookup.
 */
export function PayPage() {
  const { i18n } = useTranslation();
  const flow = usePaymentFlow();
  const embed = useEmbed();
  const navigate = useNavigate();
  const paths = useFlowPaths();
  const credential = usePaymentStore((s) => s.credential);
  const selection = usePaymentStore((s) => s.selection);
  const single = usePaymentStore((s) => s.single);
  const payOnly = usePaymentStore((s) => s.payOnly);
  const amounts = usePaymentStore((s) => s.amounts);
  const back = flow.origin ? paths.withSuffix(flow.origin) : paths.home;

  const onCheckoutCreated = useCallback(
    (reference: string) => embed.post({ type: 'payment_started', reference }),
    [embed],
  );
  const onError = useCallback((code: ApiErrorCode) => embed.post({ type: 'error', code }), [embed]);
  const onBack = useCallback(
    (refresh: boolean) => {
      // Back to the list: a card's one-off payment is over; the multi-item selection is still there.
      payOnly(null);
      if (refresh) void flow.refresh();
      void navigate(back);
    },
    [flow, navigate, back, payOnly],
  );

  if (flow.state.status !== 'success' || !credential) return <Navigate to={back} replace />;
  const items = flow.state.data.items;
  const lines: CheckoutLine[] = [];
  for (const selected of single ? [single] : selection) {
    const item = items.find((i) => i.ref === selected.ref && i.payable);
    const amount = item ? chosenAmount(item, amounts[item.ref]) : null;
    if (!item || !amount?.ok) return <Navigate to={back} replace />;
    lines.push({ item, amount: amount.text });
  }
  if (lines.length === 0) return <Navigate to={back} replace />;

  return (
    <div className="page">
      <CheckoutForm
        merchantId={paths.merchantId}
        credential={credential}
        lines={lines}
        language={languageOf(i18n.resolvedLanguage ?? i18n.language)}
        returnTo={embed.returnTo}
        onBack={onBack}
        onCheckoutCreated={onCheckoutCreated}
        onError={onError}
      />
    </div>
  );
}
