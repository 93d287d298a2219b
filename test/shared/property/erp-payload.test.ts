import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { IsoDate } from '../../../shared/dates';
import { readErpPayload, type ErpReadOutcome } from '../../../shared/erp/read-payload';
import { formatMinor, parseExactMinor } from '../../../shared/money';
import { priceItem } from '../../../shared/pricing/price-item';

/**
 * The ERP payload reader fed hostile input, as it arrives from the ERP client: JSON text parsed with
 * JSON.parse. Complements test/shared/erp/read-payload.test.ts (arbitrary values, near-valid payments)
 * with what a broken or malicious ERP can send that fast-check's defaults do not: nesting thousands of
 * levels deep, numbers at and past every limit, and prototype-pollution keys.
 */

const PAYER = '52123456';
const TODAY = '2025-03-10' as IsoDate;

function payment(overrides: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
  return {
    recauda_information: {
      ref_payment: 'FE-1',
      amount: '20000',
      currency_type: 'COP',
      description: 'Factura',
      id_number: PAYER,
      ...overrides,
    },
    advanced_options: { limit_date: '2025-02-28', ...options },
  };
}

/** Reading plus what the lookup does next (pricing, the API's money text): none of it may throw. */
function readAndPrice(body: unknown): ErpReadOutcome {
  const outcome = readErpPayload(body, PAYER);
  if (outcome.ok) {
    for (const item of outcome.value.items) {
      const priced = priceItem(item, {
        today: TODAY,
        merchantMinimum: 10_000n,
        gatewayMinimum: 0n,
        merchantLateFees: null,
        paid: 0n,
        pending: false,
      });
      for (const amount of [priced.total, priced.balance, priced.minimum, priced.lateFee, priced.discount]) {
        expect(amount >= 0n).toBe(true);
        formatMinor(amount, item.currency);
      }
    }
  }
  return outcome;
}

/** `depth` levels of arrays or objects around `leaf`, built without recursion. */
function nested(depth: number, kind: 'array' | 'object', leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The same, as JSON text (what a 1 MiB ERP answer can hold: several hundred thousand levels). */
function nestedText(depth: number, kind: 'array' | 'object', leaf: string): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

const INFO_FIELDS = [
  'ref_payment',
  'amount',
  'currency_type',
  'description',
  'id_number',
  'payer_name',
  'advance',
  'metadata',
] as const;
const OPTION_FIELDS = [
  'limit_date',
  'discount',
  'delivery_service',
  'late_fees',
  'references',
  'picture',
  'result_urls',
  'has_comments',
  'comments_label',
] as const;

describe('deep nesting', () => {
  test('a deeply nested value anywhere in the answer never makes the reader or pricing throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 200_000 }),
        fc.constantFrom<'array' | 'object'>('array', 'object'),
        fc.constantFrom<string>(
          'body',
          'payments',
          'entry',
          'recauda_information',
          'advanced_options',
          ...INFO_FIELDS.map((f) => `info.${f}`),
          ...OPTION_FIELDS.map((f) => `options.${f}`),
        ),
        (depth, kind, where) => {
          const deep = nested(depth, kind, '20000');
          let body: unknown;
          if (where === 'body') body = deep;
          else if (where === 'payments') body = { payments: deep };
          else if (where === 'entry') body = { payments: [payment(), deep] };
          else if (where === 'recauda_information') body = { payments: [{ recauda_information: deep }] };
          else if (where === 'advanced_options')
            body = { payments: [{ ...payment(), advanced_options: deep }] };
          else if (where.startsWith('info.')) body = { payments: [payment({ [where.slice(5)]: deep })] };
          else body = { payments: [payment({}, { [where.slice(8)]: deep })] };
          const outcome = readAndPrice(body);
          if (where === 'body' || (where === 'payments' && kind === 'object')) {
            expect(outcome).toEqual({ ok: false, error: 'erp_bad_response' });
          } else {
            expect(outcome.ok).toBe(true);
          }
          // Metadata must serialise for the checkout and the webhook: metadata too deep to serialise is dropped
          // (warned) rather than failing the payment later; every other deep value is refused or dropped too.
          if (outcome.ok && where === 'info.metadata') {
            const metadata = outcome.value.items[0]?.metadata;
            expect(metadata === null || metadata === deep).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('deep nesting parsed from JSON text, as the ERP client does, is read without throwing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 300_000 }),
        fc.constantFrom<'array' | 'object'>('array', 'object'),
        fc.constantFrom('metadata', 'advance', 'payer_name'),
        (depth, kind, field) => {
          const text =
            `{"payments":[{"recauda_information":{"ref_payment":"A","amount":"20000","currency_type":"COP",` +
            `"description":"x","id_number":"${PAYER}","${field}":${nestedText(depth, kind, '1')}}}]}`;
          const outcome = readAndPrice(JSON.parse(text));
          expect(outcome.ok && outcome.value.items.map((i) => i.ref)).toEqual(['A']);
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('numbers at and past every limit', () => {
  const hostileNumber = fc.oneof(
    fc.double(),
    fc.constantFrom(
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      -0,
      1e15,
      999_999_999_999_999,
      1e-7,
      5e-324,
    ),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
    fc.integer({ min: 14, max: 400 }).map((n) => '9'.repeat(n)),
    fc.integer({ min: 1, max: 400 }).map((n) => `0.${'0'.repeat(n)}1`),
    fc.integer({ min: -500, max: 500 }).map((e) => `1e${e}`),
    fc.constantFrom(
      '1e400',
      '1e401',
      '-1e400',
      'Infinity',
      '-Infinity',
      'NaN',
      '0x1F',
      '0b11',
      '1_000',
      '1,000',
      '١٢٣',
      '１２３',
      ' 20000 ',
      '+20000',
      '20000.',
      '.5',
      '',
      ' ',
      '0',
      '-0',
      '00000000000000000001',
      '1e-400',
      `1${'0'.repeat(14)}`,
      `1${'0'.repeat(15)}`,
      '999999999999999.4',
    ),
  );

  test('an amount is either refused or a positive whole number of minor units with at most 15 digits', () => {
    fc.assert(
      fc.property(hostileNumber, fc.constantFrom('COP', 'USD', 'EUR'), (amount, currency) => {
        const outcome = readAndPrice({ payments: [payment({ amount, currency_type: currency })] });
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const [item] = outcome.value.items;
        if (!item) {
          // Non-finite numbers fail the field schema itself; the rest fail the amount rules.
          expect([{ invalid_amount: 1 }, { invalid_fields: 1 }]).toContainEqual(outcome.value.skipReasons);
          return;
        }
        expect(item.amount > 0n).toBe(true);
        const text = formatMinor(item.amount, item.currency);
        expect(text.split('.')[0]!.length).toBeLessThanOrEqual(15);
        // The API's text form of the amount reads back as the same amount.
        expect(parseExactMinor(text, item.currency)).toBe(item.amount);
      }),
      { numRuns: 500 },
    );
  });

  // Found by the property above; reported. toMinor checks the 15-digit cap before rounding, so half a peso
  // under the cap rounds up to 10^15: an item whose balance the checkout's 15-digit parser cannot accept.
  // When this starts passing, fold the case back into the generator and drop `fails`.
  test('999999999999999.5 COP rounds past the 15-digit cap and is refused', () => {
    const outcome = readAndPrice({ payments: [payment({ amount: '999999999999999.5' })] });
    const item = outcome.ok ? outcome.value.items[0] : undefined;
    if (item)
      expect(parseExactMinor(formatMinor(item.amount, item.currency), item.currency)).toBe(item.amount);
  });

  test('hostile numbers in every optional money field are dropped or priced, never thrown on', () => {
    fc.assert(
      fc.property(hostileNumber, hostileNumber, hostileNumber, hostileNumber, (a, b, c, d) => {
        const outcome = readAndPrice({
          payments: [
            payment(
              { advance: { type: 'Valor Minimo', value: a } },
              { delivery_service: { type: 'Con Valor', value: b } },
            ),
            payment(
              { ref_payment: 'FE-2', advance: { type: 'Porcentaje Minimo', value: c } },
              { discount: { before_on: '2025-03-31', type: 'Porcentaje', value: d } },
            ),
            payment(
              { ref_payment: 'FE-3' },
              { discount: { before_on: '2025-03-31', type: 'Valor', value: a } },
            ),
            payment(
              { ref_payment: 'FE-4' },
              {
                late_fees: { condition_type: 'automated', type: 'amount', value: b, frequency: 1, limit: 30 },
              },
            ),
            payment(
              { ref_payment: 'FE-5' },
              { late_fees: { condition_type: 'fixed', fixed: [{ date: '2025-03-01', value: c }] } },
            ),
            payment(
              { ref_payment: 'FE-6' },
              {
                late_fees: {
                  condition_type: 'automated',
                  type: 'amount',
                  value: '1',
                  frequency: d,
                  limit: a,
                },
              },
            ),
          ],
        });
        expect(outcome.ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('prototype-pollution keys', () => {
  const POISON_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
  // What a poisoned prototype would make the reader see if it ever read inherited properties.
  const poison = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant({
      advanced_options: { delivery_service: { type: 'Con Valor', value: 999 } },
      recauda_information: { ref_payment: 'EVIL', amount: '1', currency_type: 'COP', description: 'evil' },
      amount: '1',
      id_number: '1',
      has_comments: true,
      comments_label: 'evil',
      request_address_delivery: true,
      expiration: true,
      delivery_service: { type: 'Con Valor', value: 999 },
      polluted: true,
    }),
  );

  /** JSON text of `value` with `"<key>": <poison>` added to every object except metadata. */
  function poisonedText(value: unknown, key: string, poisonText: string, inMetadata = false): string {
    if (Array.isArray(value))
      return `[${value.map((v) => poisonedText(v, key, poisonText, inMetadata)).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      const members = Object.entries(value).map(
        ([k, v]) =>
          `${JSON.stringify(k)}:${poisonedText(v, key, poisonText, inMetadata || k === 'metadata')}`,
      );
      if (!inMetadata) members.unshift(`${JSON.stringify(key)}:${poisonText}`);
      return `{${members.join(',')}}`;
    }
    return JSON.stringify(value);
  }

  const plainPayment = fc.record({
    recauda_information: fc.record(
      {
        ref_payment: fc.constantFrom('A', 'B', 'C'),
        amount: fc.oneof(fc.constantFrom('20000', '54000.85', 0, -1), fc.integer({ min: 1, max: 10 ** 9 })),
        currency_type: fc.constantFrom('COP', 'USD', 'XXX'),
        description: fc.constantFrom('Factura', ''),
        id_number: fc.constantFrom(PAYER, '12345678'),
        payer_name: fc.constantFrom('Ana', ''),
        advance: fc.constantFrom({ type: 'Valor Minimo', value: 10000 }, { type: 'x' }),
      },
      { requiredKeys: ['ref_payment', 'description'] },
    ),
    advanced_options: fc.oneof(
      fc.constant(null),
      fc.record(
        {
          limit_date: fc.constantFrom('2025-03-15', 'nope'),
          delivery_service: fc.constantFrom({ type: 'Gratis' }, { type: 'Con Valor', value: 5000 }),
          has_comments: fc.boolean(),
          comments_label: fc.constantFrom('Notas'),
          references: fc.constant(['R1']),
          result_urls: fc.constant({ webhook: 'https://erp.example/hook' }),
        },
        { requiredKeys: [] },
      ),
    ),
  });

  test('poison under __proto__, constructor or prototype changes nothing the reader returns', () => {
    fc.assert(
      fc.property(
        fc.array(plainPayment, { maxLength: 5 }),
        fc.constantFrom(...POISON_KEYS),
        poison,
        (payments, key, poisonValue) => {
          const body = { payments };
          const clean = readAndPrice(JSON.parse(JSON.stringify(body)));
          const dirty = readAndPrice(JSON.parse(poisonedText(body, key, JSON.stringify(poisonValue))));
          expect(dirty.ok).toBe(clean.ok);
          if (clean.ok && dirty.ok) {
            expect(dirty.value.skipped).toBe(clean.value.skipped);
            expect(dirty.value.duplicates).toBe(clean.value.duplicates);
            expect(dirty.value.items.map((i) => ({ ...i }))).toEqual(
              clean.value.items.map((i) => ({ ...i })),
            );
          }
          expect(Object.prototype).not.toHaveProperty('polluted');
          expect(({} as Record<string, unknown>).has_comments).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an entry whose only content is under __proto__ is skipped, not read through the prototype', () => {
    const entry = JSON.parse(
      `{"__proto__":{"recauda_information":{"ref_payment":"EVIL","amount":"1","currency_type":"COP",` +
        `"description":"evil","id_number":"${PAYER}"}}}`,
    ) as unknown;
    const outcome = readAndPrice({ payments: [entry, payment()] });
    expect(outcome.ok && outcome.value.items.map((i) => i.ref)).toEqual(['FE-1']);
    expect(outcome.ok && outcome.value.skipped).toBe(1);
  });

  test('metadata keeps its __proto__ key as data, without becoming anyone’s prototype', () => {
    const outcome = readAndPrice(
      JSON.parse(
        `{"payments":[{"recauda_information":{"ref_payment":"A","amount":"20000","currency_type":"COP",` +
          `"description":"x","id_number":"${PAYER}","metadata":{"__proto__":{"polluted":true},"k":1}}}]}`,
      ),
    );
    expect(outcome.ok).toBe(true);
    const metadata = outcome.ok ? (outcome.value.items[0]?.metadata as Record<string, unknown>) : {};
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata).sort()).toEqual(['__proto__', 'k']);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
