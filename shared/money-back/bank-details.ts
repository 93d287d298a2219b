import { nitCheckDigit } from '../id-number';
import { NEQUI_CODE, findBank } from './banks';

/**
 * The payer's bank details for a payout (docs/spec/money-back.md "Bank details"). PayU Payouts does not
 * validate them and a bank rejection costs days, so everything checkable is checked here, once, before the
 * details are stored. Decisions where PayU is silent: account numbers are digits only (Colombian accounts are
 * numeric; PayU's field is "alphanumeric ≤ 17"); a Nequi account is the 10-digit mobile number (3xxxxxxxxx)
 * and must be a savings account (`CA`), as PayU pays Nequi.
 */
export const DOCUMENT_TYPES = ['CC', 'CE', 'NIT', 'PP'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const ACCOUNT_TYPES = ['CA', 'CC'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export interface BankDetails {
  readonly fullName: string;
  readonly documentType: DocumentType;
  /** As PayU wants it: digits; a NIT carries `-` and its check digit. */
  readonly documentNumber: string;
  readonly bankCode: string;
  readonly accountType: AccountType;
  readonly accountNumber: string;
}

export type BankDetailsField = keyof BankDetails;
export type BankDetailsIssue =
  'required' | 'format' | 'check_digit' | 'unknown_bank' | 'nequi_savings_only' | 'document_mismatch';

export type BankDetailsResult =
  | { readonly ok: true; readonly details: BankDetails }
  | { readonly ok: false; readonly issues: readonly { field: BankDetailsField; issue: BankDetailsIssue }[] };

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** The document's base number, for comparing with the payer's id on record (NIT without its check digit). */
export function documentBase(details: Pick<BankDetails, 'documentNumber'>): string {
  return details.documentNumber.split('-')[0] ?? '';
}

export interface ValidateOptions {
  /** The payer's id number on record (base digits); when set, the document must be the same person's. */
  readonly expectedIdNumber?: string | null;
}

export function validateBankDetails(input: unknown, options: ValidateOptions = {}): BankDetailsResult {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const issues: { field: BankDetailsField; issue: BankDetailsIssue }[] = [];
  const add = (field: BankDetailsField, issue: BankDetailsIssue) => issues.push({ field, issue });

  const fullName = str(o.fullName).replace(/\s+/g, ' ');
  if (!fullName) add('fullName', 'required');
  else if (fullName.length < 3 || fullName.length > 100 || !/^[\p{L}][\p{L} .'-]*$/u.test(fullName))
    add('fullName', 'format');

  const documentType = str(o.documentType).toUpperCase();
  if (!documentType) add('documentType', 'required');
  else if (!(DOCUMENT_TYPES as readonly string[]).includes(documentType)) add('documentType', 'format');

  let documentNumber = str(o.documentNumber).replace(/[\s.,]/g, '');
  if (!documentNumber) add('documentNumber', 'required');
  else if (documentType === 'NIT') {
    const m = /^(\d{5,15})-(\d)$/.exec(documentNumber);
    if (!m || m[1] === undefined) add('documentNumber', 'format');
    else if (nitCheckDigit(m[1]) !== Number(m[2])) add('documentNumber', 'check_digit');
  } else if (documentType === 'CC') {
    if (!/^\d{5,10}$/.test(documentNumber)) add('documentNumber', 'format');
  } else if (documentType === 'CE') {
    if (!/^\d{5,15}$/.test(documentNumber)) add('documentNumber', 'format');
  } else if (documentType === 'PP') {
    documentNumber = documentNumber.toUpperCase();
    if (!/^[A-Z0-9]{5,16}$/.test(documentNumber)) add('documentNumber', 'format');
  }

  const bankCode = str(o.bankCode);
  if (!bankCode) add('bankCode', 'required');
  else if (!findBank(bankCode)) add('bankCode', 'unknown_bank');

  const accountType = str(o.accountType).toUpperCase();
  if (!accountType) add('accountType', 'required');
  else if (!(ACCOUNT_TYPES as readonly string[]).includes(accountType)) add('accountType', 'format');
  else if (bankCode === NEQUI_CODE && accountType !== 'CA') add('accountType', 'nequi_savings_only');

  const accountNumber = str(o.accountNumber).replace(/[\s-]/g, '');
  if (!accountNumber) add('accountNumber', 'required');
  else if (bankCode === NEQUI_CODE ? !/^3\d{9}$/.test(accountNumber) : !/^\d{4,17}$/.test(accountNumber))
    add('accountNumber', 'format');

  const details: BankDetails = {
    fullName,
    documentType: documentType as DocumentType,
    documentNumber,
    bankCode,
    accountType: accountType as AccountType,
    accountNumber,
  };
  if (
    issues.every((i) => i.field !== 'documentNumber') &&
    documentNumber &&
    options.expectedIdNumber &&
    documentType !== 'PP' &&
    documentBase(details) !== options.expectedIdNumber
  )
    add('documentNumber', 'document_mismatch');

  return issues.length > 0 ? { ok: false, issues } : { ok: true, details };
}

/** What is shown back: the last four digits only ("****6789"). */
export function maskAccountNumber(accountNumber: string): string {
  return `****${accountNumber.slice(-4)}`;
}
