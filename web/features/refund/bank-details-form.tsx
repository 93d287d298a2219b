import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NEQUI_CODE } from '../../../shared/money-back/banks';
import type { BankDetails } from '../../lib/api-client';
import { ACCOUNT_TYPES, DOCUMENT_TYPES, type BankDetailsField } from './bank-details-fields';
import type { FieldErrors } from './field-errors';

export interface BankDetailsFormProps {
  banks: readonly { code: string; name: string }[];
  errors: FieldErrors;
  /** A form-wide failure (network, server), already translated. */
  failure: string | null;
  submitting: boolean;
  onSubmit(details: BankDetails): void;
}

const EMPTY: BankDetails = {
  fullName: '',
  documentType: 'CC',
  documentNumber: '',
  bankCode: '',
  accountType: 'CA',
  accountNumber: '',
};

/** Accents and case do not matter when the payer searches "bogota" for "BOGOTÁ". */
function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/**
 * The payer's bank details, phone first: one column, native controls (the phone's own pickers and
 * keyboards), every field labelled, its error tied to it with aria-describedby. Nothing is kept after the
 * page closes and nothing goes into the URL.
 */
export function BankDetailsForm({ banks, errors, failure, submitting, onSubmit }: BankDetailsFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [details, setDetails] = useState<BankDetails>(EMPTY);
  const [search, setSearch] = useState('');

  const set = (field: BankDetailsField) => (value: string) => setDetails((d) => ({ ...d, [field]: value }));
  const shownBanks = useMemo(() => {
    const query = folded(search.trim());
    const matching = query ? banks.filter((b) => folded(b.name).includes(query)) : banks;
    // The chosen bank stays selectable while the payer searches for another.
    const chosen = banks.find((b) => b.code === details.bankCode);
    return chosen && !matching.includes(chosen) ? [chosen, ...matching] : matching;
  }, [banks, search, details.bankCode]);
  const nequi = details.bankCode === NEQUI_CODE;

  const fieldId = (field: BankDetailsField) => `${id}-${field}`;
  const errorOf = (field: BankDetailsField) => {
    const reason = errors[field];
    return reason ? t(`refund.fieldErrors.${reason}`) : null;
  };
  const describedBy = (field: BankDetailsField, hint = false) =>
    [hint ? `${fieldId(field)}-hint` : null, errors[field] ? `${fieldId(field)}-error` : null]
      .filter(Boolean)
      .join(' ') || undefined;
  const errorLine = (field: BankDetailsField) => {
    const message = errorOf(field);
    return message ? (
      <p id={`${fieldId(field)}-error`} className="field-error">
        {message}
      </p>
    ) : null;
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    onSubmit({
      ...details,
      fullName: details.fullName.trim(),
      documentNumber: details.documentNumber.trim(),
      accountNumber: details.accountNumber.replace(/[\s-]/g, ''),
      // Nequi is paid as a savings account only.
      accountType: nequi ? 'CA' : details.accountType,
    });
  };

  return (
    <form className="checkout-form" onSubmit={handleSubmit} noValidate aria-busy={submitting}>
      {failure ? (
        <p className="alert alert-error" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={fieldId('fullName')}>{t('refund.fullName')}</label>
        <input
          id={fieldId('fullName')}
          name="fullName"
          autoComplete="name"
          value={details.fullName}
          maxLength={200}
          aria-invalid={errors.fullName ? true : undefined}
          aria-describedby={describedBy('fullName')}
          onChange={(e) => set('fullName')(e.target.value)}
        />
        {errorLine('fullName')}
      </div>
      <div className="field">
        <label htmlFor={fieldId('documentType')}>{t('refund.documentType')}</label>
        <select
          id={fieldId('documentType')}
          name="documentType"
          value={details.documentType}
          aria-invalid={errors.documentType ? true : undefined}
          aria-describedby={describedBy('documentType')}
          onChange={(e) => set('documentType')(e.target.value)}
        >
          {DOCUMENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`refund.documentTypes.${type}`)}
            </option>
          ))}
        </select>
        {errorLine('documentType')}
      </div>
      <div className="field">
        <label htmlFor={fieldId('documentNumber')}>{t('refund.documentNumber')}</label>
        <input
          id={fieldId('documentNumber')}
          name="documentNumber"
          autoComplete="off"
          inputMode={details.documentType === 'PP' ? 'text' : 'numeric'}
          value={details.documentNumber}
          maxLength={32}
          aria-invalid={errors.documentNumber ? true : undefined}
          aria-describedby={describedBy('documentNumber')}
          onChange={(e) => set('documentNumber')(e.target.value)}
        />
        {errorLine('documentNumber')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-bank-search`}>{t('refund.bankSearch')}</label>
        <input
          id={`${id}-bank-search`}
          type="search"
          autoComplete="off"
          value={search}
          aria-controls={fieldId('bankCode')}
          onChange={(e) => setSearch(e.target.value)}
        />
        {shownBanks.length === 0 ? (
          <p className="hint" role="status">
            {t('refund.noBankMatches')}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={fieldId('bankCode')}>{t('refund.bank')}</label>
        <select
          id={fieldId('bankCode')}
          name="bankCode"
          value={details.bankCode}
          aria-invalid={errors.bankCode ? true : undefined}
          aria-describedby={describedBy('bankCode')}
          onChange={(e) => set('bankCode')(e.target.value)}
        >
          <option value="">{t('refund.bankPlaceholder')}</option>
          {shownBanks.map((bank) => (
            <option key={bank.code} value={bank.code}>
              {bank.name}
            </option>
          ))}
        </select>
        {errorLine('bankCode')}
      </div>
      <div className="field">
        <label htmlFor={fieldId('accountType')}>{t('refund.accountType')}</label>
        <select
          id={fieldId('accountType')}
          name="accountType"
          value={nequi ? 'CA' : details.accountType}
          disabled={nequi}
          aria-invalid={errors.accountType ? true : undefined}
          aria-describedby={describedBy('accountType')}
          onChange={(e) => set('accountType')(e.target.value)}
        >
          {ACCOUNT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`refund.accountTypes.${type}`)}
            </option>
          ))}
        </select>
        {errorLine('accountType')}
      </div>
      <div className="field">
        <label htmlFor={fieldId('accountNumber')}>{t('refund.accountNumber')}</label>
        {nequi ? (
          <p id={`${fieldId('accountNumber')}-hint`} className="hint">
            {t('refund.nequiHint')}
          </p>
        ) : null}
        <input
          id={fieldId('accountNumber')}
          name="accountNumber"
          autoComplete="off"
          inputMode="numeric"
          value={details.accountNumber}
          maxLength={32}
          aria-invalid={errors.accountNumber ? true : undefined}
          aria-describedby={describedBy('accountNumber', nequi)}
          onChange={(e) => set('accountNumber')(e.target.value)}
        />
        {errorLine('accountNumber')}
      </div>
      <button type="submit" className="button button-primary button-block" disabled={submitting}>
        {submitting ? t('refund.submitting') : t('refund.submit')}
      </button>
      {submitting ? (
        <p role="status" className="visually-hidden">
          {t('refund.submitting')}
        </p>
      ) : null}
      <p className="hint">{t('refund.privacy')}</p>
    </form>
  );
}
