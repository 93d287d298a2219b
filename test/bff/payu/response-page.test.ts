import { describe, expect, test } from 'vitest';
import {
  parseResponsePage,
  responsePageStatus,
  verifyResponsePage,
  type PayuResponsePage,
} from '../../../bff/payu/response-page';
import { signResponsePage } from '../../../bff/payu/signature';

const API_KEY = '4Vj8eK4rloUd272L48hsrarnUA';

/** PayU's response-page vector: TestPayU04, TX_VALUE 150.34 USD, state 6 → 779f163b… (MD5). */
const OFFICIAL =
  'merchantId=508029&referenceCode=TestPayU04&TX_VALUE=150.34&currency=USD&transactionState=6' +
  '&polTransactionState=6&lapTransactionState=DECLINED&message=DECLINED&reference_pol=844182441' +
  '&transactionId=4a9f2c1e-0000-4000-8000-000000000001&lng=es&signature=779f163be9347a691bcdb25064644795&extra1=';

function page(
  query: string | URLSearchParams | Record<string, string | string[] | undefined>,
): PayuResponsePage {
  const result = parseResponsePage(query);
  if (!result.ok) throw new Error(result.issues.join(', '));
  return result.value;
}

test("PayU's official response page verifies", () => {
  const p = page(OFFICIAL);
  expect(p).toMatchObject({
    merchantId: '508029',
    referenceCode: 'TestPayU04',
    txValue: '150.34',
    currency: 'USD',
    transactionState: '6',
    status: 'declined',
    referencePol: '844182441',
    extra1: null,
  });
  expect(verifyResponsePage(p, API_KEY)).toBe(true);
});

test('accepts URLSearchParams, a plain record and Hono-style arrays alike', () => {
  const params = new URLSearchParams(OFFICIAL);
  expect(verifyResponsePage(page(params), API_KEY)).toBe(true);
  expect(verifyResponsePage(page(Object.fromEntries(params)), API_KEY)).toBe(true);
  const arrays: Record<string, string[]> = {};
  for (const [k, v] of params) arrays[k] = [v];
  expect(verifyResponsePage(page(arrays), API_KEY)).toBe(true);
  expect(verifyResponsePage(page(`?${OFFICIAL}`), API_KEY)).toBe(true);
});

test('signs the transactionState, not the polTransactionState', () => {
  const q = new URLSearchParams(OFFICIAL);
  q.set('polTransactionState', '14');
  expect(verifyResponsePage(page(q), API_KEY)).toBe(true);
  q.set('transactionState', '4');
  expect(verifyResponsePage(page(q), API_KEY)).toBe(false);
});

test('a tampered value or reference is refused', () => {
  const q = new URLSearchParams(OFFICIAL);
  q.set('TX_VALUE', '150.36');
  expect(verifyResponsePage(page(q), API_KEY)).toBe(false);
  const r = new URLSearchParams(OFFICIAL);
  r.set('referenceCode', 'TestPayU05');
  expect(verifyResponsePage(page(r), API_KEY)).toBe(false);
});

test('TX_VALUE is rounded half-even before hashing: 150.25 signs as 150.2, 150.35 as 150.4', () => {
  for (const [txValue, newValue] of [
    ['150.25', '150.2'],
    ['150.35', '150.4'],
  ] as const) {
    const signature = signResponsePage({
      apiKey: API_KEY,
      merchantId: '508029',
      referenceCode: 'R1',
      txValue: newValue,
      currency: 'USD',
      transactionState: '4',
      algorithm: 'SHA256',
    });
    const q = `merchantId=508029&referenceCode=R1&TX_VALUE=${txValue}&currency=USD&transactionState=4&signature=${signature}`;
    expect(verifyResponsePage(page(q), API_KEY, 'SHA256')).toBe(true);
  }
});

test('a referenceCode sent form-encoded (+ for space) is decoded before hashing', () => {
  const signature = signResponsePage({
    apiKey: API_KEY,
    merchantId: '508029',
    referenceCode: 'Pago marzo 2025',
    txValue: '20000.00',
    currency: 'COP',
    transactionState: '4',
    algorithm: 'MD5',
  });
  const raw = `merchantId=508029&referenceCode=Pago+marzo%202025&TX_VALUE=20000.00&currency=COP&transactionState=4&signature=${signature}`;
  const p = page(raw);
  expect(p.referenceCode).toBe('Pago marzo 2025');
  expect(verifyResponsePage(p, API_KEY)).toBe(true);
});

describe('transactionState mapping', () => {
  test.each([
    ['4', 'approved'],
    ['6', 'declined'],
    ['104', 'error'],
    ['5', 'expired'],
    ['7', 'pending'],
    ['14', null],
  ] as const)('%s → %s', (state, expected) => {
    expect(responsePageStatus(state)).toBe(expected);
  });
});

describe('parseResponsePage refuses malformed pages', () => {
  test.each([
    ['no signature', 'signature', undefined],
    ['no TX_VALUE', 'TX_VALUE', undefined],
    ['a signature of an odd length', 'signature', 'abc'],
    ['a non-numeric value', 'TX_VALUE', 'NaN'],
    ['a reference with the separator', 'referenceCode', 'a~b'],
  ] as const)('%s', (_name, key, value) => {
    const q = new URLSearchParams(OFFICIAL);
    if (value === undefined) q.delete(key);
    else q.set(key, value);
    expect(parseResponsePage(q).ok).toBe(false);
  });

  test('a parameter given twice', () => {
    expect(parseResponsePage(`${OFFICIAL}&transactionState=4`).ok).toBe(false);
    expect(
      parseResponsePage({
        ...Object.fromEntries(new URLSearchParams(OFFICIAL)),
        transactionState: ['6', '4'],
      }).ok,
    ).toBe(false);
  });
});
