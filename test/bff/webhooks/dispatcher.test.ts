import { Webhook } from 'standardwebhooks';
import { describe, expect, test } from 'vitest';
import type { MerchantConfig } from '../../../bff/config/config-schema';
import { createSilentLogger } from '../../../bff/observability/logger';
import type { OutboxMessage, Store } from '../../../bff/store/store';
import { backoffDelay, createWebhookDispatcher } from '../../../bff/webhooks/dispatcher';
import { createWebhookUrlGuard } from '../../../bff/webhooks/url-guard';
import { testConfig } from '../../support/fake-deps';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

/** An outbox with the three calls the dispatcher makes, recording what it was told. */
function fakeOutbox(messages: OutboxMessage[]) {
  const due = new Map(messages.map((m) => [m.id, { message: m, at: 0 }]));
  const delivered: string[] = [];
  const failed: { id: string; at: number; error: string }[] = [];
  const store = {
    async claimOutbox(now: Date, limit: number) {
      const out: OutboxMessage[] = [];
      for (const entry of due.values()) {
        if (entry.at <= now.getTime() && out.length < limit) out.push(entry.message);
      }
      // A lease: claimed messages are not due again until marked.
      for (const m of out) due.get(m.id)!.at = Number.POSITIVE_INFINITY;
      return out;
    },
    async markDelivered(id: string) {
      delivered.push(id);
      due.delete(id);
    },
    async markFailed(id: string, next: Date, error: string) {
      failed.push({ id, at: next.getTime(), error });
      const entry = due.get(id)!;
      entry.message = { ...entry.message, attempts: entry.message.attempts + 1 };
      entry.at = next.getTime();
    },
  } as unknown as Store;
  return { store, delivered, failed };
}

function merchantWith(secret: string): ReadonlyMap<string, MerchantConfig> {
  const merchant = testConfig({ merchant: { webhook: { url: 'http://127.0.0.1:9/hook', secret } } })
    .merchants[0]!;
  return new Map([[merchant.id, merchant]]);
}

const message = (over: Partial<OutboxMessage> = {}): OutboxMessage => ({
  id: '1',
  messageId: VECTOR.id,
  merchantId: 'acme',
  url: 'http://127.0.0.1:9/hook',
  body: VECTOR.body,
  attempts: 0,
  createdAt: new Date(VECTOR.timestamp * 1000),
  ...over,
});

describe('webhook dispatcher', () => {
  test('signs exactly like the Standard Webhooks test vector', async () => {
    const { store, delivered } = fakeOutbox([message()]);
    const seen: Record<string, string>[] = [];
    const dispatcher = createWebhookDispatcher({
      store,
      merchants: merchantWith(VECTOR.secret),
      logger: createSilentLogger(),
      now: () => new Date(VECTOR.timestamp * 1000),
      fetch: async (_url, init) => {
        seen.push(Object.fromEntries(new Headers(init?.headers).entries()));
        return new Response(null, { status: 204 });
      },
    });
    expect(await dispatcher.runOnce()).toBe(1);
    expect(seen[0]).toMatchObject({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
      'content-type': 'application/json',
    });
    expect(delivered).toEqual(['1']);
  });

  test('a failed delivery is retried later with the same webhook-id and body, and a new valid signature', async () => {
    const { store, delivered, failed } = fakeOutbox([message({ messageId: 'msg_retry', body: '{"a":1}' })]);
    let clock = 1_800_000_000_000;
    const attempts: { headers: Record<string, string>; body: string }[] = [];
    const dispatcher = createWebhookDispatcher({
      store,
      merchants: merchantWith(VECTOR.secret),
      logger: createSilentLogger(),
      now: () => new Date(clock),
      random: () => 0.5,
      backoffBaseMs: 1000,
      fetch: async (_url, init) => {
        attempts.push({
          headers: Object.fromEntries(new Headers(init?.headers).entries()),
          body: String(init?.body),
        });
        return new Response('busy', { status: attempts.length < 3 ? 503 : 200 });
      },
    });
    await dispatcher.runOnce();
    expect(failed).toEqual([{ id: '1', at: clock + 1000, error: 'http_503' }]);
    // Not due yet: nothing is sent.
    await dispatcher.runOnce();
    expect(attempts).toHaveLength(1);
    clock += 1000;
    await dispatcher.runOnce();
    expect(failed[1]).toEqual({ id: '1', at: clock + 2000, error: 'http_503' });
    clock += 2000;
    await dispatcher.runOnce();
    expect(delivered).toEqual(['1']);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set(['msg_retry']));
    expect(new Set(attempts.map((a) => a.body))).toEqual(new Set(['{"a":1}']));
    const last = attempts[2]!;
    // Each attempt is signed afresh for its own timestamp (receivers reject stale timestamps).
    expect(last.headers['webhook-signature']).toBe(
      new Webhook(VECTOR.secret).sign('msg_retry', new Date(clock), '{"a":1}'),
    );
    expect(last.headers['webhook-timestamp']).toBe(String(Math.floor(clock / 1000)));
  });

  test('a connection error or a redirect is a failure, never a delivery', async () => {
    const { store, delivered, failed } = fakeOutbox([message({ id: 'a' }), message({ id: 'b' })]);
    let call = 0;
    const dispatcher = createWebhookDispatcher({
      store,
      merchants: merchantWith(VECTOR.secret),
      logger: createSilentLogger(),
      fetch: async () => {
        call++;
        if (call === 1) throw new TypeError('fetch failed');
        return new Response(null, { status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } });
      },
    });
    await dispatcher.runOnce();
    expect(delivered).toEqual([]);
    expect(failed.map((f) => f.error).sort()).toEqual(['connection_error', 'http_302']);
  });

  test('the backoff doubles from its base, is capped, and jitters within ±20 %', () => {
    expect(backoffDelay(1, 5000, 60_000, () => 0.5)).toBe(5000);
    expect(backoffDelay(2, 5000, 60_000, () => 0.5)).toBe(10_000);
    expect(backoffDelay(10, 5000, 60_000, () => 0.5)).toBe(60_000);
    expect(backoffDelay(3, 5000, 60_000, () => 0)).toBe(16_000);
    expect(backoffDelay(3, 5000, 60_000, () => 1)).toBe(24_000);
  });
});

describe('webhook URL guard (production)', () => {
  const guard = createWebhookUrlGuard(async (host) => {
    const table: Record<string, string> = {
      'hooks.acme.co': '93.184.216.34',
      'internal.acme.co': '10.0.0.5',
    };
    const address = table[String(host)];
    if (!address) throw new Error('ENOTFOUND');
    return [{ address }];
  });

  test.each([
    ['https://hooks.acme.co/events', true],
    ['http://hooks.acme.co/events', false],
    ['https://internal.acme.co/events', false],
    ['https://127.0.0.1/events', false],
    ['https://169.254.169.254/latest/meta-data', false],
    ['https://[::1]/events', false],
    ['https://user:pw@hooks.acme.co/events', false],
    ['https://unknown.example/events', false],
    ['not a url', false],
  ])('%s → %s', async (url, allowed) => {
    expect(await guard(url)).toBe(allowed);
  });
});
