import type { ApiFieldError } from '../../lib/api-client';
import type { BankDetailsField } from './bank-details-fields';

/** The reasons a 422 `invalid_bank_details` may give for a field (docs/spec/money-back.md). */
export const FIELD_REASONS = [
  'required',
  'format',
  'check_digit',
  'unknown_bank',
  'nequi_savings_only',
  'document_mismatch',
] as const;
export type FieldReason = (typeof FIELD_REASONS)[number];

export type FieldErrors = Partial<Record<BankDetailsField, FieldReason>>;

const FIELDS: readonly BankDetailsField[] = [
  'fullName',
  'documentType',
  'documentNumber',
  'bankCode',
  'accountType',
  'accountNumber',
];

function isField(path: string): path is BankDetailsField {
  return (FIELDS as readonly string[]).includes(path);
}

function isReason(message: string): message is FieldReason {
  return (FIELD_REASONS as readonly string[]).includes(message);
}

/**
 * The server's refused fields, by field, first reason kept. A reason this page does not know still marks
 * its field (as `format`): the payer must see where to look, never the server's text.
 */
export function fieldErrorsOf(fields: readonly ApiFieldError[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { path, message } of fields) {
    const field = path.split('.')[0] ?? '';
    if (!isField(field) || errors[field]) continue;
    errors[field] = isReason(message) ? message : 'format';
  }
  return errors;
}
