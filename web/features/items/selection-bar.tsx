import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem } from '../../../shared/api/schemas';
import { formatMinor } from '../../../shared/money';
import { toUnits } from '../../lib/amount-input';
import { formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStore, usePaymentStoreApi } from '../../lib/payment-store';
import { setSpreadText } from './business-state';
import { SpreadPanel } from './business/spread-panel';
import { canSpread, hasTickedWithholdings, paymentPlan, selectedItems } from './payment-plan';

/**
 * The selected items of one currency, their running total (net of ticked withholdings), one button to pay
 * them together, and, for two or more, the way to pay one amount spread over them.
 */
export function SelectionBar({ items, onPay }: { items: readonly LookupItem[]; onPay(): void }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const id = useId();
  const credential = usePaymentStore((s) => s.credential);
  const selection = usePaymentStore((s) => s.selection);
  const amounts = usePaymentStore((s) => s.amounts);
  const withholdings = usePaymentStore((s) => s.withholdings);
  const spreadText = usePaymentStore((s) => s.spreadText);
  const allocation = usePaymentStore((s) => s.allocation);
  const store = usePaymentStoreApi();
  const [open, setOpen] = useState(spreadText !== '');

  const state = { credential, selection, single: null, amounts, withholdings, spreadText, allocation };
  const selected = selectedItems(items, state);
  const plan = paymentPlan(items, state);
  if (!plan) return null;

  const spreadable = canSpread(state, selected);
  const withheldTicked = hasTickedWithholdings(state, selected);
  const money = (units: bigint) => formatMoney(formatMinor(units, plan.currency), plan.currency, locale);
  const sum = (amounts: readonly string[]) =>
    amounts.reduce((total, a) => total + toUnits(a, plan.currency), 0n);
  const total =
    plan.kind === 'spread'
      ? plan.amount === null
        ? null
        : toUnits(plan.amount, plan.currency)
      : sum(plan.lines.map((l) => l.amount));
  const withheld = sum(plan.lines.flatMap((l) => l.withholdings.map((w) => w.amount)));
  const problem = plan.ok
    ? null
    : plan.kind === 'spread'
      ? t('business.waitForPreview')
      : t('items.fixAmount');

  return (
    <section className="selection-bar" aria-label={t('items.paySelected')}>
      <p className="selection-summary" aria-live="polite">
        <span>{t('items.selectedCount', { count: selected.length })}</span>{' '}
        {total !== null ? <strong>{t('items.selectedTotal', { total: money(total) })}</strong> : null}
        {withheld > 0n ? (
          <span className="selection-withheld">
            {' '}
            {t('business.totalWithheld', { total: money(withheld) })}
          </span>
        ) : null}
      </p>
      {spreadable ? (
        <button
          type="button"
          className="button button-link spread-toggle"
          aria-expanded={open}
          aria-controls={`${id}-spread`}
          onClick={() => {
            if (open) setSpreadText(store, '');
            setOpen(!open);
          }}
        >
          {t('business.spreadToggle')}
        </button>
      ) : null}
      {spreadable && open ? (
        <div id={`${id}-spread`} className="spread-area">
          {withheldTicked ? (
            <p className="hint">{t('business.withholdingsNoSpread')}</p>
          ) : (
            <SpreadPanel items={selected} />
          )}
        </div>
      ) : null}
      {problem ? (
        // A spread's own panel already says what is wrong; here it only names why the button is off.
        <p id={`${id}-fix`} className={plan.kind === 'spread' && open ? 'visually-hidden' : 'field-error'}>
          {problem}
        </p>
      ) : null}
      <button
        type="button"
        className="button button-primary"
        disabled={!plan.ok}
        aria-describedby={problem ? `${id}-fix` : undefined}
        onClick={onPay}
      >
        {t('items.paySelected')}
      </button>
    </section>
  );
}
