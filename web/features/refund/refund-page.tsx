import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PayerReturnResponse, PayerReturnView } from '../../../shared/api/return-schemas';
import { isCurrency } from '../../../shared/money';
import { ApiError, isApiError, type BankDetails } from '../../lib/api-client';
import { useApiClient } from '../../lib/api-context';
import { errorMessageKey, isRetryable } from '../../lib/error-message';
import { formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { arrivalParts } from '../../lib/arrival';
import { BankDetailsForm } from './bank-details-form';
import { fieldErrorsOf, type FieldErrors } from './field-errors';

export interface RefundPageProps {
  merchantId: string;
  /** The sealed link's token: only ever sent back to the BFF in the request path. */
  token: string;
  /** Shown until (or if) the BFF names the merchant. */
  merchantName: string;
}

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'ready'; data: PayerReturnResponse; submitted: boolean };

/**
 * `/:merchantId/r/:token`: the payer's money-back link (docs/spec/money-back.md). Asks for bank details
 * when the payout needs them, otherwise says where the money is.
 */
export function RefundPage({ merchantId, token, merchantName }: RefundPageProps) {
  const { t } = useTranslation();
  const api = useApiClient();
  const locale = useDisplayLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.payerReturn(merchantId, token, { signal: controller.signal }).then(
      (data) => setLoad({ kind: 'ready', data, submitted: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({ kind: 'failed', error: isApiError(error) ? error : new ApiError(0, 'invalid_response') });
      },
    );
    return () => controller.abort();
  }, [api, merchantId, token, round]);

  // The heading takes focus whenever the page changes what it shows, so a screen reader starts there.
  const shown = load.kind === 'ready' && load.submitted ? 'submitted' : load.kind;
  useEffect(() => {
    if (shown !== 'loading') heading.current?.focus();
  }, [shown]);

  const retry = () => {
    setLoad({ kind: 'loading' });
    setRound((r) => r + 1);
  };

  const submit = useCallback(
    (details: BankDetails) => {
      setSubmitting(true);
      setFailure(null);
      api.submitBankDetails(merchantId, token, details).then(
        (answer) => {
          setSubmitting(false);
          setFieldErrors({});
          setLoad((l) =>
            l.kind === 'ready'
              ? { kind: 'ready', data: { ...l.data, return: answer.return }, submitted: true }
              : l,
          );
        },
        (error: unknown) => {
          setSubmitting(false);
          const apiError = isApiError(error) ? error : new ApiError(0, 'invalid_response');
          if (apiError.code === 'invalid_token' || apiError.code === 'expired_token') {
            setLoad({ kind: 'failed', error: apiError });
            return;
          }
          const errors = fieldErrorsOf(apiError.fields);
          setFieldErrors(errors);
          setFailure(t(errorMessageKey(apiError.code)));
        },
      );
    },
    [api, merchantId, token, t],
  );

  if (load.kind === 'loading') {
    return (
      <p role="status" aria-live="polite" className="status-line">
        <span className="spinner" aria-hidden="true" />
        {t('app.loading')}
      </p>
    );
  }

  if (load.kind === 'failed') {
    const { code } = load.error;
    const title =
      code === 'invalid_token' || code === 'not_found'
        ? t('refund.invalidTitle')
        : code === 'expired_token'
          ? t('refund.expiredTitle')
          : t('refund.errorTitle');
    const body =
      code === 'invalid_token' || code === 'not_found'
        ? t('refund.invalidBody', { merchant: merchantName })
        : code === 'expired_token'
          ? t('refund.expiredBody', { merchant: merchantName })
          : t(errorMessageKey(code));
    return (
      <section className="checkout" aria-labelledby="refund-title">
        <h1 id="refund-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p>{body}</p>
        {isRetryable(code) ? (
          <button type="button" className="button button-secondary" onClick={retry}>
            {t('merchant.retry')}
          </button>
        ) : null}
      </section>
    );
  }

  const view = load.data.return;
  const merchant = load.data.merchant?.name ?? merchantName;
  const amount = isCurrency(view.currency)
    ? formatMoney(view.amount, view.currency, locale)
    : `${view.amount} ${view.currency}`;

  if (view.needsBankDetails && !load.submitted) {
    return (
      <section className="checkout" aria-labelledby="refund-title">
        <h1 id="refund-title" ref={heading} tabIndex={-1}>
          {t('refund.title')}
        </h1>
        <p>{t('refund.intro', { merchant, amount })}</p>
        <BankDetailsForm
          banks={load.data.banks ?? []}
          errors={fieldErrors}
          failure={failure}
          submitting={submitting}
          onSubmit={submit}
        />
      </section>
    );
  }

  return (
    <RefundStatus
      view={view}
      submitted={load.submitted}
      amount={amount}
      merchant={merchant}
      locale={locale}
      headingRef={heading}
    />
  );
}

interface RefundStatusProps {
  view: PayerReturnView;
  submitted: boolean;
  amount: string;
  merchant: string;
  locale: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** What the payer is told when nothing (more) is needed from them. */
function RefundStatus({ view, submitted, amount, merchant, locale, headingRef }: RefundStatusProps) {
  const { t } = useTranslation();
  const arrival = view.expectedArrival ? arrivalParts(view.expectedArrival, locale) : null;
  const arrivalLine = arrival ? t('refund.arrival', { ...arrival }) : t('refund.arrivalUnknown');

  let title: string;
  let lines: string[];
  switch (view.state) {
    case 'paid':
    case 'recorded':
      title = t('refund.paidTitle');
      lines = [t('refund.paidBody', { amount })];
      break;
    case 'rejected':
    case 'cancelled':
      title = t('refund.closedTitle');
      lines = [t('refund.closedBody', { merchant })];
      break;
    case 'failed':
    case 'needs_review':
      title = t('refund.problemTitle');
      lines = [t('refund.problemBody', { merchant })];
      break;
    case 'in_bank':
      title = t('refund.inBankTitle');
      lines = [arrivalLine];
      break;
    default:
      title = submitted ? t('refund.submittedTitle') : t('refund.processingTitle');
      lines = submitted ? [arrivalLine] : [t('refund.processingBody', { merchant, amount })];
  }
  const account =
    view.bankAccount !== null && view.state !== 'rejected' && view.state !== 'cancelled'
      ? view.bankAccount
      : null;

  return (
    <section className="checkout" aria-labelledby="refund-title">
      <h1 id="refund-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h1>
      {account ? <p>{t('refund.submittedBody', { amount, account })}</p> : null}
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </section>
  );
}
