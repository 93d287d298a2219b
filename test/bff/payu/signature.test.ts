import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  algorithmForSignature,
  callbackAlgorithm,
  confirmationNewValue,
  payuHash,
  responseNewValue,
  safeEqualSignature,
  signConfirmation,
  signRequest,
  signResponsePage,
} from '../../../bff/payu/signature';

const API_KEY = '4Vj8eK4rloUd272L48hsrarnUA';
const MERCHANT = '508029';

describe("PayU's official vectors", () => {
  test('request signature, MD5', () => {
    expect(
      signRequest({
        apiKey: API_KEY,
        merchantId: MERCHANT,
        referenceCode: 'TestPayU',
        amount: '20000',
        currency: 'COP',
        algorithm: 'MD5',
      }),
    ).toBe('7ee7cf808ce6a39b17481c54f2c57acc');
  });

  test('request signature, SHA256', () => {
    expect(
      signRequest({
        apiKey: API_KEY,
        merchantId: MERCHANT,
        referenceCode: 'TestPayU',
        amount: '20000',
        currency: 'COP',
        algorithm: 'SHA256',
      }),
    ).toBe('af3899a22336b79db46006491d15813158826f944599bf3bf601e2327f898022');
  });

  test('response page signature: TX_VALUE 150.34, state 6', () => {
    expect(
      signResponsePage({
        apiKey: API_KEY,
        merchantId: MERCHANT,
        referenceCode: 'TestPayU04',
        txValue: '150.34',
        currency: 'USD',
        transactionState: '6',
        algorithm: 'MD5',
      }),
    ).toBe('779f163be9347a691bcdb25064644795');
  });

  test('confirmation signature: value 150.26, state_pol 4', () => {
    expect(
      signConfirmation({
        apiKey: API_KEY,
        merchantId: MERCHANT,
        referenceSale: 'TestPayU05',
        value: '150.26',
        currency: 'USD',
        statePol: '4',
        algorithm: 'MD5',
      }),
    ).toBe('1d95778a651e11a0ab93c2169a519cd6');
  });
});

test('the SHA algorithm is SHA-1 over the same string', () => {
  // sha1sum of "4Vj8eK4rloUd272L48hsrarnUA~508029~TestPayU~20000~COP"
  expect(
    signRequest({
      apiKey: API_KEY,
      merchantId: MERCHANT,
      referenceCode: 'TestPayU',
      amount: '20000',
      currency: 'COP',
      algorithm: 'SHA',
    }),
  ).toBe('fa890d3f94e12b5cdb62e8771453b99b78e7ccdc');
});

test('the request signs the exact amount string: 20000 and 20000.00 differ', () => {
  const base = {
    apiKey: API_KEY,
    merchantId: MERCHANT,
    referenceCode: 'R1',
    currency: 'COP',
    algorithm: 'MD5',
  } as const;
  expect(signRequest({ ...base, amount: '20000' })).not.toBe(signRequest({ ...base, amount: '20000.00' }));
});

test('paymentMethods, iin and pseBanks are appended in that order, only when present', () => {
  const base = {
    apiKey: API_KEY,
    merchantId: MERCHANT,
    referenceCode: 'R1',
    amount: '100',
    currency: 'COP',
    algorithm: 'SHA256',
  } as const;
  const prefix = `${API_KEY}~${MERCHANT}~R1~100~COP`;
  expect(signRequest(base)).toBe(payuHash('SHA256', prefix));
  expect(signRequest({ ...base, paymentMethods: 'VISA,PSE' })).toBe(payuHash('SHA256', `${prefix}~VISA,PSE`));
  expect(signRequest({ ...base, iin: '411111', paymentMethods: 'VISA', pseBanks: '1007' })).toBe(
    payuHash('SHA256', `${prefix}~VISA~411111~1007`),
  );
  expect(signRequest({ ...base, pseBanks: '1007' })).toBe(payuHash('SHA256', `${prefix}~1007`));
  expect(signRequest({ ...base, paymentMethods: '', iin: undefined })).toBe(signRequest(base));
});

describe('response page new_value: one decimal, round half to even on the decimal text', () => {
  test.each([
    ['150.25', '150.2'],
    ['150.35', '150.4'],
    ['150.45', '150.4'],
    ['150.55', '150.6'],
    ['150.3', '150.3'],
    ['150.34', '150.3'],
    ['150.36', '150.4'],
    ['150.251', '150.3'],
    ['150', '150.0'],
    ['150.00', '150.0'],
    ['20000.00', '20000.0'],
    ['0.05', '0.0'],
    ['0.15', '0.2'],
    ['99999999999999.95', '100000000000000.0'],
  ])('%s → %s', (input, expected) => {
    expect(responseNewValue(input)).toBe(expected);
  });

  test('refuses what is not a plain decimal', () => {
    for (const bad of ['', 'abc', '1e3', '-1.5', '1,5', '150.']) {
      expect(() => responseNewValue(bad)).toThrow(RangeError);
    }
  });

  test('agrees with exact half-even arithmetic on any two-decimal value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (cents) => {
        const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
        const q = cents / 10n;
        const r = cents % 10n;
        const tenths = r > 5n || (r === 5n && q % 2n === 1n) ? q + 1n : q;
        expect(responseNewValue(text)).toBe(`${tenths / 10n}.${tenths % 10n}`);
      }),
    );
  });
});

describe('confirmation new_value: the second decimal is dropped when it is 0', () => {
  test.each([
    ['150.00', '150.0'],
    ['150.26', '150.26'],
    ['150.20', '150.2'],
    ['150.2', '150.2'],
    ['150.0', '150.0'],
    ['150', '150.0'],
    ['20000.00', '20000.0'],
    ['0.05', '0.05'],
    ['0.50', '0.5'],
  ])('%s → %s', (input, expected) => {
    expect(confirmationNewValue(input)).toBe(expected);
  });

  test('refuses more than two decimals and non-numbers', () => {
    for (const bad of ['150.255', '', 'x', '-3.00', '1e2'])
      expect(() => confirmationNewValue(bad)).toThrow(RangeError);
  });
});

describe('safeEqualSignature', () => {
  test('is case-insensitive', () => {
    expect(safeEqualSignature('7EE7CF808CE6A39B17481C54F2C57ACC', '7ee7cf808ce6a39b17481c54f2c57acc')).toBe(
      true,
    );
  });

  test('is false on a different signature of the same length', () => {
    expect(safeEqualSignature('7ee7cf808ce6a39b17481c54f2c57acc', '7ee7cf808ce6a39b17481c54f2c57acd')).toBe(
      false,
    );
  });

  test('is false, without throwing, on a length mismatch', () => {
    expect(safeEqualSignature('7ee7cf808ce6a39b17481c54f2c57acc', '7ee7cf')).toBe(false);
    expect(safeEqualSignature('', '7ee7cf')).toBe(false);
    expect(safeEqualSignature('ß', 'ss')).toBe(false);
  });

  test('is true on two empty strings only when both are empty', () => {
    expect(safeEqualSignature('', '')).toBe(true);
  });
});

test('a signature length names its algorithm', () => {
  expect(algorithmForSignature('a'.repeat(32))).toBe('MD5');
  expect(algorithmForSignature('a'.repeat(40))).toBe('SHA');
  expect(algorithmForSignature('A'.repeat(64))).toBe('SHA256');
  expect(algorithmForSignature('a'.repeat(48))).toBeNull();
  expect(algorithmForSignature('g'.repeat(32))).toBeNull();
});

test('callback algorithm: lenient takes the length, strict insists on the configured one', () => {
  expect(callbackAlgorithm('a'.repeat(32), 'SHA256', false)).toBe('MD5');
  expect(callbackAlgorithm('a'.repeat(32), 'SHA256', true)).toBeNull();
  expect(callbackAlgorithm('a'.repeat(64), 'SHA256', true)).toBe('SHA256');
  expect(callbackAlgorithm('a'.repeat(31), undefined, false)).toBeNull();
});
