import { useId, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeIdNumber } from '../../../shared/id-number';

type FieldError = 'required' | 'format' | 'check_digit';

function validate(value: string): { ok: true; idNumber: string } | { ok: false; error: FieldError } {
  if (value.trim() === '') return { ok: false, error: 'required' };
  // The same normaliser as the BFF's, so what the form accepts the server accepts.
  const result = normalizeIdNumber(value);
  if (!result.ok) return { ok: false, error: result.reason };
  // What normalizeIdNumber read: the digits, and a NIT's check digit (verified) kept as `-D`, which is what
  // makes the payer a company that may declare withholdings (docs/spec/business-payments.md §2); the BFF
  // verifies it again and asks the ERP without it.
  return { ok: true, idNumber: value.replace(/[\s.,]/g, '') };
}

export interface LookupFormProps {
  /** Called with the normalised id number (separators removed; a NIT's verified check digit kept as `-D`). */
  onSubmit(idNumber: string): void;
  busy?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/** The one id field. The value lives only in this component and in memory: never a URL or storage. */
export function LookupForm({ onSubmit, busy = false, inputRef }: LookupFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [touched, setTouched] = useState(false);

  const errorText =
    error === 'required'
      ? t('lookup.errorRequired')
      : error === 'check_digit'
        ? t('lookup.errorCheckDigit')
        : error === 'format'
          ? t('lookup.errorFormat')
          : null;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setTouched(true);
    const result = validate(value);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    onSubmit(result.idNumber);
  }

  return (
    <form className="lookup-form" onSubmit={handleSubmit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-input`}>{t('lookup.idLabel')}</label>
        <p id={`${id}-hint`} className="hint">
          {t('lookup.idHint')}
        </p>
        <input
          ref={inputRef}
          id={`${id}-input`}
          name="idNumber"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={64}
          value={value}
          aria-invalid={errorText ? true : undefined}
          aria-describedby={errorText ? `${id}-hint ${id}-error` : `${id}-hint`}
          onChange={(event) => {
            setValue(event.target.value);
            // Once the payer has been told what is wrong, tell them as soon as it is right.
            if (touched) {
              const result = validate(event.target.value);
              setError(result.ok ? null : result.error);
            }
          }}
          onBlur={() => {
            if (value.trim() === '') return;
            setTouched(true);
            const result = validate(value);
            setError(result.ok ? null : result.error);
          }}
        />
        {errorText ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {errorText}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {t('lookup.submit')}
      </button>
    </form>
  );
}
