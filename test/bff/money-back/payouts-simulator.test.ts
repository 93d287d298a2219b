import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createPayoutsClient } from '../../../bff/payu/payouts-client';
import type { BankDetails } from '../../../shared/money-back/bank-details';
import { SIM_CREDS, startMoneyBackSim } from './sim-server';

const details: BankDetails = {
  fullName: 'Luz Cárdenas',
  documentType: 'CC',
  documentNumber: '52123456',
  bankCode: '007',
  accountType: 'CA',
  accountNumber: '2198922910000',
};

let env: Awaited<ReturnType<typeof startMoneyBackSim>>;
// Tuesday 1 December 2026, 09:00 in Bogotá.
beforeEach(async () => {
  env = await startMoneyBackSim(new Date('2026-12-01T09:00:00-05:00'));
});
afterEach(() => env.close());

const client = () =>
  createPayoutsClient(
    { baseUrl: env.baseUrl, merchantId: '508029', accountId: '512321', ...SIM_CREDS },
    { fetch, now: env.now },
  );

async function payout(accountNumber = details.accountNumber) {
  const c = client();
  await c.registerWebhook('http://portal.test/hook');
  const r = await c.requestPayout({
    value: '20000',
    details: { ...details, accountNumber },
    description: 'RET-9',
  });
  if (r.kind !== 'created') throw new Error(r.kind);
  return { c, id: r.paymentOrderId };
}

describe('the PayU Payouts simulator', () => {
  test('walks both machines and confirms at the ACH table time', async () => {
    const { id } = await payout();
    env.advance(5 * 60_000);
    await env.sim.tick();
    const p = env.sim.payouts.get(id);
    expect(p?.state).toBe('CREATED');
    expect(p?.status).toBe('IN_BANKING_PROCESS');
    // Reached the bank at 09:05 → the 11:30 batch, answer next working day at 10:40 (Wednesday).
    env.setNow(new Date('2026-12-02T10:39:00-05:00'));
    await env.sim.tick();
    expect(env.sim.payouts.get(id)?.status).toBe('IN_BANKING_PROCESS');
    env.setNow(new Date('2026-12-02T10:40:00-05:00'));
    await env.sim.tick();
    expect(env.sim.payouts.get(id)).toMatchObject({
      state: 'PROCESSING_COMPLETED',
      status: 'CONFIRMED_BY_THE_BANK',
    });
    const states = env.delivered.map((d) => `${String(d.body.state)}/${String(d.body.status)}`);
    expect(states[0]).toBe('SENT TO CREATE/null');
    expect(states.at(-1)).toBe('PROCESSING COMPLETED/CONFIRMED_BY_THE_BANK');
  });

  test('sanction screening can reject the payee (account …8888)', async () => {
    const { id } = await payout('1234568888');
    env.advance(60_000);
    await env.sim.tick();
    expect(env.sim.payouts.get(id)).toMatchObject({ state: 'REJECTED', validationState: 'REJECTED' });
    expect(env.delivered.at(-1)?.body.errorCode).toBe('SANCTION_SCREENING');
  });

  test('the bank can reject the transfer (account …9999)', async () => {
    const { id } = await payout('1234569999');
    env.advance(3 * 24 * 3600_000);
    await env.sim.tick();
    expect(env.sim.payouts.get(id)).toMatchObject({ state: 'PROCESSING_COMPLETED', status: 'REJECTED' });
  });

  test('cancels while IN_PAYU_PROCESS or earlier, and refuses once at the bank', async () => {
    const early = await payout();
    expect(await early.c.cancelPayout(early.id, 'payer asked')).toEqual({ ok: true });
    await env.sim.tick();
    env.advance(5 * 60_000);
    await env.sim.tick();
    expect(env.sim.payouts.get(early.id)?.state).toBe('REJECTED');

    const late = await payout();
    env.advance(10 * 60_000);
    await env.sim.tick();
    expect(env.sim.payouts.get(late.id)?.status).toBe('IN_BANKING_PROCESS');
    expect(await late.c.cancelPayout(late.id, 'too late')).toEqual({ ok: false, reason: 'HTTP 409' });
  });

  test('can deliver every webhook twice and in reverse order', async () => {
    env.sim.knobs.duplicate = true;
    env.sim.knobs.outOfOrder = true;
    await payout();
    env.advance(2 * 60_000);
    const sent = await env.sim.tick();
    expect(sent).toBe(4);
    const states = env.delivered.map((d) => d.body.state);
    expect(states).toEqual(['CREATED', 'CREATED', 'SENT TO CREATE', 'SENT TO CREATE']);
  });
});
