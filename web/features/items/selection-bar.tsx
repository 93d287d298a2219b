import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem } from '../../../shared/api/schemas';
import { formatMinor } from '../../../shared/money';
import { formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStore } from '../../lib/payment-store';
import { chosenAmount } from './item-amount';

/** The selected items of one currency, their total, and one button to pay them together. */
export function SelectionBar({ items, onPay }: { items: readonly LookupItem[]; onPay(): void }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const id = useId();
  const selection = usePaymentStore((s) => s.selection);
  const amounts = usePaymentStore((s) => s.amounts);

  const selected = selection
    .map((s) => items.find((item) => item.ref === s.ref && item.payable))
    .filter((item): item is LookupItem => item !== undefined);
  const first = selected[0];
  if (!first) return null;

  const checks = selected.map((item) => chosenAmount(item, amounts[item.ref]));
  const allValid = checks.every((c) => c.ok);
  const total = checks.reduce((sum, c) => (c.ok ? sum + c.units : sum), 0n);

  return (
    <section className="selection-bar" aria-label={t('items.paySelected')}>
      <p className="selection-summary" aria-live="polite">
        <span>{t('items.selectedCount', { count: selected.length })}</span>{' '}
        <strong>
          {t('items.selectedTotal', {
            total: formatMoney(formatMinor(total, first.currency), first.currency, locale),
          })}
        </strong>
      </p>
      {!allValid ? (
        <p id={`${id}-fix`} className="field-error">
          {t('items.fixAmount')}
        </p>
      ) : null}
      <button
        type="button"
        className="button button-primary"
        disabled={!allValid}
        aria-describedby={allValid ? undefined : `${id}-fix`}
        onClick={onPay}
      >
        {t('items.paySelected')}
      </button>
    </section>
  );
}
