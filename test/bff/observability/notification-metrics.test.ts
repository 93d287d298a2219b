import { afterEach, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import type { ChannelSender } from '../../../bff/notifications/channel';
import { createNotificationJob } from '../../../bff/notifications/notification-job';
import { createSilentLogger } from '../../../bff/observability/logger';
import { createMetrics } from '../../../bff/observability/metrics';
import type { NewNotification } from '../../../bff/store/notification-records';
import { createSqliteStore } from '../../../bff/store/sqlite-store';
import { fakeDeps } from '../../support/fake-deps';

/**
 * Notification metrics through /metrics (docs/spec/notifications.md "Metrics"): what this instance's job did
 * (sent, failed, deferred with the reason) and what waits in the shared outbox (by kind, channel, status; the
 * age of the oldest due row). The clock is injected: the age is computed, never waited for.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const SUNDAY_10 = new Date('2026-11-29T10:00:00-05:00');

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return undefined;
}

const row = (over: Partial<NewNotification>): NewNotification => ({
  merchantId: 'acme',
  dedupeKey: 'x',
  kind: 'receipt',
  channel: 'email',
  recipient: 'buyer@example.co',
  payerKey: 'to:1',
  chargeId: null,
  content: JSON.stringify({ kind: over.kind ?? 'receipt' }),
  notBefore: SUNDAY_10,
  now: SUNDAY_10,
  ...over,
});

test('/metrics counts sent, failed and deferred notifications by kind and channel, and the outbox backlog and age', async () => {
  const store = createSqliteStore(':memory:');
  cleanups.push(() => store.close());
  let clock = SUNDAY_10;
  const metrics = createMetrics({
    notificationBacklog: () => store.notificationBacklog(clock),
    now: () => clock,
  });
  const deps = await fakeDeps({ store, now: SUNDAY_10 });
  const app = createApp({ ...deps, metrics, renderMetrics: () => metrics.render() });
  const scrape = async () => {
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    return res.text();
  };

  await store.enqueueNotifications([
    row({ dedupeKey: 'receipt:R-1' }),
    row({ dedupeKey: 'receipt:R-2', recipient: 'nobody@bounce.invalid' }),
    row({ dedupeKey: 'reminder:C-1:e1', kind: 'reminder', channel: 'whatsapp', recipient: '573001112233' }),
    row({ dedupeKey: 'receipt:R-3', recipient: 'slow@example.co' }),
  ]);
  clock = new Date(SUNDAY_10.getTime() + 90_000);
  let text = await scrape();
  expect(
    sample(text, 'saldo_notifications_queued', { kind: 'receipt', channel: 'email', status: 'queued' }),
  ).toBe(3);
  expect(
    sample(text, 'saldo_notifications_queued', { kind: 'reminder', channel: 'whatsapp', status: 'queued' }),
  ).toBe(1);
  expect(sample(text, 'saldo_notification_outbox_oldest_due_seconds')).toBe(90);
  expect(
    sample(text, 'saldo_notifications_total', { kind: 'receipt', channel: 'email', outcome: 'sent' }),
  ).toBeUndefined();

  const email: ChannelSender = {
    available: () => true,
    send: async (n) => {
      if (n.recipient.endsWith('@bounce.invalid')) return { ok: false, permanent: true, error: 'smtp_550' };
      if (n.recipient.startsWith('slow@')) return { ok: false, permanent: false, error: 'smtp_451' };
      return { ok: true, providerId: null };
    },
  };
  const whatsapp: ChannelSender = {
    available: () => true,
    send: async () => ({ ok: true, providerId: 'w' }),
  };
  const job = createNotificationJob({
    store,
    merchants: deps.merchants,
    senders: { email, whatsapp },
    logger: createSilentLogger(),
    now: () => clock,
    random: () => 0.5,
    observe: (n, outcome, reason) => metrics.notification(n.kind, n.channel, outcome, reason),
  });
  expect(await job.runOnce()).toBe(4);

  text = await scrape();
  const total = (kind: string, channel: string, outcome: string) =>
    sample(text, 'saldo_notifications_total', { kind, channel, outcome });
  expect(total('receipt', 'email', 'sent')).toBe(1);
  expect(total('receipt', 'email', 'failed')).toBe(1);
  expect(total('receipt', 'email', 'deferred')).toBe(1);
  // A reminder on a Sunday waits for Monday (Ley 2300).
  expect(total('reminder', 'whatsapp', 'deferred')).toBe(1);
  expect(total('reminder', 'whatsapp', 'sent')).toBeUndefined();
  expect(
    sample(text, 'saldo_notifications_deferred_total', {
      kind: 'reminder',
      channel: 'whatsapp',
      reason: 'sunday',
    }),
  ).toBe(1);
  expect(
    sample(text, 'saldo_notifications_deferred_total', {
      kind: 'receipt',
      channel: 'email',
      reason: 'retry',
    }),
  ).toBe(1);
  // What waits now: the held reminder and the receipt to retry, neither due yet.
  expect(
    sample(text, 'saldo_notifications_queued', { kind: 'reminder', channel: 'whatsapp', status: 'held' }),
  ).toBe(1);
  expect(
    sample(text, 'saldo_notifications_queued', { kind: 'receipt', channel: 'email', status: 'queued' }),
  ).toBe(1);
  expect(sample(text, 'saldo_notification_outbox_oldest_due_seconds')).toBe(0);
  // No address, id number or name reaches a label.
  expect(text).not.toMatch(/bounce\.invalid|example\.co|573001112233/);
});
