import { useDeferredValue, useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem, LookupResponse } from '../../../shared/api/schemas';
import { formatIsoDate } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStore, usePaymentStoreApi } from '../../lib/payment-store';
import { selectMany } from './business-state';
import { ItemCard, type HoldActions } from './item-card';

import { SelectionBar } from './selection-bar';

export interface ItemsViewProps {
  data: LookupResponse;
  /** The item a statement link points at. */
  highlightRef?: string | null;
  /** Go to checkout with the store's current selection (or the one item of a card's own button). */
  onPay(): void;
  /** Move focus to the list heading when it appears (after a lookup). */
  focusHeading?: boolean;
  /** The id number looked up, masked (`•••• 5678`); null for a statement link. */
  maskedId?: string | null;
  /** Resume or cancel the payer's unfinished checkout of a held item. */
  holdActions?: HoldActions;
  /** How to reach the merchant, where a message says "contact the merchant". */
  contact?: ReactNode;
}

/**
 * Cards in the list's first render: more than a phone's screen shows. The rest follow in a background
 * render, which React splits into short tasks, so a long list (a company's 40 invoices) never blocks the
 * page in one long task; meanwhile the page already reads and works from the top. The later cards skip
 * layout and paint while off screen (styles.css, `.item-card:nth-child(n + 5)`).
 */
const FIRST_CARDS = 4;

type Group = 'pending' | 'paid' | 'unavailable';

function groupOf(item: LookupItem): Group | null {
  if (item.payable) return null;
  if (item.blockedReason === 'payment_pending') return 'pending';
  if (item.blockedReason === 'paid') return 'paid';
  return 'unavailable';
}

const GROUPS: readonly Group[] = ['pending', 'unavailable', 'paid'];

/**
 * The payer's items: what can be paid now first (and only those are counted as pending), then those in
 * process at PayU, those that cannot be paid online, and those already paid, each under its own heading.
 */
export function ItemsView({
  data,
  highlightRef = null,
  onPay,
  focusHeading = true,
  maskedId = null,
  holdActions,
  contact = null,
}: ItemsViewProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const store = usePaymentStoreApi();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useDeferredValue(data.items.length, Math.min(data.items.length, FIRST_CARDS));

  const selection = usePaymentStore((s) => s.selection);

  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading]);

  function payOne(item: LookupItem) {
    store.getState().payOnly({ ref: item.ref, currency: item.currency });
    onPay();
  }

  const payable = data.items.filter((item) => item.payable);
  // "Select all": every payable item of the selection's currency (or of the first payable item).
  const allCurrency = selection[0]?.currency ?? payable[0]?.currency;
  const selectable = payable.filter((item) => item.currency === allCurrency);
  const allSelected =
    selectable.length > 0 && selectable.every((item) => selection.some((s) => s.ref === item.ref));
  function toggleAll() {
    selectMany(
      store,
      allSelected ? [] : selectable.map((item) => ({ ref: item.ref, currency: item.currency })),
    );
  }
  const grouped = new Map<Group, LookupItem[]>(GROUPS.map((g) => [g, []]));
  for (const item of data.items) {
    const group = groupOf(item);
    if (group) grouped.get(group)!.push(item);
  }
  // The staged rendering budget runs over the page in reading order: each list starts where the one
  // before it ended.
  const starts = new Map<Group | 'payable', number>([['payable', 0]]);
  let offset = payable.length;
  for (const group of GROUPS) {
    starts.set(group, offset);
    offset += grouped.get(group)!.length;
  }
  const take = (list: Group | 'payable', items: LookupItem[]) =>
    items.slice(0, Math.max(0, shown - starts.get(list)!));
  const card = (item: LookupItem) => (
    <ItemCard
      key={item.ref}
      item={item}
      linked={item.ref === highlightRef}
      onPay={payOne}
      holdActions={holdActions}
    />
  );

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
        {t('items.count', { count: payable.length })}.{' '}
        {t('items.asOf', { date: formatIsoDate(data.asOf, locale) })}
      </p>
      {data.skipped > 0 ? (
        <div className="note">
          <p>{t('items.skipped')}</p>
          {contact}
        </div>
      ) : null}
      {payable.length === 0 ? (
        <div className="empty-state">
          <h3>{t('items.emptyTitle')}</h3>
          <p>
            {maskedId
              ? t('items.emptyBody', { merchant: data.merchant.name, id: maskedId })
              : t('items.emptyBodyLink', { merchant: data.merchant.name })}
          </p>
          {data.items.length === 0 ? contact : null}
        </div>
      ) : (
        <>
          {selectable.length >= 2 ? (
            <div className="select-all">
              <button type="button" className="button button-secondary button-small" onClick={toggleAll}>
                {allSelected ? t('items.selectNone') : t('items.selectAll', { count: selectable.length })}
              </button>
            </div>
          ) : null}
          <ul className="item-list">{take('payable', payable).map(card)}</ul>
        </>
      )}
      <SelectionBar items={data.items} onPay={onPay} />
      {GROUPS.map((group) => {
        const items = grouped.get(group)!;
        if (items.length === 0) return null;
        const visible = take(group, items);
        return (
          <section
            key={group}
            className={`item-group item-group-${group}`}
            aria-labelledby={`${headingId}-${group}`}
          >
            <h2 id={`${headingId}-${group}`}>
              {t(`items.groups.${group}`)} <span className="group-count">({items.length})</span>
            </h2>
            {group === 'unavailable' ? (
              <div className="hint">
                <p>{t('items.unavailableHint')}</p>
                {contact}
              </div>
            ) : null}
            <ul className="item-list">{visible.map(card)}</ul>
          </section>
        );
      })}
    </section>
  );
}
