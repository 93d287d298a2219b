import type { Context } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { createRateLimiter } from '../../../bff/http/rate-limit';
import { testConfig } from '../../support/fake-deps';
import { buyer, errorOf, PAYER, routeApp } from './support';

const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

interface Payment {
  status: string;
  amount: string;
  items: { ref: string; amount: string; description?: string }[];
}

async function paid(overrides: Parameters<typeof routeApp>[0] = {}) {
  const t = await routeApp(overrides);
  opened.push(t);
  const res = await t.checkout({ idNumber: PAYER, items: [{ ref: 'ADM-03', amount: '20000' }], buyer });
  expect(res.status).toBe(201);
  const { reference, viewToken } = (await res.json()) as { reference: string; viewToken: string };
  const status = (headers: Record<string, string> = {}, ref = reference) =>
    t.app.request(`/api/v1/merchants/acme/payments/${encodeURIComponent(ref)}`, { headers });
  return { ...t, reference, viewToken, status };
}

describe('GET …/payments/{reference} (issue 9.8)', () => {
  test('the browser that made the checkout (its view token) sees the item descriptions', async () => {
    const { status, viewToken } = await paid();
    expect(viewToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const body = (await (await status({ 'X-Payment-View-Token': viewToken })).json()) as Payment;
    expect(body.items).toEqual([
      { ref: 'ADM-03', amount: '20000', description: 'Cuota de administración marzo' },
    ]);
  });

  test('anyone else with the reference sees status and amounts, no description', async () => {
    const { status, viewToken } = await paid();
    const others: Record<string, string>[] = [
      {},
      { 'X-Payment-View-Token': 'x'.repeat(43) },
      { 'X-Payment-View-Token': `${viewToken}x` },
    ];
    for (const headers of others) {
      const res = await status(headers);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Payment;
      expect(body).toMatchObject({ status: 'pending', amount: '20000' });
      expect(body.items).toEqual([{ ref: 'ADM-03', amount: '20000' }]);
      expect(JSON.stringify(body)).not.toContain('Cuota');
    }
  });

  test("one payment's view token does not open another's", async () => {
    const first = await paid();
    const res = await first.checkout({ idNumber: PAYER, items: [{ ref: 'LIC-1', amount: '120.50' }], buyer });
    const second = (await res.json()) as { reference: string };
    const body = (await (
      await first.status({ 'X-Payment-View-Token': first.viewToken }, second.reference)
    ).json()) as Payment;
    expect(body.items[0]?.description).toBeUndefined();
  });

  test('a replayed checkout (same key) returns the same view token', async () => {
    const t = await routeApp();
    opened.push(t);
    const request = { idNumber: PAYER, items: [{ ref: 'ADM-03', amount: '20000' }], buyer };
    const a = (await (await t.checkout(request, 'same-key')).json()) as { viewToken: string };
    const b = (await (await t.checkout(request, 'same-key')).json()) as { viewToken: string };
    expect(b.viewToken).toBe(a.viewToken);
  });

  test('is rate-limited per client address, before the store is asked', async () => {
    const config = testConfig();
    const socket = (c: Context) => c.req.header('X-Test-Socket');
    const rateLimiter = createRateLimiter({
      rateLimits: { ...config.rateLimits, paymentReadsPerIpPerMinute: 3 },
      proxies: { hops: 0 },
      idHashSecret: config.linkSecret,
      remoteAddress: socket,
    });
    const { status } = await paid({ rateLimiter });
    for (let i = 0; i < 3; i++)
      expect((await status({ 'X-Test-Socket': '10.1.1.1' }, `GUESS-${i}`)).status).toBe(404);
    const limited = await status({ 'X-Test-Socket': '10.1.1.1' });
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).code).toBe('rate_limited');
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await status({ 'X-Test-Socket': '10.1.1.2' })).status).toBe(200);
  });
});
