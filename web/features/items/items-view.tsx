import { useDeferredValue, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem, LookupResponse } from '../../../shared/api/schemas';
import { formatIsoDate } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStoreApi } from '../../lib/payment-store';
import { ItemCard } from './item-card';
import { SelectionBar } from './selection-bar';

export interface ItemsViewProps {
  data: LookupResponse;
  /** The item a statement link points at. */
  highlightRef?: string | null;
  /** Go to checkout with the store's current selection. */
  onPay(): void;
  /** Move focus to the list heading when it appears (after a lookup). */
  focusHeading?: boolean;
}

/**
 * Cards in the list's first render: more than a phone's screen shows. The rest follow in a background
 * render, which React splits into short tasks, so a long list (a company's 40 invoices) never blocks the
 * page in one long task; meanwhile the page already reads and works from the top. The later cards skip
 * layout and paint while off screen (styles.css, `.item-card:nth-child(n + 5)`).
 */
const FIRST_CARDS = 4;

export function ItemsView({ data, highlightRef = null, onPay, focusHeading = true }: ItemsViewProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const store = usePaymentStoreApi();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useDeferredValue(data.items.length, Math.min(data.items.length, FIRST_CARDS));

  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading]);

  function payOne(item: LookupItem) {
    store.getState().selectOnly({ ref: item.ref, currency: item.currency });
    onPay();
  }

  return (
    <section className="items" aria-labelledby={headingId}>
      <p className="greeting">
        {data.payer.maskedName
          ? t('items.greeting', { name: data.payer.maskedName })
          : t('items.greetingAnonymous')}
      </p>
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {t('items.title')}
      </h2>
      <p className="items-summary">
        {t('items.count', { count: data.items.length })}.{' '}
        {t('items.asOf', { date: formatIsoDate(data.asOf, locale) })}
      </p>
      {data.skipped > 0 ? <p className="note">{t('items.skipped')}</p> : null}
      {data.items.length === 0 ? (
        <div className="empty-state">
          <h3>{t('items.emptyTitle')}</h3>
          <p>{t('items.emptyBody', { merchant: data.merchant.name })}</p>
        </div>
      ) : (
        <ul className="item-list">
          {data.items.slice(0, shown).map((item) => (
            <ItemCard key={item.ref} item={item} linked={item.ref === highlightRef} onPay={payOne} />
          ))}
        </ul>
      )}
      <SelectionBar items={data.items} onPay={onPay} />
    </section>
  );
}
