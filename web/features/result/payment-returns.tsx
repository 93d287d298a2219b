import { useTranslation } from 'react-i18next';
import type { PaymentResponse } from '../../../shared/api/schemas';
import { isCurrency } from '../../../shared/money';
import { arrivalParts } from '../../lib/arrival';
import { formatMoney } from '../../lib/format-money';

type PaymentReturn = NonNullable<PaymentResponse['returns']>[number];

type StateKey = 'details' | 'review' | 'processing' | 'inBank' | 'paid' | 'problem' | 'cancelled';

/** What the payer is told per return state (docs/spec/money-back.md "What each side sees"). */
const STATE_KEYS: Partial<Record<string, StateKey>> = {
  pending: 'review',
  approved: 'processing',
  awaiting_details: 'processing',
  sending: 'processing',
  in_bank: 'inBank',
  paid: 'paid',
  recorded: 'paid',
  failed: 'problem',
  needs_review: 'problem',
  cancelled: 'cancelled',
};

/**
 * Money going back to the payer from this payment, on the result page: each return's state, amount and
 * expected arrival, and — while a payout needs them — the button to the sealed bank-details page. The
 * payment status API sends `returns` only to the browser that made the checkout.
 */
export function PaymentReturns({ returns, locale }: { returns: readonly PaymentReturn[]; locale: string }) {
  const { t } = useTranslation();
  if (returns.length === 0) return null;
  return (
    <section className="returns" aria-labelledby="returns-title">
      <h2 id="returns-title">{t('result.returns.title')}</h2>
      <ul className="returns-list">
        {returns.map((r) => {
          const amount = isCurrency(r.currency)
            ? formatMoney(r.amount, r.currency, locale)
            : `${r.amount} ${r.currency}`;
          const state: StateKey = r.bankDetailsPath ? 'details' : (STATE_KEYS[r.state] ?? 'processing');
          const arrival =
            r.expectedArrival && (r.state === 'in_bank' || r.state === 'sending')
              ? arrivalParts(r.expectedArrival, locale)
              : null;
          return (
            <li key={r.id} className="return-card">
              <dl className="receipt">
                <div>
                  <dt>{t('result.returns.amount')}</dt>
                  <dd>
                    <strong>{amount}</strong>
                  </dd>
                </div>
                <div>
                  <dt>{t('result.returns.state')}</dt>
                  <dd>{t(`result.returns.states.${state}`)}</dd>
                </div>
                <div>
                  <dt>{t('result.returns.to')}</dt>
                  <dd>
                    {r.route === 'refund'
                      ? t('result.returns.toCard')
                      : r.bankAccount
                        ? t('result.returns.toAccount', { account: r.bankAccount })
                        : t('result.returns.toBank')}
                  </dd>
                </div>
                {arrival ? (
                  <div>
                    <dt>{t('result.returns.arrival')}</dt>
                    <dd>{t('result.returns.arrivalValue', { ...arrival })}</dd>
                  </div>
                ) : null}
              </dl>
              {r.bankDetailsPath ? (
                <p>
                  <a className="button button-primary no-print" href={r.bankDetailsPath}>
                    {t('result.returns.giveDetails')}
                  </a>
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
