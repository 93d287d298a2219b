import { describe, expect, test } from 'vitest';
import {
  confirmationStatus,
  matchesRecorded,
  parseConfirmation,
  valueMatches,
  verifyConfirmation,
  type PayuConfirmation,
} from '../../../bff/payu/confirmation';
import { signConfirmation, type PayuAlgorithm } from '../../../bff/payu/signature';

const API_KEY = '4Vj8eK4rloUd272L48hsrarnUA';

/** PayU's confirmation vector: TestPayU05, 150.26 USD, state_pol 4 → 1d95778a… (MD5). */
function officialForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchant_id: '508029',
    reference_sale: 'TestPayU05',
    value: '150.26',
    currency: 'USD',
    state_pol: '4',
    sign: '1d95778a651e11a0ab93c2169a519cd6',
    transaction_id: 'f8d5e5a3-3a9b-4a5e-9c1a-0e4b6f7c9d21',
    reference_pol: '844182440',
    response_message_pol: 'APPROVED',
    payment_method_type: '2',
    extra1: '',
    unrelated_field: 'ignored',
    ...overrides,
  };
}

function parsed(overrides: Record<string, unknown> = {}): PayuConfirmation {
  const result = parseConfirmation(officialForm(overrides));
  if (!result.ok) throw new Error(result.issues.join(', '));
  return result.value;
}

function signed(fields: Record<string, string>, algorithm: PayuAlgorithm): Record<string, string> {
  const sign = signConfirmation({
    apiKey: API_KEY,
    merchantId: fields.merchant_id ?? '',
    referenceSale: fields.reference_sale ?? '',
    value: fields.value ?? '',
    currency: fields.currency ?? '',
    statePol: fields.state_pol ?? '',
    algorithm,
  });
  return { ...fields, sign };
}

test("PayU's official confirmation verifies", () => {
  const conf = parsed();
  expect(conf).toMatchObject({
    merchantId: '508029',
    referenceSale: 'TestPayU05',
    value: '150.26',
    currency: 'USD',
    statePol: '4',
    status: 'approved',
    referencePol: '844182440',
    extra1: null,
  });
  expect(verifyConfirmation(conf, API_KEY)).toBe(true);
  expect(verifyConfirmation(conf, API_KEY, 'MD5', { strictAlgorithm: true })).toBe(true);
});

test('an upper-case signature still verifies', () => {
  expect(verifyConfirmation(parsed({ sign: '1D95778A651E11A0AB93C2169A519CD6' }), API_KEY)).toBe(true);
});

test('a confirmation with a tampered signed field is refused', () => {
  expect(verifyConfirmation(parsed({ value: '150.27' }), API_KEY)).toBe(false);
  expect(verifyConfirmation(parsed({ state_pol: '6' }), API_KEY)).toBe(false);
  expect(verifyConfirmation(parsed({ reference_sale: 'TestPayU06' }), API_KEY)).toBe(false);
  expect(verifyConfirmation(parsed({ currency: 'COP' }), API_KEY)).toBe(false);
  expect(verifyConfirmation(parsed(), 'another-key')).toBe(false);
});

test('unsigned fields do not take part in the signature', () => {
  expect(verifyConfirmation(parsed({ transaction_id: 'other-id', test: '1', extra2: 'x' }), API_KEY)).toBe(
    true,
  );
});

describe('algorithm: chosen by signature length (PayU sends no algorithm field)', () => {
  const base = {
    merchant_id: '508029',
    reference_sale: 'SLD-xyz',
    value: '20000.00',
    currency: 'COP',
    state_pol: '4',
    transaction_id: 'a1b2c3',
  };

  test.each(['MD5', 'SHA', 'SHA256'] as const)('%s verifies whatever algorithm is configured', (alg) => {
    const result = parseConfirmation(signed(base, alg));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(verifyConfirmation(result.value, API_KEY, 'SHA256')).toBe(true);
  });

  test('strict mode accepts only the configured algorithm', () => {
    const result = parseConfirmation(signed(base, 'MD5'));
    if (!result.ok) throw new Error('parse');
    expect(verifyConfirmation(result.value, API_KEY, 'SHA256', { strictAlgorithm: true })).toBe(false);
    expect(verifyConfirmation(result.value, API_KEY, 'MD5', { strictAlgorithm: true })).toBe(true);
  });

  test('the signature uses new_value: 20000.00 is hashed as 20000.0', () => {
    const result = parseConfirmation(signed(base, 'SHA256'));
    if (!result.ok) throw new Error('parse');
    const direct = signConfirmation({
      apiKey: API_KEY,
      merchantId: '508029',
      referenceSale: 'SLD-xyz',
      value: '20000.0',
      currency: 'COP',
      statePol: '4',
      algorithm: 'SHA256',
    });
    expect(result.value.sign).toBe(direct);
  });
});

describe('parseConfirmation refuses what PayU would not send', () => {
  test.each([
    ['a missing sign', { sign: undefined }],
    ['a missing transaction_id', { transaction_id: undefined }],
    ['a missing merchant_id', { merchant_id: undefined }],
    ['a value with three decimals', { value: '150.261' }],
    ['a value with a comma', { value: '150,26' }],
    ['a negative value', { value: '-150.26' }],
    ['a lower-case currency', { currency: 'usd' }],
    ['a non-numeric state_pol', { state_pol: 'APPROVED' }],
    ['a sign of an unknown length', { sign: 'abc123' }],
    ['a non-hex sign', { sign: 'z'.repeat(32) }],
    ['a reference with the separator', { reference_sale: 'A~B' }],
    ['a duplicated field', { state_pol: ['4', '6'] }],
  ])('%s', (_name, overrides) => {
    const form = officialForm(overrides);
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete form[k];
    const result = parseConfirmation(form);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
  });
});

describe('state_pol mapping', () => {
  test.each([
    ['4', undefined, 'approved'],
    ['6', 'ENTITY_DECLINED', 'declined'],
    ['6', undefined, 'declined'],
    ['6', 'ERROR', 'error'],
    ['104', undefined, 'error'],
    ['5', 'EXPIRED_TRANSACTION', 'expired'],
    ['7', undefined, null],
    ['1', undefined, null],
  ] as const)('state_pol %s, response_message_pol %s → %s', (statePol, message, expected) => {
    expect(confirmationStatus(statePol, message)).toBe(expected);
  });

  test('the parsed confirmation carries the mapped status', () => {
    expect(parsed({ state_pol: '6', response_message_pol: 'ERROR' }).status).toBe('error');
    expect(parsed({ state_pol: '7' }).status).toBeNull();
  });
});

describe('valueMatches compares the decimal text exactly with the recorded amount', () => {
  test.each([
    ['20000.00', 20000n, 'COP', true],
    ['20000', 20000n, 'COP', true],
    ['20000.0', 20000n, 'COP', true],
    ['20000.50', 20000n, 'COP', false],
    ['20001.00', 20000n, 'COP', false],
    ['19999.99', 20000n, 'COP', false],
    ['25.50', 2550n, 'USD', true],
    ['25.5', 2550n, 'USD', true],
    ['25.51', 2550n, 'USD', false],
    ['150.26', 15026n, 'USD', true],
    ['0.00', 0n, 'USD', true],
    ['2e4', 20000n, 'COP', false],
    ['', 0n, 'COP', false],
    ['-20000', -20000n, 'COP', false],
  ] as const)('%s vs %s %s → %s', (value, recorded, currency, expected) => {
    expect(valueMatches(value, recorded, currency)).toBe(expected);
  });

  test('matchesRecorded also requires the same currency', () => {
    expect(matchesRecorded({ value: '150.26', currency: 'USD' }, { amount: 15026n, currency: 'USD' })).toBe(
      true,
    );
    expect(matchesRecorded({ value: '150.26', currency: 'EUR' }, { amount: 15026n, currency: 'USD' })).toBe(
      false,
    );
    expect(matchesRecorded({ value: '150.00', currency: 'USD' }, { amount: 15026n, currency: 'USD' })).toBe(
      false,
    );
  });
});
