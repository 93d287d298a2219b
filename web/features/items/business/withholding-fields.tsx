import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem } from '../../../../shared/api/schemas';
import { formatMinor } from '../../../../shared/money';
import { toUnits } from '../../../lib/amount-input';
import { formatMoney } from '../../../lib/format-money';
import { useDisplayLocale } from '../../../lib/merchant-context';
import { usePaymentStore, usePaymentStoreApi } from '../../../lib/payment-store';
import { setWithholding } from '../business-state';
import { chosenAmount, offeredWithholdings, tickedWithholdings } from '../item-amount';

/**
 * The withholdings a company payer may declare on one item (docs/spec/business-payments.md §2), each with
 * what it withholds; ticking any settles the whole balance: the payer pays it net of what they withhold.
 */
export function WithholdingFields({ item }: { item: LookupItem }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const id = useId();
  const codes = usePaymentStore((s) => s.withholdings[item.ref]);
  const store = usePaymentStoreApi();
  const offered = offeredWithholdings(item);
  const ticked = tickedWithholdings(item, codes);
  const money = (amount: string) => formatMoney(amount, item.currency, locale);
  if (offered.length === 0) return null;

  const withheld = formatMinor(
    ticked.reduce((sum, w) => sum + toUnits(w.amount, item.currency), 0n),
    item.currency,
  );
  const cash = chosenAmount(item, undefined, codes);

  return (
    <fieldset className="withholdings" aria-describedby={`${id}-hint`}>
      <legend>{t('business.withholdingsTitle')}</legend>
      <p id={`${id}-hint`} className="hint">
        {t('business.withholdingsHint')}
      </p>
      {offered.map((w) => (
        <div key={w.code} className="check-field">
          <input
            id={`${id}-${w.code}`}
            type="checkbox"
            checked={ticked.some((x) => x.code === w.code)}
            onChange={(event) => setWithholding(store, item.ref, w.code, event.target.checked)}
          />
          <label htmlFor={`${id}-${w.code}`}>
            <span>
              {t('business.withholdingLine', { label: w.label, amount: money(w.amount) })}
              <span className="visually-hidden">: {item.description}</span>
            </span>
          </label>
        </div>
      ))}
      <p className={ticked.length > 0 ? 'amount-preview' : 'hint'} aria-live="polite">
        {ticked.length === 0
          ? null
          : cash.ok
            ? t('business.cash', { cash: money(cash.text), withheld: money(withheld) })
            : t('business.cashNone')}
      </p>
    </fieldset>
  );
}
