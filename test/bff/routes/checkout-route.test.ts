import { afterEach, describe, expect, test } from 'vitest';
import { buyer, errorOf, PAYER, routeApp } from './support';

const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

async function setup() {
  const t = await routeApp();
  opened.push(t);
  return t;
}

const item = (amount: unknown, extra: Record<string, unknown> = {}) => ({ ref: 'ADM-03', amount, ...extra });

describe('checkout amounts are read strictly (issue 9.3)', () => {
  test.each([
    '2e4',
    '+20000',
    ' 20000',
    '20000 ',
    '20,000',
    '20.000,00',
    '0x4E20',
    '-20000',
    '20000.',
    '.5',
    '',
  ])('COP %j → 422 invalid_request naming items.0.amount, nothing recorded', async (amount) => {
    const { checkout, deps } = await setup();
    const res = await checkout({ idNumber: PAYER, items: [item(amount)], buyer });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_request');
    expect(error.fields?.map((f) => f.path)).toEqual(['items.0.amount']);
    expect(error.message).toContain('items.0.amount');
    const state = (await deps.store.itemStates('acme', ['ADM-03'], deps.clock.now())).get('ADM-03');
    expect(state).toEqual({ paid: 0n, pending: false });
  });

  test.each([
    ['ADM-03', '20000.00'], // COP has no decimals: not even zeros
    ['ADM-03', '20000.5'],
    ['LIC-1', '120.505'], // USD has two
  ])('%s %j: more decimals than the currency has → 422 naming the field', async (ref, amount) => {
    const { checkout } = await setup();
    const res = await checkout({ idNumber: PAYER, items: [{ ref, amount }], buyer });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).fields?.map((f) => f.path)).toEqual(['items.0.amount']);
  });

  test.each([
    ['ADM-03', '20000'],
    ['LIC-1', '120.50'],
    ['LIC-1', '120.5'],
    ['LIC-1', '100'],
  ])('%s %j is accepted', async (ref, amount) => {
    const { checkout } = await setup();
    expect((await checkout({ idNumber: PAYER, items: [{ ref, amount }], buyer })).status).toBe(201);
  });

  test('an unknown field inside an item → 422 naming it, not silently dropped', async () => {
    const { checkout } = await setup();
    const res = await checkout({ idNumber: PAYER, items: [item('20000', { currency: 'USD' })], buyer });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_request');
    expect(error.fields?.map((f) => f.path)).toEqual(['items.0.currency']);
  });

  test('a malformed body outside the items stays 400', async () => {
    const { checkout } = await setup();
    const res = await checkout({ idNumber: PAYER, items: [item('20000')], buyer: { ...buyer, email: 'x' } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fields?.map((f) => f.path)).toEqual(['buyer.email']);
  });
});

describe('Idempotency-Key (issue 9.5)', () => {
  test.each(['k', 'abc1234', 'A'.repeat(255), 'order:77_a.b-c'])(
    '%j (1–255 allowed characters) is accepted',
    async (key) => {
      const { checkout } = await setup();
      expect((await checkout({ idNumber: PAYER, items: [item('20000')], buyer }, key)).status).toBe(201);
    },
  );

  test('absent → 400 idempotency_key_required', async () => {
    const { checkout } = await setup();
    const res = await checkout({ idNumber: PAYER, items: [item('20000')], buyer }, null);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('idempotency_key_required');
  });

  test.each(['A'.repeat(256), 'has space', 'ñandú', 'a/b'])(
    '%j → 400 saying what a key may be',
    async (key) => {
      const { checkout } = await setup();
      const res = await checkout({ idNumber: PAYER, items: [item('20000')], buyer }, key);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(/1 to 255 characters/);
    },
  );
});
