import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupItem } from '../../../shared/api/schemas';
import { formatInstant, formatIsoDate, formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStore } from '../../lib/payment-store';
import { AmountChooser } from './amount-chooser';
import { chosenAmount, hasAmountChoice, isZero, offeredWithholdings } from './item-amount';
import { WithholdingFields } from './business/withholding-fields';

/** Pictures come from the merchant's ERP: only https ones are shown (no mixed content, no data: URLs). */
function safePicture(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** What the payer can do with their own unfinished checkout of a held item. */
export interface HoldActions {
  resume(item: LookupItem): void;
  cancel(item: LookupItem): Promise<void>;
}

export interface ItemCardProps {
  item: LookupItem;
  linked?: boolean;
  onPay(item: LookupItem): void;
  holdActions?: HoldActions | undefined;
}

export function ItemCard({ item, linked = false, onPay, holdActions }: ItemCardProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const id = useId();
  const selection = usePaymentStore((s) => s.selection);
  const typed = usePaymentStore((s) => s.amounts[item.ref]);
  const withholdingCodes = usePaymentStore((s) => s.withholdings[item.ref]);
  const toggle = usePaymentStore((s) => s.toggle);
  // A picture that does not load is dropped, not left as its alt text spilling out of the box.
  const [pictureFailed, setPictureFailed] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  const money = (text: string) => formatMoney(text, item.currency, locale);
  const date = (iso: string) => formatIsoDate(iso, locale);
  const titleId = `${id}-title`;
  const reasonId = `${id}-reason`;
  const amountMessageId = `${id}-amount-message`;
  const otherCurrencyId = `${id}-currency`;

  const picture = pictureFailed ? null : safePicture(item.picture);
  // A charge's support document: https only, like pictures (the API refuses other schemes too).
  const attachment = safePicture(item.attachment ?? null);
  const offersWithholdings = offeredWithholdings(item).length > 0;
  const withholding = offersWithholdings && (withholdingCodes?.length ?? 0) > 0;
  // With withholdings ticked the whole balance is settled: there is no amount to choose.
  const choice = hasAmountChoice(item) && !withholding;
  const amount = chosenAmount(item, typed, withholdingCodes);
  const selected = selection.some((s) => s.ref === item.ref);
  const otherCurrency = !selected && selection.some((s) => s.currency !== item.currency);
  const selectionCurrency = selection[0]?.currency ?? item.currency;

  const reason =
    item.blockedReason === 'below_minimum'
      ? t('items.blocked.below_minimum', { min: money(item.minimum) })
      : item.blockedReason
        ? t(`items.blocked.${item.blockedReason}`)
        : null;

  return (
    <li
      className={[
        'item-card',
        linked ? 'item-card-linked' : null,
        offersWithholdings ? 'item-card-withholdings' : null,
      ]
        .filter(Boolean)
        .join(' ')}
    >
      <article aria-labelledby={titleId}>
        <div className="item-head">
          {picture ? (
            <img
              className="item-picture"
              src={picture}
              alt={t('items.pictureAlt', { description: item.description })}
              width={64}
              height={64}
              loading="lazy"
              decoding="async"
              referrerPolicy="no-referrer"
              onError={() => setPictureFailed(true)}
            />
          ) : null}
          <div className="item-title">
            <h3 id={titleId}>{item.description}</h3>
            <p className="item-meta">
              {t('items.ref', { ref: item.ref })}
              {item.references.length > 0 ? (
                <>
                  {' · '}
                  {t('items.references', { list: item.references.join(', ') })}
                </>
              ) : null}
            </p>
            {item.limitDate ? (
              <p className="item-meta">
                {t('items.dueDate', { date: date(item.limitDate) })}
                {/* Overdue without a late-fee policy: said here rather than as a "+$ 0" fee line. */}
                {item.daysOverdue > 0 && isZero(item, item.lateFee) ? (
                  <span className="overdue"> · {t('items.daysOverdue', { count: item.daysOverdue })}</span>
                ) : null}
              </p>
            ) : null}
            {attachment ? (
              <p className="item-meta">
                <a href={attachment} target="_blank" rel="noopener noreferrer">
                  {t('items.attachment')}
                </a>
              </p>
            ) : null}
            {linked ? <p className="badge">{t('items.linked')}</p> : null}
          </div>
        </div>

        <dl className="breakdown">
          <div>
            <dt>{t('items.amount')}</dt>
            <dd>{money(item.amount)}</dd>
          </div>
          {!isZero(item, item.discount) ? (
            <div>
              <dt>
                {t('items.discount')}
                {item.discountUntil ? (
                  <span className="note">
                    {' '}
                    {t('items.discountUntil', { date: date(item.discountUntil) })}
                  </span>
                ) : null}
              </dt>
              <dd>−{money(item.discount)}</dd>
            </div>
          ) : null}
          {!isZero(item, item.lateFee) ? (
            <div>
              <dt>
                {t('items.lateFee')}
                {item.daysOverdue > 0 ? (
                  <span className="note"> {t('items.daysOverdue', { count: item.daysOverdue })}</span>
                ) : null}
              </dt>
              <dd>+{money(item.lateFee)}</dd>
            </div>
          ) : null}
          {!isZero(item, item.delivery) ? (
            <div>
              <dt>{t('items.delivery')}</dt>
              <dd>+{money(item.delivery)}</dd>
            </div>
          ) : null}
          <div className="breakdown-total">
            <dt>{t('items.total')}</dt>
            <dd>{money(item.total)}</dd>
          </div>
          {/* Gross, then what was paid, then the balance: the column adds up. */}
          {!isZero(item, item.paid) ? (
            <div>
              <dt>{t('items.paid')}</dt>
              <dd>−{money(item.paid)}</dd>
            </div>
          ) : null}
          {item.withheld && !isZero(item, item.withheld) ? (
            <div>
              <dt>{t('items.withheld')}</dt>
              <dd>−{money(item.withheld)}</dd>
            </div>
          ) : null}
          <div className="breakdown-balance">
            <dt>{t('items.balance')}</dt>
            <dd>{money(item.balance)}</dd>
          </div>
          {choice ? (
            <div>
              <dt>{t('items.minimum')}</dt>
              <dd>{money(item.minimum)}</dd>
            </div>
          ) : null}
        </dl>

        {reason ? (
          <p id={reasonId} className={`blocked-reason blocked-${item.blockedReason ?? 'other'}`}>
            {reason}
          </p>
        ) : null}
        {item.hold ? (
          <div className="hold">
            <p>
              {t('items.holdUntil', {
                time: formatInstant(item.hold.until, locale),
                reference: item.hold.reference,
              })}
            </p>
            {holdActions ? (
              <div className="actions">
                <button
                  type="button"
                  className="button button-primary button-small"
                  onClick={() => holdActions.resume(item)}
                >
                  {t('items.resume')}
                  <span className="visually-hidden">: {item.description}</span>
                </button>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-disabled={cancelling || undefined}
                  onClick={() => {
                    if (cancelling) return;
                    setCancelling(true);
                    void holdActions.cancel(item).finally(() => setCancelling(false));
                  }}
                >
                  {cancelling ? t('items.cancelling') : t('items.cancelPayment')}
                  <span className="visually-hidden">: {item.description}</span>
                </button>
              </div>
            ) : null}
          </div>
        ) : null}

        {offersWithholdings ? <WithholdingFields item={item} /> : null}
        {choice ? <AmountChooser item={item} messageId={amountMessageId} /> : null}

        {item.payable ? (
          <div className="item-actions">
            {item.payable ? (
              <div className="check-field">
                <input
                  id={`${id}-select`}
                  type="checkbox"
                  checked={selected}
                  disabled={otherCurrency}
                  aria-describedby={otherCurrency ? otherCurrencyId : undefined}
                  onChange={() => toggle({ ref: item.ref, currency: item.currency })}
                />
                <label htmlFor={`${id}-select`}>
                  {t('items.select')}
                  <span className="visually-hidden">: {item.description}</span>
                </label>
              </div>
            ) : null}
            {otherCurrency ? (
              <p id={otherCurrencyId} className="hint">
                {t('items.otherCurrency', { currency: selectionCurrency })}
              </p>
            ) : null}
            <button
              type="button"
              className="button button-primary"
              disabled={!amount.ok}
              aria-describedby={!amount.ok ? amountMessageId : undefined}
              onClick={() => onPay(item)}
            >
              {t('items.payOne')}
              <span className="visually-hidden">: {item.description}</span>
            </button>
          </div>
        ) : null}
      </article>
    </li>
  );
}
