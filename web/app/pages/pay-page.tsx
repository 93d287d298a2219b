import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { CheckoutForm, type CheckoutLine } from '../../features/checkout/checkout-form';
import { useEmbed } from '../../features/embed/embed-context';
import { paymentPlan } from '../../features/items/payment-plan';
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
  const withholdings = usePaymentStore((s) => s.withholdings);
  const spreadText = usePaymentStore((s) => s.spreadText);
  const allocation = usePaymentStore((s) => s.allocation);
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
  const plan = paymentPlan(items, {
    credential,
    selection,
    single,
    amounts,
    withholdings,
    spreadText,
    allocation,
  });
  // Every chosen item still payable, every amount valid (a spread: previewed for exactly this selection).
  const chosen = single ? 1 : selection.length;
  if (!plan?.ok || (plan.kind === 'items' && plan.lines.length !== chosen)) {
    return <Navigate to={back} replace />;
  }
  const lines: CheckoutLine[] = plan.lines.map((l) => ({
    item: l.item,
    amount: l.amount,
    withholdings: l.withholdings,
  }));
  const spread =
    plan.kind === 'spread' && plan.amount !== null ? { refs: plan.refs, amount: plan.amount } : null;

  return (
    <div className="page">
      <CheckoutForm
        merchantId={paths.merchantId}
        credential={credential}
        lines={lines}
        spread={spread}
        language={languageOf(i18n.resolvedLanguage ?? i18n.language)}
        returnTo={embed.returnTo}
        onBack={onBack}
        onCheckoutCreated={onCheckoutCreated}
        onError={onError}
      />
    </div>
  );
}
