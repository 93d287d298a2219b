import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentResponse } from '../../../shared/api/schemas';
import type { ApiErrorCode } from '../../lib/api-client';
import { errorMessageKey, isRetryable } from '../../lib/error-message';
import { formatInstant, formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { PaymentReturns } from './payment-returns';
import { payuHint } from './payu-hint';
import { StatusIcon } from './status-icon';
import { usePaymentStatus, type PollingOptions } from './use-payment-status';

export interface PaymentResultProps {
  merchantId: string;
  reference: string;
  /** `?payu=<transactionState>` from the response page redirect: a hint, never trusted. */
  payuState?: string | null;
  /** The merchant's "back to the store" address. */
  returnUrl?: string | null;
  onPayAnother(): void;
  /** Once per final status (the embed `payment_result` message). */
  onFinalStatus?(payment: PaymentResponse): void;
  onError?(code: ApiErrorCode): void;
  /** Declined, expired or error: try the same items again. */
  onRetry?(payment: PaymentResponse): void;
  /** A checkout PayU has not seen: back to the payer's list, where it can be resumed or cancelled. */
  onBackToPayments?(): void;
  polling?: PollingOptions;
  /** The clock that decides whether a hold is still on (tests pass their own). */
  now?: () => number;
}

function safeReturnUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

export function PaymentResult({
  merchantId,
  reference,
  payuState = null,
  returnUrl,
  onPayAnother,
  onFinalStatus,
  onError,
  onRetry,
  onBackToPayments,
  polling: pollingOptions,
  now = Date.now,
}: PaymentResultProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  const { payment, error, polling, gaveUp, checkAgain } = usePaymentStatus(
    merchantId,
    reference,
    pollingOptions,
  );
  const status = payment?.status ?? null;
  const hint = payuHint(payuState);
  const storeUrl = safeReturnUrl(returnUrl);

  useEffect(() => {
    if (status !== null || error !== null) heading.current?.focus();
  }, [status, error]);

  // Once per final status, not on every answer.
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!payment || payment.status === 'pending') return;
    const key = `${payment.reference}:${payment.status}`;
    if (reported.current === key) return;
    reported.current = key;
    onFinalStatus?.(payment);
  }, [payment, onFinalStatus]);

  const errorCode = error?.code ?? null;
  useEffect(() => {
    if (errorCode) onError?.(errorCode);
  }, [errorCode, onError]);

  const actions = (
    <div className="actions no-print">
      {payment &&
      (payment.status === 'declined' || payment.status === 'expired' || payment.status === 'error') &&
      onRetry ? (
        <button type="button" className="button button-primary" onClick={() => onRetry(payment)}>
          {t('result.retry')}
        </button>
      ) : null}
      {payment?.status === 'approved' ? (
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('result.print')}
        </button>
      ) : null}
      {storeUrl ? (
        <a className="button button-secondary" href={storeUrl} target="_top" rel="noopener">
          {t('result.backToStore')}
        </a>
      ) : null}
      <button type="button" className="button button-primary" onClick={onPayAnother}>
        {t('result.payAnother')}
      </button>
    </div>
  );

  if (!payment) {
    if (!error) {
      return (
        <section className="result" data-loading="">
          <p role="status" aria-live="polite" className="status-line">
            <span className="spinner" aria-hidden="true" />
            {t('result.loading')}
          </p>
        </section>
      );
    }
    return (
      <section className="result">
        <h1 ref={heading} tabIndex={-1}>
          {t('result.unavailableTitle')}
        </h1>
        <div className="alert alert-error" role="alert">
          <p>{t(errorMessageKey(error.code))}</p>
          {isRetryable(error.code) ? (
            <button type="button" className="button button-secondary" onClick={checkAgain}>
              {t('result.checkAgain')}
            </button>
          ) : null}
        </div>
        {actions}
      </section>
    );
  }

  const pending = payment.status === 'pending';
  // Pending, and nothing says PayU ever saw it: no PayU reference, and the payer did not come back from
  // PayU's page (which would carry its state). The payer left before paying (Back, closed tab).
  const notStarted = pending && !payment.payuReference && hint === null;
  const heldUntil =
    notStarted && payment.holdUntil && Date.parse(payment.holdUntil) > now() ? payment.holdUntil : null;
  const titleKey = notStarted ? 'notStarted' : payment.status;
  return (
    <section className={`result result-${payment.status}`}>
      <div className="result-head">
        <StatusIcon status={payment.status} />
        <h1 ref={heading} tabIndex={-1}>
          {t(`result.title.${titleKey}`)}
        </h1>
      </div>
      <p>{t(`result.body.${titleKey}`)}</p>
      {notStarted ? (
        <>
          <p>
            {heldUntil
              ? t('result.notStartedHold', { time: formatInstant(heldUntil, locale) })
              : t('result.notStartedFree')}
          </p>
          {onBackToPayments ? (
            <button type="button" className="button button-primary no-print" onClick={onBackToPayments}>
              {t('result.backToPayments')}
            </button>
          ) : null}
        </>
      ) : null}
      {/* Only a state PayU named that differs from ours is news; "pending" would repeat the title. */}
      {pending && hint && hint !== 'pending' ? (
        <p className="note">{t('result.hint', { state: t(`result.hintStates.${hint}`) })}</p>
      ) : null}
      <div role="status" aria-live="polite" className="no-print">
        {pending && polling ? (
          <p className="status-line">
            <span className="spinner" aria-hidden="true" />
            {t('result.waiting')}
          </p>
        ) : null}
        {pending && gaveUp ? <p>{t('result.stoppedWaiting')}</p> : null}
      </div>
      {pending && gaveUp ? (
        <button type="button" className="button button-secondary no-print" onClick={checkAgain}>
          {t('result.checkAgain')}
        </button>
      ) : null}

      <dl className="receipt">
        {payment.merchant ? (
          <div>
            <dt>{t('result.merchant')}</dt>
            <dd>{payment.merchant.name}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('result.reference')}</dt>
          <dd className="mono">{payment.reference}</dd>
        </div>
        {payment.payuReference ? (
          <div>
            <dt>{t('result.payuReference')}</dt>
            <dd className="mono">{payment.payuReference}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('result.date')}</dt>
          <dd>{formatInstant(payment.updatedAt, locale)}</dd>
        </div>
        <div>
          <dt>{t('result.amount')}</dt>
          <dd>
            <strong>{formatMoney(payment.amount, payment.currency, locale)}</strong>
          </dd>
        </div>
      </dl>

      {payment.items.length > 0 ? (
        <>
          <h2>{t('result.items')}</h2>
          <ul className="receipt-items">
            {payment.items.map((item) => (
              <li key={item.ref}>
                <span>
                  {item.description ? `${item.description} ` : null}
                  <span className="item-meta">{t('items.ref', { ref: item.ref })}</span>
                </span>
                <span className="amount">{formatMoney(item.amount, payment.currency, locale)}</span>
                {item.gross && item.withholdings && item.withholdings.length > 0 ? (
                  // docs/spec/business-payments.md §2: gross, each withholding, cash.
                  <dl className="receipt-withholdings">
                    <div>
                      <dt>{t('result.gross')}</dt>
                      <dd>{formatMoney(item.gross, payment.currency, locale)}</dd>
                    </div>
                    {item.withholdings.map((w) => (
                      <div key={w.code}>
                        <dt>{w.label}</dt>
                        <dd>−{formatMoney(w.amount, payment.currency, locale)}</dd>
                      </div>
                    ))}
                    <div>
                      <dt>{t('result.cash')}</dt>
                      <dd>{formatMoney(item.amount, payment.currency, locale)}</dd>
                    </div>
                  </dl>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {payment.receiptUrl ? (
        <p>
          <a className="button button-secondary" href={payment.receiptUrl} target="_blank" rel="noopener">
            {t('result.receipt')}
          </a>
        </p>
      ) : null}
      {payment.returns ? <PaymentReturns returns={payment.returns} locale={locale} /> : null}
      {actions}
    </section>
  );
}
