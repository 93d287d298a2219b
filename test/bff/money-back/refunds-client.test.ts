import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRefundsClient } from '../../../bff/payu/refunds-client';
import { SIM_CREDS, startMoneyBackSim } from './sim-server';

let env: Awaited<ReturnType<typeof startMoneyBackSim>>;
beforeAll(async () => {
  env = await startMoneyBackSim();
  env.orders.set('1001', {
    orderId: '1001',
    transactionId: 'tx-card',
    paymentMethodType: '2',
    value: 50000,
    currency: 'COP',
  });
  env.orders.set('1002', {
    orderId: '1002',
    transactionId: 'tx-pse',
    paymentMethodType: '4',
    value: 50000,
    currency: 'COP',
  });
  env.orders.set('1003', {
    orderId: '1003',
    transactionId: 'tx-card-2',
    paymentMethodType: '2',
    value: 50000,
    currency: 'COP',
  });
  env.orders.set('1004', {
    orderId: '1004',
    transactionId: 'tx-card-3',
    paymentMethodType: '2',
    value: 50000,
    currency: 'COP',
  });
});
afterAll(() => env.close());

const client = () =>
  createRefundsClient(
    { baseUrl: env.baseUrl, apiKey: SIM_CREDS.apiKey, apiLogin: SIM_CREDS.apiLogin, test: true },
    { fetch },
  );

describe('PayU Refunds client against the simulator', () => {
  test('a partial card refund is submitted, pending review, then approved', async () => {
    const c = client();
    const r = await c.submitRefund({
      orderId: '1001',
      parentTransactionId: 'tx-card',
      partial: { value: '5000', currency: 'COP' },
      reason: 'overpayment',
    });
    expect(r).toEqual({ kind: 'submitted' });
    expect(await c.refundStatus('1001')).toBe('pending');
    env.advance(24 * 3600_000);
    expect(await c.refundStatus('1001')).toBe('approved');
  });

  test('a second request for the same transaction is "already registered", which is no error', async () => {
    const again = await client().submitRefund({
      orderId: '1001',
      parentTransactionId: 'tx-card',
      partial: null,
      reason: 'x',
    });
    expect(again).toEqual({ kind: 'submitted' });
  });

  test('a PSE payment cannot be refunded', async () => {
    const r = await client().submitRefund({
      orderId: '1002',
      parentTransactionId: 'tx-pse',
      partial: null,
      reason: 'x',
    });
    expect(r.kind).toBe('declined');
  });

  test('less than 100 COP cannot be refunded', async () => {
    const r = await client().submitRefund({
      orderId: '1003',
      parentTransactionId: 'tx-card-2',
      partial: { value: '99', currency: 'COP' },
      reason: 'x',
    });
    expect(r).toEqual({ kind: 'declined', message: 'The minimum refund amount is 100 COP' });
  });

  test("PayU's review can decline it", async () => {
    const c = client();
    await c.submitRefund({ orderId: '1004', parentTransactionId: 'tx-card-3', partial: null, reason: 'x' });
    env.sim.setRefundOutcome('1004', 'DECLINED');
    env.advance(24 * 3600_000);
    expect(await c.refundStatus('1004')).toBe('declined');
  });
});
