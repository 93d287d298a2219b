import { describe, expect, test, vi } from 'vitest';
import { verifyConfirmation } from '../../../../bff/payu/confirmation';
import { verifyResponsePage } from '../../../../bff/payu/response-page';

import {
  API_KEY,
  confirmation,
  form,
  listen,
  payInBrowser,
  receiver,
  responsePage,
  startSimulator,
  registerSimulatorHarness,
} from './support';

registerSimulatorHarness();

describe('confirmation delivery', () => {
  test('retries until it gets a 200: 500, 500, 200 is three attempts', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    receiver.answer([500, 500, 200]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await expect(payment.confirmation).resolves.toEqual({ delivered: true, status: 200, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
    // Every retry is the same notification.
    expect(new Set(receiver.received.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  test('anything but exactly 200 counts as not delivered', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    receiver.answer([204, 302, 200]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await expect(payment.confirmation).resolves.toMatchObject({ delivered: true, attempts: 3 });
  });

  test('gives up after a bounded number of attempts', async () => {
    const { sim, checkoutUrl } = await startSimulator({ retryDelaysMs: [5, 5] });
    receiver.answer([500, 500, 500, 500, 500]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: 500, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
  });

  test('an unreachable confirmation URL is retried and reported, never thrown', async () => {
    const down = await listen(() => new Response('x'));
    const deadUrl = `${down.url}/payu/demo/confirmation`;
    await down.close();
    const warnings: string[] = [];
    const { sim, checkoutUrl } = await startSimulator({
      retryDelaysMs: [5],
      logger: { info() {}, warn: (_o, msg) => warnings.push(msg) },
    });
    const payment = sim.pay(form(checkoutUrl, { confirmationUrl: deadUrl }).fields, 'approved');
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: null, attempts: 2 });
    expect(warnings).toContain('payu-sim: confirmation given up');
  });

  test('the default schedule makes at most 9 attempts, as PayU does', async () => {
    let calls = 0;
    const { sim, checkoutUrl } = await startSimulator({
      retryDelaysMs: undefined,
      fetch: async () => {
        calls += 1;
        return new Response('no', { status: 503 });
      },
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const payment = sim.pay(form(checkoutUrl).fields, 'approved');
      for (let i = 0; i < 12; i += 1) await vi.advanceTimersByTimeAsync(200_000);
      await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: 503, attempts: 9 });
      expect(calls).toBe(9);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('pending, then approved', () => {
  test('redirects with state 7 at once and confirms the approval after the delay', async () => {
    const { sim, checkoutUrl } = await startSimulator({ pendingDelayMs: 150 });
    const { fields } = form(checkoutUrl);
    const payment = sim.pay(fields, 'pending-then-approved');
    const { page } = responsePage(payment.redirectUrl);
    expect(page.transactionState).toBe('7');
    expect(page.status).toBe('pending');
    expect(page.polTransactionState).not.toBe('7');
    expect(verifyResponsePage(page, API_KEY)).toBe(true);
    // Nothing is confirmed while pending (PayU only confirms final states).
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);

    await expect(payment.confirmation).resolves.toEqual({ delivered: true, status: 200, attempts: 1 });
    const conf = confirmation(receiver.received[0] ?? {});
    expect(conf.status).toBe('approved');
    expect(conf.transactionId).toBe(page.transactionId);
    expect(verifyConfirmation(conf, API_KEY)).toBe(true);
  });

  test('through the page as well', async () => {
    const { checkoutUrl } = await startSimulator({ pendingDelayMs: 20 });
    const { res } = await payInBrowser(checkoutUrl, form(checkoutUrl).fields, 'pending-then-approved');
    expect(res.status).toBe(303);
    expect(responsePage(res.headers.get('location') ?? '').page.status).toBe('pending');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    expect(confirmation(receiver.received[0] ?? {}).status).toBe('approved');
  });

  test('close() cancels the pending confirmation and settles its promise', async () => {
    const { sim, checkoutUrl } = await startSimulator({ pendingDelayMs: 60_000 });
    const payment = sim.pay(form(checkoutUrl).fields, 'pending-then-approved');
    sim.close();
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: null, attempts: 0 });
    expect(receiver.received).toHaveLength(0);
    expect(() => sim.pay(form(checkoutUrl).fields, 'approved')).toThrow(/closed/);
  });

  test('close() stops retries in progress', async () => {
    // Waits for the simulator to have read the 500 (not only for the receiver to have got the POST): closing
    // between the two would abort the attempt itself, a different case.
    const answered: number[] = [];
    const { sim, checkoutUrl } = await startSimulator({
      retryDelaysMs: [60_000],
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        answered.push(res.status);
        return res;
      },
    });
    receiver.answer([500]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await vi.waitFor(() => expect(answered).toEqual([500]));
    sim.close();
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: 500, attempts: 1 });
  });
});
