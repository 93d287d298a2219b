import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readErpPayload } from '../../../shared/erp/read-payload';

// The example payload of seed 003, copied unchanged (docs/spec/erp-recauda.md: "the first fixture every test suite
// should load unchanged").
const text = readFileSync(new URL('../../fixtures/seed-003.json', import.meta.url), 'utf8');

describe('seed 003 example payload', () => {
  test('the fixture is valid JSON with the three example payments', () => {
    const body = JSON.parse(text) as { payments: unknown[] };
    expect(Array.isArray(body.payments)).toBe(true);
    expect(body.payments).toHaveLength(3);
  });

  test('the fixture keeps the seed spelling and formatting rather than a reformatted copy', () => {
    // Prettier or an editor "fixing" the fixture would re-indent it; the seed has no indentation at all.
    expect(text.startsWith('{\n"payments": [\n{\n"recauda_information": {\n')).toBe(true);
    expect(text).toContain('"advanced_options": null');
    expect(text).toContain('"selected_taxes": null');
  });

  test('reading it for payer 12345678 yields the three items in payload order', () => {
    const outcome = readErpPayload(JSON.parse(text), '12345678');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const { items, skipped, duplicates, warnings } = outcome.value;
    expect(items.map((i) => i.ref)).toEqual(['1234567', '7654321', '7654322']);
    expect(skipped).toBe(0);
    expect(duplicates).toBe(0);
    expect(warnings).toEqual({});
  });

  test('ref 1234567 carries every advanced option of the example', () => {
    const outcome = readErpPayload(JSON.parse(text), '12345678');
    if (!outcome.ok) throw new Error(outcome.error);
    const item = outcome.value.items.find((i) => i.ref === '1234567');
    expect(item).toEqual({
      ref: '1234567',
      description: 'prueba fill out all',
      currency: 'COP',
      amount: 20000n,
      payerName: 'efipay',
      advance: { type: 'minimum_amount', value: 5000n },
      metadata: { data: 'Your additional data here' },
      limitDate: '2025-03-15',
      discount: null,
      delivery: 5000n,
      requestAddressDelivery: false,
      references: ['123456', '323432', '6546456'],
      picture: 'https://efipay.co/images/logo.svg',
      webhookUrl: 'https://webhook-test.com/310b715b9704556033c7fe260915cdfd',
      comments: { enabled: false, label: null },
      lateFees: null,
      expiration: false,
    });
  });

  test.each([
    ['7654321', 'prueba fill out recauda only'],
    ['7654322', 'prueba fill out errors'],
  ])('item %s with advanced_options null is still offered, with no options', (ref, description) => {
    const outcome = readErpPayload(JSON.parse(text), '12345678');
    if (!outcome.ok) throw new Error(outcome.error);
    const item = outcome.value.items.find((i) => i.ref === ref);
    expect(item).toMatchObject({
      description,
      currency: 'COP',
      amount: 20000n,
      advance: { type: 'minimum_amount', value: 5000n },
      metadata: null,
      limitDate: null,
      discount: null,
      delivery: 0n,
      requestAddressDelivery: false,
      references: [],
      picture: null,
      webhookUrl: null,
      comments: { enabled: false, label: null },
      lateFees: null,
    });
  });

  test('asking for another id number skips all three items as another payer', () => {
    const outcome = readErpPayload(JSON.parse(text), '87654321');
    expect(outcome).toEqual({
      ok: true,
      value: { items: [], skipped: 3, duplicates: 0, skipReasons: { other_payer: 3 }, warnings: {} },
    });
  });
});
