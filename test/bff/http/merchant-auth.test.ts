import type { Context } from 'hono';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { createSilentLogger } from '../../../bff/observability/logger';
import { createRateLimiter } from '../../../bff/http/rate-limit';
import { merchantFromPath, type MerchantEnv } from '../../../bff/http/merchant';
import { merchantAuth, presentedToken } from '../../../bff/http/merchant-auth';
import { ACME_TOKEN, BETA_TOKEN, json, testApp, testConfig } from './support/app-fixture';

const config = testConfig();
const merchants = new Map(config.merchants.map((m) => [m.id, m]));
/** The test's stand-in for the TCP peer: app.request has no socket. */
const socketHeader = (c: Context) => c.req.header('X-Test-Socket');

function limiter(failures = 3) {
  return createRateLimiter({
    rateLimits: { ...config.rateLimits, merchantAuthFailuresPerIpPer10Minutes: failures },
    proxies: { hops: 0 },
    idHashSecret: config.linkSecret,
    remoteAddress: socketHeader,
  });
}

/** A merchant endpoint as the charges API will build one: the token names the merchant. */
function merchantApi(rateLimiter = limiter()) {
  return new Hono<MerchantEnv>()
    .use('/v1/merchant/*', merchantAuth({ merchants, rateLimiter, logger: createSilentLogger() }))
    .get('/v1/merchant/whoami', (c) => c.json({ id: c.var.merchant.id }))
    .post(
      '/scoped/:merchantId/thing',
      merchantFromPath(merchants),
      merchantAuth({
        merchants,
        rateLimiter,
        logger: createSilentLogger(),
      }),
      (c) => c.json({ id: c.var.merchant.id }),
    );
}

describe('presentedToken', () => {
  test.each([
    ['Bearer abc', undefined, 'abc'],
    ['bearer   abc  ', undefined, 'abc'],
    [undefined, 'abc', 'abc'],
    [undefined, '  abc ', 'abc'],
    ['Basic abc', 'abc', null], // a present Authorization that is not Bearer is no token
    ['Bearer', undefined, null],
    ['Bearer a b', undefined, null],
    [undefined, '', null],
    [undefined, undefined, null],
  ])('Authorization %j, x-auth-token %j → %j', (authorization, xAuth, expected) => {
    expect(presentedToken(authorization, xAuth)).toBe(expected);
  });
});

describe('merchantAuth', () => {
  test('the token alone identifies the merchant, as Bearer or as x-auth-token', async () => {
    const app = merchantApi();
    const bearer = await app.request('/v1/merchant/whoami', {
      headers: { Authorization: `Bearer ${BETA_TOKEN}` },
    });
    expect(await bearer.json()).toEqual({ id: 'beta' });
    const xAuth = await app.request('/v1/merchant/whoami', { headers: { 'x-auth-token': ACME_TOKEN } });
    expect(await xAuth.json()).toEqual({ id: 'acme' });
    expect(xAuth.headers.get('Cache-Control')).toBe('no-store');
  });

  test("under a merchant path only that merchant's own token is accepted", async () => {
    const app = merchantApi();
    const own = await app.request('/scoped/acme/thing', {
      method: 'POST',
      headers: { 'x-auth-token': ACME_TOKEN },
    });
    expect(own.status).toBe(200);
    const other = await app.request('/scoped/acme/thing', {
      method: 'POST',
      headers: { 'x-auth-token': BETA_TOKEN },
    });
    expect(other.status).toBe(401);
    const unknown = await app.request('/scoped/nobody/thing', {
      method: 'POST',
      headers: { 'x-auth-token': ACME_TOKEN },
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_merchant');
  });

  test('every refusal is the same 401, byte for byte', async () => {
    const app = merchantApi(limiter(100));
    const cases: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong-token-0123456789' },
      { Authorization: `Basic ${ACME_TOKEN}` },
      { Authorization: 'Bearer' },
      { 'x-auth-token': 'wrong' },
      { 'x-auth-token': '' },
      { Authorization: 'Bearer a b c' },
    ];
    const answers = await Promise.all(
      cases.map(async (headers) => {
        const res = await app.request('/v1/merchant/whoami', { headers });
        return [res.status, res.headers.get('WWW-Authenticate'), await res.text()].join('|');
      }),
    );
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^401\|Bearer\|\{"error":\{"code":"unauthorized"/);
  });

  test('failures are limited per client address; a blocked address gets 429 even with the right token', async () => {
    const app = merchantApi(limiter(3));
    const from = (socket: string, token: string) =>
      app.request('/v1/merchant/whoami', { headers: { 'x-auth-token': token, 'X-Test-Socket': socket } });
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.1', 'wrong')).status).toBe(401);
    const blocked = await from('10.0.0.1', ACME_TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another address is not affected, and successes never count.
    for (let i = 0; i < 5; i++) expect((await from('10.0.0.2', ACME_TOKEN)).status).toBe(200);
  });

  test('the links route uses it: x-auth-token works there too', async () => {
    const t = await testApp();
    try {
      const res = await t.app.request(
        '/api/v1/merchants/acme/links',
        json({ idNumber: '12345678' }, { 'x-auth-token': ACME_TOKEN }),
      );
      expect(res.status).toBe(201);
    } finally {
      await t.close();
    }
  });
});
