import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPayoutsClient } from '../../../bff/payu/payouts-client';
import type { BankDetails } from '../../../shared/money-back/bank-details';
import { json, startLoopback } from '../erp/loopback';
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
beforeAll(async () => {
  env = await startMoneyBackSim();
});
afterAll(() => env.close());

function client(overrides: { baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number } = {}) {
  return createPayoutsClient(
    { baseUrl: overrides.baseUrl ?? env.baseUrl, merchantId: '508029', accountId: '512321', ...SIM_CREDS },
    { fetch: overrides.fetch ?? fetch, now: env.now, timeoutMs: overrides.timeoutMs ?? 5000 },
  );
}

function countingFetch() {
  const calls: string[] = [];
  const f: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  return { calls, f };
}

describe('PayU Payouts client against the simulator', () => {
  test('creates a payout and returns PayU ids', async () => {
    const r = await client().requestPayout({ value: '15000', details, description: 'RET-1' });
    expect(r.kind).toBe('created');
    if (r.kind !== 'created') return;
    const p = env.sim.payouts.get(r.paymentOrderId);
    expect(p?.value).toBe(15000);
    expect(p?.accountNumber).toBe('2198922910000');
    expect(r.bankAccountId).toBe(p?.bankAccountId);
  });

  test("an unknown bank code is refused with PayU's message", async () => {
    const r = await client().requestPayout({
      value: '15000',
      details: { ...details, bankCode: '8' },
      description: 'RET-2',
    });
    expect(r).toEqual({ kind: 'refused', messages: ['There is no registered bank with code: 8'] });
  });

  test('caches the token for 8 minutes, then authenticates again (PayU keeps it 10)', async () => {
    const { calls, f } = countingFetch();
    const c = client({ fetch: f });
    await c.requestPayout({ value: '1000', details, description: 'a' });
    env.advance(7 * 60_000);
    await c.requestPayout({ value: '1000', details, description: 'b' });
    expect(calls.filter((x) => x.includes('authenticate'))).toHaveLength(1);
    env.advance(2 * 60_000);
    const r = await c.requestPayout({ value: '1000', details, description: 'c' });
    expect(r.kind).toBe('created');
    expect(calls.filter((x) => x.includes('authenticate'))).toHaveLength(2);
  });

  test('the simulator refuses a token older than 10 minutes', async () => {
    const auth = await fetch(
      `${env.baseUrl}/v1.0/authenticate?accountId=1&apiKey=sim-key&apiLogin=sim-login`,
      {
        method: 'POST',
      },
    );
    const { token } = (await auth.json()) as { token: string };
    expect(token).toMatch(/^Bearer /);
    env.advance(10 * 60_000 + 1000);
    const res = await fetch(`${env.baseUrl}/v1.0/webhooks/account/1/1`, {
      headers: { Authorization: token, PublicKey: SIM_CREDS.publicKey },
    });
    expect(res.status).toBe(401);
  });

  test('adds the Bearer prefix only when the token lacks it', async () => {
    const seen: (string | undefined)[] = [];
    const server = await startLoopback((req, res) => {
      if (req.url?.startsWith('/v1.0/authenticate')) return json(res, 200, { token: 'abc.def.ghi' });
      seen.push(req.headers.authorization);
      json(res, 200, { successfulItems: [{ paymentOrderId: 'po-1', bankAccount: { id: 'ba-1' } }] });
    });
    try {
      const r = await client({ baseUrl: server.origin }).requestPayout({
        value: '1',
        details,
        description: 'x',
      });
      expect(r).toEqual({ kind: 'created', paymentOrderId: 'po-1', bankAccountId: 'ba-1' });
      expect(seen).toEqual(['Bearer abc.def.ghi']);
    } finally {
      await server.close();
    }
  });

  test('a request that times out is reported unknown and is not retried', async () => {
    let transfers = 0;
    const server = await startLoopback((req, res) => {
      if (req.url?.startsWith('/v1.0/authenticate')) return json(res, 200, { token: 'Bearer t' });
      transfers++;
      // Never answers: PayU may or may not have created the payout.
      void res;
    });
    try {
      const r = await client({ baseUrl: server.origin, timeoutMs: 200 }).requestPayout({
        value: '1',
        details,
        description: 'x',
      });
      expect(r).toEqual({ kind: 'unknown', reason: 'timeout' });
      expect(transfers).toBeLessThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  test('a connection cut after the request was sent is unknown, and it is sent exactly once', async () => {
    let transfers = 0;
    const server = await startLoopback((req, res) => {
      if (req.url?.startsWith('/v1.0/authenticate')) return json(res, 200, { token: 'Bearer t' });
      transfers++;
      req.socket.destroy();
      void res;
    });
    try {
      const r = await client({ baseUrl: server.origin }).requestPayout({
        value: '1',
        details,
        description: 'x',
      });
      expect(r.kind).toBe('unknown');
      expect(transfers).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a refused connection is not_sent: nothing reached PayU', async () => {
    const server = await startLoopback(() => undefined);
    const origin = server.origin;
    await server.close();
    const r = await client({ baseUrl: origin }).requestPayout({ value: '1', details, description: 'x' });
    expect(r.kind).toBe('not_sent');
  });

  test('registers a webhook once; the same callback URL twice is refused by PayU', async () => {
    const c = client();
    const first = await c.registerWebhook('https://portal.example/payu/demo/payouts/s3cret');
    expect(first.ok).toBe(true);
    const second = await c.registerWebhook('https://portal.example/payu/demo/payouts/s3cret');
    expect(second.ok).toBe(false);
  });
});
