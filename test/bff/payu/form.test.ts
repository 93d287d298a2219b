import { describe, expect, test } from 'vitest';
import {
  buildPayuForm,
  newPaymentReference,
  truncateForPayu,
  type BuildPayuFormInput,
} from '../../../bff/payu/form';
import { signRequest } from '../../../bff/payu/signature';

const API_KEY = '4Vj8eK4rloUd272L48hsrarnUA';

function input(overrides: Partial<BuildPayuFormInput> = {}): BuildPayuFormInput {
  return {
    payu: { mode: 'sandbox', merchantId: '508029', accountId: '512321', apiKey: API_KEY },
    simulatorUrl: 'http://127.0.0.1:9999/payu-sim/checkout',
    reference: 'SLD-abc_123',
    description: 'Cuota de marzo',
    amount: 20000n,
    currency: 'COP',
    buyer: { email: 'ana@example.co', fullName: 'Ana Pérez', phone: '3001234567' },
    lng: 'es',
    responseUrl: 'https://pagos.example.co/payu/acme/response',
    confirmationUrl: 'https://pagos.example.co/payu/acme/confirmation',
    ...overrides,
  };
}

test('always sends tax=0 and taxReturnBase=0, and signs with SHA256 by default', () => {
  const { fields, method } = buildPayuForm(input());
  expect(method).toBe('POST');
  expect(fields.tax).toBe('0');
  expect(fields.taxReturnBase).toBe('0');
  expect(fields.algorithmSignature).toBe('SHA256');
  expect(fields.signature).toMatch(/^[0-9a-f]{64}$/);
});

test('COP is sent in whole pesos and the signature covers that exact string', () => {
  const { fields } = buildPayuForm(input());
  expect(fields.amount).toBe('20000');
  expect(fields.signature).toBe(
    signRequest({
      apiKey: API_KEY,
      merchantId: '508029',
      referenceCode: 'SLD-abc_123',
      amount: '20000',
      currency: 'COP',
      algorithm: 'SHA256',
    }),
  );
});

test('USD is sent with two decimals and signed as sent', () => {
  const { fields } = buildPayuForm(input({ amount: 2550n, currency: 'USD' }));
  expect(fields.amount).toBe('25.50');
  expect(fields.currency).toBe('USD');
  expect(fields.signature).toBe(
    signRequest({
      apiKey: API_KEY,
      merchantId: '508029',
      referenceCode: 'SLD-abc_123',
      amount: '25.50',
      currency: 'USD',
      algorithm: 'SHA256',
    }),
  );
});

test('the configured algorithm is used and named', () => {
  const base = input();
  const { fields } = buildPayuForm({ ...base, payu: { ...base.payu, algorithm: 'MD5' } });
  expect(fields.algorithmSignature).toBe('MD5');
  expect(fields.signature).toMatch(/^[0-9a-f]{32}$/);
});

describe('mode decides the action and the test flag', () => {
  test.each([
    ['production', 'https://checkout.payulatam.com/ppp-web-gateway-payu/', '0'],
    ['sandbox', 'https://sandbox.checkout.payulatam.com/ppp-web-gateway-payu/', '1'],
    ['simulator', 'http://127.0.0.1:9999/payu-sim/checkout', '1'],
  ] as const)('%s', (mode, action, testFlag) => {
    const base = input();
    const form = buildPayuForm({ ...base, payu: { ...base.payu, mode } });
    expect(form.action).toBe(action);
    expect(form.fields.test).toBe(testFlag);
  });

  test('simulator mode without a simulator URL is a programming error', () => {
    const base = input({ simulatorUrl: undefined });
    expect(() => buildPayuForm({ ...base, payu: { ...base.payu, mode: 'simulator' } })).toThrow(
      /simulatorUrl/,
    );
  });
});

test('carries the buyer, language, callback URLs and nothing undefined', () => {
  const { fields } = buildPayuForm(input());
  expect(fields).toMatchObject({
    merchantId: '508029',
    accountId: '512321',
    referenceCode: 'SLD-abc_123',
    description: 'Cuota de marzo',
    buyerEmail: 'ana@example.co',
    buyerFullName: 'Ana Pérez',
    telephone: '3001234567',
    lng: 'es',
    responseUrl: 'https://pagos.example.co/payu/acme/response',
    confirmationUrl: 'https://pagos.example.co/payu/acme/confirmation',
  });
  for (const value of Object.values(fields)) expect(typeof value).toBe('string');
  expect(fields).not.toHaveProperty('apiKey');
  expect(JSON.stringify(fields)).not.toContain(API_KEY);
});

test('shipping fields are sent only when an address was collected', () => {
  const without = buildPayuForm(input()).fields;
  expect(Object.keys(without).filter((k) => k.startsWith('shipping'))).toEqual([]);
  const withAddress = buildPayuForm(
    input({ shipping: { street: 'Calle 100 # 5-55', city: 'Bogotá', country: 'CO' } }),
  ).fields;
  expect(withAddress).toMatchObject({
    shippingAddress: 'Calle 100 # 5-55',
    shippingCity: 'Bogotá',
    shippingCountry: 'CO',
  });
});

test('extras are sent only when given, and an over-long extra is refused', () => {
  expect(buildPayuForm(input()).fields).not.toHaveProperty('extra1');
  expect(buildPayuForm(input({ extra1: 'acme', extra3: 'x' })).fields).toMatchObject({
    extra1: 'acme',
    extra3: 'x',
  });
  expect(() => buildPayuForm(input({ extra2: 'x'.repeat(256) }))).toThrow(RangeError);
});

describe('description', () => {
  test('a long description is cut to 255 characters, marked with an ellipsis', () => {
    const { fields } = buildPayuForm(input({ description: 'a'.repeat(400) }));
    expect(fields.description).toHaveLength(255);
    expect(fields.description?.endsWith('…')).toBe(true);
  });

  test('truncation never splits an emoji or a combining accent', () => {
    const emoji = '😀'.repeat(200);
    const cut = truncateForPayu(emoji);
    expect(cut.length).toBeLessThanOrEqual(255);
    expect(cut).toBe(`${'😀'.repeat(127)}…`);
    const combining = 'e\u0301'.repeat(200);
    const cut2 = truncateForPayu(combining);
    expect(cut2.length).toBeLessThanOrEqual(255);
    expect(cut2).toBe(`${'e\u0301'.repeat(127)}…`);
  });

  test('control characters become spaces and short text is kept', () => {
    expect(truncateForPayu('Cuota\nde\tmarzo')).toBe('Cuota de marzo');
    expect(truncateForPayu('x'.repeat(255))).toBe('x'.repeat(255));
  });
});

test('refuses a reference PayU would not accept and a non-positive amount', () => {
  expect(() => buildPayuForm(input({ reference: 'bad ref' }))).toThrow(RangeError);
  expect(() => buildPayuForm(input({ reference: 'x'.repeat(256) }))).toThrow(RangeError);
  expect(() => buildPayuForm(input({ amount: 0n }))).toThrow(RangeError);
});

describe('newPaymentReference', () => {
  test('uses only PayU-safe characters, carries the prefix and fits 255', () => {
    for (let i = 0; i < 200; i += 1) {
      const ref = newPaymentReference();
      expect(ref).toMatch(/^SLD-[A-Za-z0-9_-]{24}$/);
      expect(ref.length).toBeLessThanOrEqual(255);
    }
  });

  test('is unguessable: 144 random bits, no repeats in many draws', () => {
    const refs = new Set(Array.from({ length: 5000 }, () => newPaymentReference()));
    expect(refs.size).toBe(5000);
    // 24 base64url characters = 144 bits, above the 128-bit floor.
    expect(Buffer.from(newPaymentReference().slice(4), 'base64url')).toHaveLength(18);
  });

  test('takes another prefix but refuses one PayU would not accept', () => {
    expect(newPaymentReference('T_')).toMatch(/^T_[A-Za-z0-9_-]{24}$/);
    expect(() => newPaymentReference('a b')).toThrow(RangeError);
  });
});
