import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  buyerSchema,
  deliveryAddressSchema,
  type CheckoutRequest,
  type LookupItem,
  type Withholding,
} from '../../../shared/api/schemas';
import type { ApiErrorCode } from '../../lib/api-client';
import { sumToText } from '../../lib/amount-input';
import { errorMessageKey } from '../../lib/error-message';
import { formatMoney } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStore, type Credential } from '../../lib/payment-store';
import { isAllowedAction } from './payment-form';
import { PaymentRedirect } from './payment-redirect';
import { TextField } from './text-field';
import { useCheckoutSubmit } from './use-checkout-submit';

export interface CheckoutLine {
  item: LookupItem;
  /** The amount to charge (the cash part), API text in the currency's precision. */
  amount: string;
  /** Withholdings the payer declares on this item: the amount is then its balance net of them. */
  withholdings?: readonly Withholding[];
}

export interface CheckoutFormProps {
  merchantId: string;
  credential: Credential;
  lines: readonly CheckoutLine[];
  /**
   * One amount spread over these refs (docs/spec/business-payments.md §1), sent instead of the lines;
   * the lines are then the BFF's preview of the shares, for the summary.
   */
  spread?: { refs: readonly string[]; amount: string } | null;
  language: 'es' | 'en';
  /** Embedded: the merchant page to come back to after PayU (sent as `returnTo`). */
  returnTo?: string | null;
  /** Back to the items; `refresh` when the server said the amounts or states have changed. */
  onBack(refresh: boolean): void;
  onCheckoutCreated?(reference: string): void;
  onError?(code: ApiErrorCode): void;
}

type FieldName = 'email' | 'fullName' | 'phone' | 'street' | 'city' | 'comment';
type Values = Record<FieldName, string>;

const EMPTY: Values = { email: '', fullName: '', phone: '', street: '', city: '', comment: '' };
const COMMENT_MAX = 500;

/** Codes after which the items on screen are stale: go back and look them up again. */
const STALE_ITEMS: readonly ApiErrorCode[] = [
  'amount_out_of_range',
  'remainder_below_minimum',
  'item_paid',
  'payment_pending',
  'unknown_item',
  'mixed_currencies',
  'amount_not_allocatable',
  'unknown_withholding',
  'below_minimum',
];

function fieldValid(name: FieldName, value: string): boolean {
  switch (name) {
    case 'email':
      return buyerSchema.shape.email.safeParse(value).success;
    case 'fullName':
      return buyerSchema.shape.fullName.safeParse(value).success;
    case 'phone':
      return buyerSchema.shape.phone.safeParse(value).success;
    case 'street':
      return deliveryAddressSchema.shape.street.safeParse(value).success;
    case 'city':
      return deliveryAddressSchema.shape.city.safeParse(value).success;
    case 'comment':
      return value.trim().length <= COMMENT_MAX;
  }
}

export function CheckoutForm({
  merchantId,
  credential,
  lines,
  spread = null,
  language,
  returnTo = null,
  onBack,
  onCheckoutCreated,
  onError,
}: CheckoutFormProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // Kept in the payment store: "Cambiar selección" and back must not wipe what the payer typed.
  const draft = usePaymentStore((s) => s.draft);
  const setDraft = usePaymentStore((s) => s.setDraft);
  const values: Values = { ...EMPTY, ...draft };
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
  const [showSummaryError, setShowSummaryError] = useState(false);
  const { state, submit } = useCheckoutSubmit(merchantId);

  const currency = lines[0]?.item.currency ?? 'COP';
  const total = spread
    ? spread.amount
    : sumToText(
        lines.map((l) => l.amount),
        currency,
      );
  const withheld = sumToText(
    lines.flatMap((l) => (l.withholdings ?? []).map((w) => w.amount)),
    currency,
  );
  const anyWithheld = lines.some((l) => (l.withholdings ?? []).length > 0);
  const needsAddress = lines.some((l) => l.item.deliveryAddressRequired);
  const commentItem = lines.find((l) => l.item.comments.enabled);
  const fields: FieldName[] = [
    'email',
    'fullName',
    'phone',
    ...(needsAddress ? (['street', 'city'] as const) : []),
    ...(commentItem ? (['comment'] as const) : []),
  ];

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const errorCode = state.status === 'error' ? state.error.code : null;
  useEffect(() => {
    if (errorCode) onError?.(errorCode);
  }, [errorCode, onError, state]);

  const errorFor = (name: FieldName): string | null => {
    if (!touched.has(name) || fieldValid(name, values[name])) return null;
    return t(`checkout.${name}Error`);
  };
  const setValue = (name: FieldName) => (value: string) => setDraft({ ...values, [name]: value });
  const touch = (name: FieldName) => () => {
    if (values[name] !== '') setTouched((s) => new Set(s).add(name));
  };

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.status === 'submitting') return;
    setTouched(new Set(fields));
    const invalid = fields.filter((name) => !fieldValid(name, values[name]));
    if (invalid.length > 0) {
      setShowSummaryError(true);
      formRef.current?.ownerDocument.getElementById(`${id}-${invalid[0]}`)?.focus();
      return;
    }
    setShowSummaryError(false);
    const comment = values.comment.trim();
    const what = spread
      ? { spread: { refs: [...spread.refs], amount: spread.amount } }
      : {
          items: lines.map((l) => ({
            ref: l.item.ref,
            amount: l.amount,
            ...(l.item.source ? { source: l.item.source } : {}),
            ...(l.withholdings && l.withholdings.length > 0
              ? { withholdings: l.withholdings.map((w) => w.code) }
              : {}),
          })),
        };
    const base = {
      ...what,
      buyer: buyerSchema.parse({ email: values.email, fullName: values.fullName, phone: values.phone }),
      ...(commentItem && comment !== '' ? { comment } : {}),
      ...(needsAddress
        ? { deliveryAddress: deliveryAddressSchema.parse({ street: values.street, city: values.city }) }
        : {}),
      lng: language,
      ...(returnTo ? { returnTo } : {}),
    };
    const request: CheckoutRequest =
      credential.kind === 'idNumber'
        ? { idNumber: credential.idNumber, ...base }
        : credential.kind === 'token'
          ? { token: credential.token, ...base }
          : { charge: credential.charge, ...base };
    void submit(request);
  }

  const created = state.status === 'created' ? state.checkout : null;
  const badAction = created !== null && !isAllowedAction(created.action, window.location);
  const stale = errorCode !== null && STALE_ITEMS.includes(errorCode);

  return (
    <section className="checkout" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('checkout.title')}
      </h1>

      <div className="checkout-summary">
        <h2>{t('checkout.summaryTitle')}</h2>
        <ul>
          {lines.map((l) => (
            <li key={l.item.ref}>
              <span>
                {l.item.description} <span className="item-meta">{t('items.ref', { ref: l.item.ref })}</span>
              </span>
              <span className="amount">
                {formatMoney(l.amount, l.item.currency, locale)}
                {(l.withholdings ?? []).length > 0 ? (
                  <span className="item-meta">
                    {t('business.checkoutWithheld', {
                      amount: formatMoney(
                        sumToText(
                          (l.withholdings ?? []).map((w) => w.amount),
                          currency,
                        ),
                        currency,
                        locale,
                      ),
                    })}
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
        {spread ? <p className="hint">{t('business.checkoutSpread')}</p> : null}
        {anyWithheld ? (
          <p className="summary-withheld">
            <span>{t('business.totalWithheldLabel')}</span>{' '}
            <span>{formatMoney(withheld, currency, locale)}</span>
          </p>
        ) : null}
        <p className="summary-total">
          <span>{t('checkout.total')}</span> <strong>{formatMoney(total, currency, locale)}</strong>
        </p>
        {created ? null : (
          <button type="button" className="button button-link" onClick={() => onBack(false)}>
            {t('checkout.change')}
          </button>
        )}
      </div>

      {created && !badAction ? (
        <PaymentRedirect checkout={created} onBeforeSubmit={onCheckoutCreated} />
      ) : (
        <form ref={formRef} className="checkout-form" onSubmit={handleSubmit} noValidate>
          <p className="hint">{t('checkout.intro')}</p>
          {showSummaryError ? (
            <p className="alert alert-error" role="alert">
              {t('checkout.fixErrors')}
            </p>
          ) : null}
          <TextField
            id={`${id}-email`}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            required
            maxLength={255}
            label={t('checkout.email')}
            value={values.email}
            error={errorFor('email')}
            onValueChange={setValue('email')}
            onBlur={touch('email')}
          />
          <TextField
            id={`${id}-fullName`}
            name="fullName"
            type="text"
            autoComplete="name"
            required
            maxLength={150}
            label={t('checkout.fullName')}
            value={values.fullName}
            error={errorFor('fullName')}
            onValueChange={setValue('fullName')}
            onBlur={touch('fullName')}
          />
          <TextField
            id={`${id}-phone`}
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            required
            maxLength={20}
            label={t('checkout.phone')}
            value={values.phone}
            error={errorFor('phone')}
            onValueChange={setValue('phone')}
            onBlur={touch('phone')}
          />
          {needsAddress ? (
            <fieldset className="fieldset">
              <legend>{t('checkout.addressTitle')}</legend>
              <TextField
                id={`${id}-street`}
                name="street"
                type="text"
                autoComplete="street-address"
                required
                maxLength={100}
                label={t('checkout.street')}
                value={values.street}
                error={errorFor('street')}
                onValueChange={setValue('street')}
                onBlur={touch('street')}
              />
              <TextField
                id={`${id}-city`}
                name="city"
                type="text"
                autoComplete="address-level2"
                required
                maxLength={50}
                label={t('checkout.city')}
                value={values.city}
                error={errorFor('city')}
                onValueChange={setValue('city')}
                onBlur={touch('city')}
              />
            </fieldset>
          ) : null}
          {commentItem ? (
            <div className="field">
              <label htmlFor={`${id}-comment`}>
                {commentItem.item.comments.label ?? t('checkout.comment')}
              </label>
              <p id={`${id}-comment-hint`} className="hint">
                {t('checkout.commentHint')}
              </p>
              <textarea
                id={`${id}-comment`}
                name="comment"
                rows={3}
                value={values.comment}
                aria-invalid={errorFor('comment') ? true : undefined}
                aria-describedby={
                  errorFor('comment') ? `${id}-comment-hint ${id}-comment-error` : `${id}-comment-hint`
                }
                onChange={(event) => setValue('comment')(event.target.value)}
                onBlur={touch('comment')}
              />
              {errorFor('comment') ? (
                <p id={`${id}-comment-error`} className="field-error">
                  {errorFor('comment')}
                </p>
              ) : null}
            </div>
          ) : null}

          {state.status === 'error' ? (
            <div className="alert alert-error" role="alert">
              <p>{t(errorMessageKey(state.error.code))}</p>
              {state.error.code === 'remainder_below_minimum' && state.error.details.maxAmount ? (
                <p>
                  {t('checkout.maxPartial', {
                    amount: formatMoney(state.error.details.maxAmount, currency, locale),
                  })}
                </p>
              ) : null}
              {stale ? (
                <button type="button" className="button button-secondary" onClick={() => onBack(true)}>
                  {t('checkout.back')}
                </button>
              ) : null}
            </div>
          ) : null}
          {badAction ? (
            <p className="alert alert-error" role="alert">
              {t('checkout.badAction')}
            </p>
          ) : null}

          <button
            type="submit"
            className="button button-primary button-block"
            aria-disabled={state.status === 'submitting' || undefined}
          >
            {state.status === 'submitting' ? t('checkout.submitting') : t('checkout.submit')}
          </button>
          {state.status === 'submitting' ? (
            <p role="status" className="visually-hidden">
              {t('checkout.submitting')}
            </p>
          ) : null}
          <p className="hint">{t('checkout.secure')}</p>
        </form>
      )}
    </section>
  );
}
