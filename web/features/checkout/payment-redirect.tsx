import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckoutResponse } from '../../../shared/api/schemas';
import { formFields } from './payment-form';

export interface PaymentRedirectProps {
  checkout: CheckoutResponse;
  /** Runs once, just before the form is submitted (the embed `payment_started` message). */
  onBeforeSubmit?(reference: string): void;
}

/**
 * A real form (no inline script: the CSP forbids it) submitted once on mount. Its visible button is the
 * fallback when the browser refuses a scripted top-level navigation, e.g. a sandboxed iframe that only
 * allows it after a tap (allow-top-navigation-by-user-activation).
 */
export function PaymentRedirect({ checkout, onBeforeSubmit }: PaymentRedirectProps) {
  const { t } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);

  useEffect(() => {
    if (submitted.current || !form.current) return;
    submitted.current = true;
    onBeforeSubmit?.(checkout.reference);
    form.current.submit();
  }, [checkout, onBeforeSubmit]);

  return (
    <form ref={form} className="payment-redirect" method="POST" action={checkout.action} target="_top">
      {formFields(checkout).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p role="status" aria-live="polite" className="status-line">
        <span className="spinner" aria-hidden="true" />
        {t('checkout.redirecting')}
      </p>
      <button type="submit" className="button button-primary">
        {t('checkout.submit')}
      </button>
    </form>
  );
}
