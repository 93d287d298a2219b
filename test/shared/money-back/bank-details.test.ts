import { describe, expect, test } from 'vitest';
import { PAYOUT_BANKS, findBank, searchBanks } from '../../../shared/money-back/banks';
import { maskAccountNumber, validateBankDetails } from '../../../shared/money-back/bank-details';

const good = {
  fullName: 'Luz Cárdenas',
  documentType: 'CC',
  documentNumber: '52.123.456',
  bankCode: '007',
  accountType: 'CA',
  accountNumber: '2198922910000',
};

describe('the bank list', () => {
  test('holds the 56 codes PayU pays into, each once, leading zeros kept', () => {
    expect(PAYOUT_BANKS).toHaveLength(56);
    expect(new Set(PAYOUT_BANKS.map((b) => b.code)).size).toBe(56);
    expect(findBank('007')?.name).toBe('BANCOLOMBIA');
    expect(findBank('7')).toBeNull();
    expect(findBank('0551')).toBeNull(); // Daviplata: not supported by PayU Payouts
  });

  test('is searchable by name without accents or case, and by code', () => {
    expect(searchBanks('bancolombia').map((b) => b.code)).toEqual(['007']);
    expect(searchBanks('financiera antioquia').map((b) => b.code)).toEqual(['283', '1283']);
    expect(searchBanks('507').map((b) => b.name)).toEqual(['NEQUI']);
  });
});

describe('validateBankDetails', () => {
  test('accepts good details and normalises the document number', () => {
    const r = validateBankDetails(good, { expectedIdNumber: '52123456' });
    expect(r).toEqual({ ok: true, details: { ...good, documentNumber: '52123456' } });
  });

  test('reports every problem at once', () => {
    const r = validateBankDetails({
      fullName: '',
      documentType: 'XX',
      bankCode: '8',
      accountType: 'ZZ',
      accountNumber: 'abc',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { field: 'fullName', issue: 'required' },
      { field: 'documentType', issue: 'format' },
      { field: 'documentNumber', issue: 'required' },
      { field: 'bankCode', issue: 'unknown_bank' },
      { field: 'accountType', issue: 'format' },
      { field: 'accountNumber', issue: 'format' },
    ]);
  });

  test('a NIT needs its DIAN check digit', () => {
    const nit = { ...good, fullName: 'Inversiones Altamira', documentType: 'NIT' };
    expect(validateBankDetails({ ...nit, documentNumber: '900373923-8' }).ok).toBe(true);
    expect(validateBankDetails({ ...nit, documentNumber: '900373923-7' })).toMatchObject({
      ok: false,
      issues: [{ field: 'documentNumber', issue: 'check_digit' }],
    });
    expect(validateBankDetails({ ...nit, documentNumber: '900373923' })).toMatchObject({
      ok: false,
      issues: [{ field: 'documentNumber', issue: 'format' }],
    });
  });

  test('Nequi is a savings account numbered by a mobile number', () => {
    const nequi = { ...good, bankCode: '507', accountNumber: '3001234567' };
    expect(validateBankDetails(nequi).ok).toBe(true);
    expect(validateBankDetails({ ...nequi, accountType: 'CC' })).toMatchObject({
      ok: false,
      issues: [{ field: 'accountType', issue: 'nequi_savings_only' }],
    });
    expect(validateBankDetails({ ...nequi, accountNumber: '2198922910000' })).toMatchObject({
      ok: false,
      issues: [{ field: 'accountNumber', issue: 'format' }],
    });
  });

  test('an account number is at most 17 digits', () => {
    expect(validateBankDetails({ ...good, accountNumber: '1'.repeat(17) }).ok).toBe(true);
    expect(validateBankDetails({ ...good, accountNumber: '1'.repeat(18) }).ok).toBe(false);
  });

  test("the document must be the payer's own unless the merchant allows otherwise", () => {
    expect(validateBankDetails(good, { expectedIdNumber: '79865432' })).toMatchObject({
      ok: false,
      issues: [{ field: 'documentNumber', issue: 'document_mismatch' }],
    });
    expect(validateBankDetails(good, { expectedIdNumber: null }).ok).toBe(true);
  });

  test('masks all but the last four digits', () => {
    expect(maskAccountNumber('2198922910000')).toBe('****0000');
  });
});
