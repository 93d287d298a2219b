import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem } from '../../../../shared/api/schemas';
import { formatMinor } from '../../../../shared/money';
import { toUnits } from '../../../lib/amount-input';
import { errorMessageKey } from '../../../lib/error-message';
import { formatMoney } from '../../../lib/format-money';
import { useDisplayLocale, useMerchant } from '../../../lib/merchant-context';
import { usePaymentStore, usePaymentStoreApi } from '../../../lib/payment-store';
import { setAllocation, setSpreadText } from '../business-state';
import { spreadAmountText } from '../payment-plan';
import { useAllocation } from './use-allocation';

export interface SpreadPanelProps {
  /** The selected payable items, in the payer's order (one currency). */
  items: readonly LookupItem[];
  /** Tests shorten the wait before the preview is asked for. */
  debounceMs?: number;
}

/**
 * One amount over the selected items (docs/spec/business-payments.md §1): the payer types it (or taps "Pay
 * all", the sum of the balances), the BFF's preview shows each item's share, and an amount that cannot be
 * spread comes back with the nearest ones that can, as buttons that set it.
 */
export function SpreadPanel({ items, debounceMs }: SpreadPanelProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const merchant = useMerchant();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const credential = usePaymentStore((s) => s.credential);
  const text = usePaymentStore((s) => s.spreadText);
  const store = usePaymentStoreApi();

  const currency = items[0]?.currency ?? 'COP';
  const money = (amount: string) => formatMoney(amount, currency, locale);
  const refs = items.map((item) => item.ref);
  const amount = spreadAmountText(text, currency);
  const formatError = text.trim() !== '' && amount === null;
  const { state, retry } = useAllocation(merchant.id, credential, refs, amount, debounceMs);
  const all = formatMinor(
    items.reduce((sum, item) => sum + toUnits(item.balance, currency), 0n),
    currency,
  );

  // What checkout will send: the preview of exactly this amount over exactly this selection, or nothing.
  const answer = state.status === 'ok' ? state.answer : null;
  const refsKey = refs.join('\n');
  useEffect(() => {
    setAllocation(
      store,
      answer && amount !== null
        ? { refs: refsKey.split('\n'), amount, allocations: answer.allocations }
        : null,
    );
  }, [answer, amount, refsKey, store]);

  const suggest = (value: string) => {
    setSpreadText(store, value);
    input.current?.focus();
  };
  const shares = new Map(answer?.allocations.map((a) => [a.ref, a.amount]));
  const describedBy = [`${id}-hint`, formatError || state.status !== 'idle' ? `${id}-status` : null]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="spread-panel">
      <label htmlFor={`${id}-amount`}>{t('business.spreadLabel')}</label>
      <p id={`${id}-hint`} className="hint">
        {t('business.spreadHint', { count: items.length })}
      </p>
      <div className="spread-input">
        <input
          ref={input}
          id={`${id}-amount`}
          name="spread-amount"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={text}
          aria-invalid={formatError || state.status === 'refused' ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => setSpreadText(store, event.target.value)}
        />
        <button type="button" className="button button-secondary button-small" onClick={() => suggest(all)}>
          {t('business.payAll', { total: money(all) })}
        </button>
      </div>
      <div id={`${id}-status`} className="spread-status" aria-live="polite">
        {formatError ? (
          <p className="field-error">{t('business.formatError', { example: items[0]?.balance ?? '' })}</p>
        ) : state.status === 'loading' ? (
          <p className="status-line" data-loading="">
            <span className="spinner" aria-hidden="true" />
            {t('business.previewLoading')}
          </p>
        ) : state.status === 'refused' ? (
          <p className="field-error">
            {state.lower === null && state.upper === null
              ? t('business.notAllocatableNone')
              : t('business.notAllocatable')}
          </p>
        ) : state.status === 'error' ? (
          <p className="field-error">{t(errorMessageKey(state.error.code))}</p>
        ) : state.status === 'ok' ? (
          <p className="amount-preview">
            {t('business.previewSummary', {
              total: money(state.answer.total),
              count: state.answer.allocations.length,
            })}
          </p>
        ) : null}
      </div>
      {state.status === 'refused' && (state.lower !== null || state.upper !== null) ? (
        <div className="quick-amounts" role="group" aria-label={t('business.suggestions')}>
          {state.lower !== null ? (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => suggest(state.lower!)}
            >
              {t('business.useLower', { amount: money(state.lower) })}
            </button>
          ) : null}
          {state.upper !== null ? (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => suggest(state.upper!)}
            >
              {t('business.useUpper', { amount: money(state.upper) })}
            </button>
          ) : null}
        </div>
      ) : null}
      {state.status === 'error' ? (
        <button type="button" className="button button-secondary button-small" onClick={retry}>
          {t('business.retry')}
        </button>
      ) : null}
      {answer ? (
        <>
          <h3 className="spread-title">{t('business.previewTitle')}</h3>
          <ul className="spread-list">
            {items.map((item) => {
              const share = shares.get(item.ref);
              const partial = share !== undefined && share !== item.balance;
              return (
                <li key={item.ref}>
                  <span>
                    {item.description} <span className="item-meta">{t('items.ref', { ref: item.ref })}</span>
                  </span>
                  <span className="amount">
                    {share === undefined
                      ? t('business.notIncluded')
                      : partial
                        ? t('business.partialShare', { amount: money(share), balance: money(item.balance) })
                        : money(share)}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </div>
  );
}
