import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RateLimiter } from '../../../bff/app-deps';
import { proxyAllowList } from '../../../bff/http/client-ip';
import { createRateLimiter, createRateLimitRedis } from '../../../bff/http/rate-limit';
import { json, PAYER_ID, testApp, testConfig } from './support/app-fixture';

const config = testConfig();
/** The test's stand-in for the TCP peer: app.request has no socket. */
const socketHeader = (c: Context) => c.req.header('X-Test-Socket');

function limiter(
  options: { trustedProxies?: number; addresses?: string[]; redis?: Redis; keyPrefix?: string } = {},
) {
  return createRateLimiter({
    rateLimits: config.rateLimits,
    proxies: { hops: options.trustedProxies ?? 0, addresses: proxyAllowList(options.addresses) },
    idHashSecret: config.linkSecret,
    remoteAddress: socketHeader,
    ...(options.redis ? { redis: options.redis } : {}),
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
  });
}

async function appWith(rateLimiter: RateLimiter) {
  const t = await testApp({ rateLimiter });
  opened.push(t);
  return (socket: string, idNumber = PAYER_ID, headers: Record<string, string> = {}) =>
    t.app.request(
      '/api/v1/merchants/acme/lookup',
      json({ idNumber }, { 'X-Test-Socket': socket, ...headers }),
    );
}

const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

async function expectLimited(res: Response, maxSeconds: number) {
  expect(res.status).toBe(429);
  const body = (await res.json()) as { error: { code: string } };
  expect(body.error.code).toBe('rate_limited');
  const retryAfter = res.headers.get('Retry-After');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
}

describe('lookup rate limits (in memory)', () => {
  test('the 11th lookup from one address within a minute is refused with Retry-After', async () => {
    const lookup = await appWith(limiter());
    for (let i = 0; i < 10; i++) expect((await lookup('203.0.113.7', `1000000${i}`)).status).toBe(200);
    await expectLimited(await lookup('203.0.113.7', '20000000'), 60);
    // Another client is not affected.
    expect((await lookup('203.0.113.8', '20000000')).status).toBe(200);
  });

  test('one id number is limited across addresses (30 per 10 minutes)', async () => {
    const lookup = await appWith(limiter());
    for (let i = 0; i < 30; i++) expect((await lookup(`198.51.100.${i + 1}`)).status).toBe(200);
    await expectLimited(await lookup('198.51.100.200'), 600);
    // The same id at another merchant is another key; another id from a fresh address goes through.
    expect((await lookup('198.51.100.201', '87654321')).status).toBe(200);
  });

  test('X-Forwarded-For is ignored when no proxy is trusted', async () => {
    const lookup = await appWith(limiter({ trustedProxies: 0 }));
    for (let i = 0; i < 10; i++) {
      const res = await lookup('10.0.0.1', `3000000${i}`, { 'X-Forwarded-For': `192.0.2.${i}` });
      expect(res.status).toBe(200);
    }
    await expectLimited(await lookup('10.0.0.1', '40000000', { 'X-Forwarded-For': '192.0.2.99' }), 60);
  });

  test('with one trusted proxy the hop it wrote counts, not what the client prepended', async () => {
    const lookup = await appWith(limiter({ trustedProxies: 1 }));
    // All through the same proxy socket, from distinct clients: none limited by the proxy's address.
    for (let i = 0; i < 12; i++) {
      expect(
        (await lookup('10.0.0.1', `5000000${i % 10}${i}`, { 'X-Forwarded-For': `192.0.2.${i}` })).status,
      ).toBe(200);
    }
    // One client forging a different left part each time is still one client.
    for (let i = 0; i < 10; i++) {
      const res = await lookup('10.0.0.1', `6000000${i}`, { 'X-Forwarded-For': `7.7.7.${i}, 192.0.2.250` });
      expect(res.status).toBe(200);
    }
    await expectLimited(
      await lookup('10.0.0.1', '70000000', { 'X-Forwarded-For': '8.8.8.8, 192.0.2.250' }),
      60,
    );
  });

  test('trustedProxyAddresses: a client reaching the port directly cannot rotate X-Forwarded-For (issue 9.9)', async () => {
    const lookup = await appWith(limiter({ trustedProxies: 1, addresses: ['10.0.0.0/8'] }));
    // Straight to the port from 203.0.113.7, a new forged address every time: all one client.
    for (let i = 0; i < 10; i++) {
      const res = await lookup('203.0.113.7', `5100000${i}`, { 'X-Forwarded-For': `198.51.100.${i}` });
      expect(res.status).toBe(200);
    }
    await expectLimited(await lookup('203.0.113.7', '52000000', { 'X-Forwarded-For': '198.51.100.99' }), 60);
    // Through the proxy (a peer in 10.0.0.0/8) the forwarded address still decides.
    expect((await lookup('10.2.3.4', '53000000', { 'X-Forwarded-For': '198.51.100.99' })).status).toBe(200);
  });

  test('without trustedProxyAddresses the same direct client is counted by the address it forges', async () => {
    const lookup = await appWith(limiter({ trustedProxies: 1 }));
    for (let i = 0; i < 12; i++) {
      const res = await lookup('203.0.113.7', `5400000${i % 10}${i}`, {
        'X-Forwarded-For': `198.51.100.${i}`,
      });
      expect(res.status).toBe(200);
    }
  });

  test('an invalid id number is refused before it counts', async () => {
    const lookup = await appWith(limiter());
    for (let i = 0; i < 15; i++) expect((await lookup('203.0.113.9', 'x')).status).toBe(400);
    expect((await lookup('203.0.113.9')).status).toBe(200);
  });

  test('with Redis down, lookups keep working and stay limited in memory', async () => {
    const redis = createRateLimitRedis('redis://127.0.0.1:1', () => {});
    try {
      const lookup = await appWith(
        limiter({ redis, keyPrefix: `saldo-test:${randomBytes(6).toString('hex')}` }),
      );
      for (let i = 0; i < 10; i++) expect((await lookup('203.0.113.10', `1100000${i}`)).status).toBe(200);
      await expectLimited(await lookup('203.0.113.10', '12000000'), 60);
    } finally {
      redis.disconnect();
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const inCi = process.env.CI === 'true';

async function redisUnreachable(): Promise<string | null> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    probe.disconnect();
  }
}

const unreachable = await redisUnreachable();
if (unreachable !== null && inCi) {
  test(`Redis at ${redisUrl} is reachable (required when CI=true)`, () => {
    throw new Error(`Redis at ${redisUrl} is not reachable: ${unreachable}`);
  });
}

describe.skipIf(unreachable !== null)(
  unreachable === null
    ? 'lookup rate limits shared through Redis'
    : `lookup rate limits shared through Redis — skipped, not reachable at ${redisUrl}: ${unreachable}`,
  () => {
    const prefix = `saldo-test:${process.pid}:${randomBytes(6).toString('hex')}`;
    const clients: Redis[] = [];
    const redisErrors: Error[] = [];
    let admin: Redis;
    const connect = () => {
      const r = createRateLimitRedis(redisUrl, (err) => redisErrors.push(err));
      clients.push(r);
      return r;
    };
    const ready = (r: Redis) =>
      r.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => r.once('ready', () => resolve()));

    beforeAll(async () => {
      admin = new Redis(redisUrl);
    });
    afterAll(async () => {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await Promise.all([...clients, admin].map((r) => r.quit()));
      expect(redisErrors).toEqual([]);
    });

    test('two instances share one per-address budget', async () => {
      const keyPrefix = `${prefix}:ip`;
      const a = connect();
      const b = connect();
      await Promise.all([ready(a), ready(b)]);
      const lookupA = await appWith(limiter({ redis: a, keyPrefix }));
      const lookupB = await appWith(limiter({ redis: b, keyPrefix }));
      for (let i = 0; i < 5; i++) expect((await lookupA('203.0.113.20', `1300000${i}`)).status).toBe(200);
      for (let i = 5; i < 10; i++) expect((await lookupB('203.0.113.20', `1300000${i}`)).status).toBe(200);
      await expectLimited(await lookupA('203.0.113.20', '14000000'), 60);
      await expectLimited(await lookupB('203.0.113.20', '14000000'), 60);
    });

    test('two instances share one per-id budget, and Redis never sees the id number', async () => {
      const keyPrefix = `${prefix}:id`;
      const a = connect();
      const b = connect();
      await Promise.all([ready(a), ready(b)]);
      const lookupA = await appWith(limiter({ redis: a, keyPrefix }));
      const lookupB = await appWith(limiter({ redis: b, keyPrefix }));
      for (let i = 0; i < 30; i++) {
        const lookup = i % 2 === 0 ? lookupA : lookupB;
        expect((await lookup(`198.51.100.${i + 1}`)).status).toBe(200);
      }
      await expectLimited(await lookupB('198.51.100.100'), 600);
      const keys = await admin.keys(`${keyPrefix}*`);
      expect(keys.some((k) => k.includes(':id:acme:'))).toBe(true);
      expect(keys.join('\n')).not.toContain(PAYER_ID);
    });
  },
);
