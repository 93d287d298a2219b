import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem } from '../../../shared/api/schemas';
import { formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStore } from '../../lib/payment-store';
import { chosenAmount } from './item-amount';

/**
 * The balance, or a partial amount between the minimum and the largest one that still leaves at least the
 * minimum to pay later; typed on the decimal keypad or picked with one tap.
 */
export function AmountChooser({
  item,
  messageId,
}: {
  item: LookupItem & { maxPartial: string };
  messageId: string;
}) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const id = useId();
  const typed = usePaymentStore((s) => s.amounts[item.ref]);
  const setAmount = usePaymentStore((s) => s.setAmount);
  const value = typed ?? item.balance;
  const check = chosenAmount(item, value);
  const min = formatMoney(item.minimum, item.currency, locale);
  const max = formatMoney(item.balance, item.currency, locale);
  const maxPartial = formatMoney(item.maxPartial, item.currency, locale);

  return (
    <div className="amount-chooser">
      <label htmlFor={`${id}-amount`}>{t('items.amountLabel')}</label>
      <p id={`${id}-hint`} className="hint">
        {t('items.amountHint', { min, maxPartial, max })}
      </p>
      <input
        id={`${id}-amount`}
        name={`amount-${item.ref}`}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={check.ok ? undefined : true}
        aria-describedby={`${id}-hint ${messageId}`}
        onChange={(event) => setAmount(item.ref, event.target.value)}
      />
      <div className="quick-amounts">
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => setAmount(item.ref, item.minimum)}
        >
          {t('items.payMinimum')}
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => setAmount(item.ref, item.balance)}
        >
          {t('items.payBalance')}
        </button>
      </div>
      <p id={messageId} className={check.ok ? 'hint amount-preview' : 'field-error'}>
        {check.ok
          ? t('items.amountPreview', { amount: formatMoney(check.text, item.currency, locale) })
          : check.reason === 'format'
            ? t('items.amountErrorFormat', { example: item.minimum })
            : check.reason === 'remainder'
              ? t('items.amountErrorRemainder', { maxPartial, max })
              : t('items.amountErrorRange', { min, maxPartial, max })}
      </p>
    </div>
  );
}
