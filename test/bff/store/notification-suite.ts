import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import type { NewNotification } from '../../../bff/store/notification-records';
import type { ConfirmationInput, NewOutboxMessage } from '../../../bff/store/store';
import type { StoreHarness } from './store-suite';

const T0 = new Date('2026-11-27T15:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function notification(overrides: Partial<NewNotification> = {}): NewNotification {
  return {
    merchantId: 'acme',
    dedupeKey: `statement:${randomUUID()}`,
    kind: 'statement',
    channel: 'email',
    recipient: 'payer@example.co',
    payerKey: 'payer-1',
    chargeId: null,
    content: JSON.stringify({ kind: 'statement' }),
    notBefore: T0,
    now: T0,
    ...overrides,
  };
}

const confirmation = (
  reference: string,
  status: ConfirmationInput['status'],
  overrides: Partial<ConfirmationInput> = {},
): ConfirmationInput => ({
  merchantId: 'acme',
  reference,
  transactionId: `tx_${randomUUID()}`,
  status,
  payuReference: 'pol_1',
  now: at(5),
  event: () => [],
  ...overrides,
});

const failedEvent = (id: string): NewOutboxMessage[] => [
  {
    messageId: `msg_failed_${id}`,
    merchantId: 'acme',
    url: 'https://erp.example.co/hooks',
    body: `{"id":"${id}"}`,
  },
];

/** The notification outbox on one engine; `harness()` is the storeSuite's fresh store of the running test. */
export function notificationSuite(harness: () => StoreHarness): void {
  test('notifications: one row per (merchant, key); a second enqueue writes nothing and returns the first', async () => {
    const store = harness().store;
    const n = notification({ dedupeKey: 'reminder:C-1:late-1' });
    const [first] = await store.enqueueNotifications([n]);
    const [again] = await store.enqueueNotifications([{ ...n, content: '{"other":true}' }]);
    const [otherMerchant] = await store.enqueueNotifications([{ ...n, merchantId: 'other' }]);
    expect(first).toMatchObject({ created: true, status: 'queued' });
    expect(again).toEqual({ ...first, created: false });
    expect(otherMerchant!.created).toBe(true);
    expect((await store.getNotification('acme', first!.id))?.content).toBe(n.content);
    expect(await store.getNotification('other', first!.id)).toBeNull();
    // One batch naming a key twice (and a new one): one row each, the first of the pair counts as created.
    const pair = notification({ dedupeKey: 'reminder:C-2:late-1' });
    const batch = await store.enqueueNotifications([pair, { ...pair, content: '{"second":true}' }, n]);
    expect(batch.map((r) => r.created)).toEqual([true, false, false]);
    expect(batch[0]!.id).toBe(batch[1]!.id);
    expect((await store.getNotification('acme', batch[0]!.id))?.content).toBe(pair.content);
  });

  test('notifications: the backlog counts waiting rows by kind, channel and status, and the oldest due one', async () => {
    const store = harness().store;
    expect(await store.notificationBacklog(T0)).toEqual({ waiting: [], oldestDueAt: null });
    const [held] = await store.enqueueNotifications([
      notification({ kind: 'reminder', channel: 'whatsapp', recipient: '573001112233' }),
      notification({ notBefore: at(10) }),
      notification({ notBefore: at(20) }),
      notification({ kind: 'receipt', dedupeKey: 'receipt:R-1' }),
    ]);
    const [sent] = await store.enqueueNotifications([
      notification({ kind: 'receipt', dedupeKey: 'receipt:R-2' }),
    ]);
    await store.markNotificationSent(sent!.id, null, T0);
    await store.holdNotification(held!.id, 'sunday', 'waits', at(600), T0);
    expect(await store.notificationBacklog(at(15))).toEqual({
      waiting: [
        { kind: 'receipt', channel: 'email', status: 'queued', count: 1 },
        { kind: 'reminder', channel: 'whatsapp', status: 'held', count: 1 },
        { kind: 'statement', channel: 'email', status: 'queued', count: 2 },
      ],
      oldestDueAt: T0,
    });
    expect((await store.notificationBacklog(at(-1))).oldestDueAt).toBeNull();
  });

  test('notifications: a row is claimed from its notBefore on, once per lease', async () => {
    const store = harness().store;
    const [row] = await store.enqueueNotifications([notification({ notBefore: at(60) })]);
    expect(await store.claimNotifications(at(59), 10, 60_000)).toEqual([]);
    const claimed = await store.claimNotifications(at(60), 10, 60_000);
    expect(claimed.map((c) => c.id)).toEqual([row!.id]);
    expect(claimed[0]).toMatchObject({ recipient: 'payer@example.co', kind: 'statement', attempts: 0 });
    expect(await store.claimNotifications(at(60.5), 10, 60_000)).toEqual([]);
    expect((await store.claimNotifications(at(61), 10, 60_000)).map((c) => c.id)).toEqual([row!.id]);
  });

  test('notifications: a held row keeps why it waits and comes back at its time', async () => {
    const store = harness().store;
    const [row] = await store.enqueueNotifications([notification({ kind: 'reminder' })]);
    await store.claimNotifications(T0, 10, 60_000);
    await store.holdNotification(row!.id, 'outside_hours', 'waits until 08:00', at(600), T0);
    const held = await store.getNotification('acme', row!.id);
    expect(held).toMatchObject({
      status: 'held',
      holdReason: 'outside_hours',
      holdDetail: 'waits until 08:00',
    });
    expect(held!.nextAttemptAt).toEqual(at(600));
    expect(await store.claimNotifications(at(599), 10, 60_000)).toEqual([]);
    expect(await store.claimNotifications(at(600), 10, 60_000)).toHaveLength(1);
    await store.markNotificationSent(row!.id, 'smtp-1', at(600));
    const sent = await store.getNotification('acme', row!.id);
    expect(sent).toMatchObject({ status: 'sent', providerId: 'smtp-1', holdReason: null, attempts: 1 });
    expect(sent!.sentAt).toEqual(at(600));
    expect(await store.claimNotifications(at(10_000), 10, 60_000)).toEqual([]);
  });

  test('notifications: a payer has one contact slot a day; the week remembers its channel', async () => {
    const store = harness().store;
    const [a, b] = await store.enqueueNotifications([notification(), notification({ channel: 'whatsapp' })]);
    const slot = { merchantId: 'acme', payerKey: 'p', day: '2026-11-24', week: '2026-11-23' };
    expect(await store.contactHistory({ ...slot, notificationId: a!.id })).toEqual({
      contactedToday: false,
      weekChannel: null,
    });
    expect(await store.takeContactSlot({ ...slot, channel: 'email', notificationId: a!.id, now: T0 })).toBe(
      true,
    );
    // The same notification retrying the same day keeps its slot; another one is refused.
    expect(await store.takeContactSlot({ ...slot, channel: 'email', notificationId: a!.id, now: T0 })).toBe(
      true,
    );
    expect(
      await store.takeContactSlot({ ...slot, channel: 'whatsapp', notificationId: b!.id, now: T0 }),
    ).toBe(false);
    expect(await store.contactHistory({ ...slot, notificationId: b!.id })).toEqual({
      contactedToday: true,
      weekChannel: 'email',
    });
    expect(await store.contactHistory({ ...slot, day: '2026-11-26', notificationId: b!.id })).toEqual({
      contactedToday: false,
      weekChannel: 'email',
    });
    expect(
      await store.contactHistory({ ...slot, day: '2026-11-30', week: '2026-11-30', notificationId: b!.id }),
    ).toEqual({ contactedToday: false, weekChannel: null });
  });

  test('notifications: a permanent failure is final, gives the day slot back and writes notification.failed', async () => {
    const store = harness().store;
    const [a, b] = await store.enqueueNotifications([notification(), notification()]);
    const slot = {
      merchantId: 'acme',
      payerKey: 'p',
      day: '2026-11-24',
      week: '2026-11-23',
      channel: 'email' as const,
    };
    await store.takeContactSlot({ ...slot, notificationId: a!.id, now: T0 });
    expect(await store.failNotification(a!.id, 'smtp_550', T0, (n) => failedEvent(n.id))).toBe(true);
    expect(await store.failNotification(a!.id, 'again', T0, (n) => failedEvent(n.id))).toBe(false);
    expect(await store.getNotification('acme', a!.id)).toMatchObject({
      status: 'failed',
      lastError: 'smtp_550',
    });
    expect(await store.takeContactSlot({ ...slot, notificationId: b!.id, now: T0 })).toBe(true);
    const events = await store.claimOutbox(at(1), 10, 60_000);
    expect(events.map((e) => e.messageId)).toEqual([`msg_failed_${a!.id}`]);
  });

  test('notifications: a retry counts the attempt and waits for its time', async () => {
    const store = harness().store;
    const [a] = await store.enqueueNotifications([notification()]);
    await store.claimNotifications(T0, 10, 60_000);
    await store.retryNotification(a!.id, at(5), 'connection_error', T0);
    expect(await store.getNotification('acme', a!.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'connection_error',
    });
    expect(await store.claimNotifications(at(4), 10, 60_000)).toEqual([]);
    expect(await store.claimNotifications(at(5), 10, 60_000)).toHaveLength(1);
  });

  test('notifications: provider statuses only move forward; failed after sent writes the event once', async () => {
    const store = harness().store;
    const [a] = await store.enqueueNotifications([notification({ channel: 'whatsapp' })]);
    await store.markNotificationSent(a!.id, 'wamid.A', T0);
    const apply = (s: 'sent' | 'delivered' | 'read' | 'failed') =>
      store.applyNotificationStatus('acme', 'wamid.A', s, s === 'failed' ? '131026' : null, at(1), (n) =>
        failedEvent(n.id),
      );
    expect((await apply('read'))?.status).toBe('read');
    expect((await apply('delivered'))?.status).toBe('read');
    expect(await store.applyNotificationStatus('other', 'wamid.A', 'read', null, at(1), () => [])).toBeNull();
    const [b] = await store.enqueueNotifications([notification({ channel: 'whatsapp' })]);
    await store.markNotificationSent(b!.id, 'wamid.B', T0);
    const fail = () =>
      store.applyNotificationStatus('acme', 'wamid.B', 'failed', '131026', at(1), (n) => failedEvent(n.id));
    expect((await fail())?.status).toBe('failed');
    expect((await fail())?.status).toBe('failed');
    expect((await store.claimOutbox(at(2), 10, 60_000)).map((e) => e.messageId)).toEqual([
      `msg_failed_${b!.id}`,
    ]);
  });

  test('notifications: a receipt given with a confirmation commits with the change, never with a duplicate or final one', async () => {
    const store = harness().store;
    const ref = `ref_${randomUUID()}`;
    const created = await store.createCheckout({
      reference: ref,
      merchantId: 'acme',
      idempotencyKey: `key_${randomUUID()}`,
      requestHash: 'h',
      currency: 'COP',
      amount: 10_000n,
      items: [{ ref: 'A-1', description: 'Item A-1', amount: 10_000n, metadata: null, webhookUrl: null }],
      action: 'https://payu.test',
      fields: { buyerEmail: 'buyer@example.co' },
      comment: null,
      deliveryAddress: null,
      now: T0,
      holdUntil: at(30),
    });
    if (created.kind !== 'created') throw new Error(created.kind);
    const reference = created.checkout.reference;
    const receipt = (c: { reference: string }, status: string) =>
      status === 'approved' ? [notification({ kind: 'receipt', dedupeKey: `receipt:${c.reference}` })] : [];
    const declined = await store.applyConfirmation(
      confirmation(reference, 'declined', { notifications: receipt }),
    );
    expect(declined.kind).toBe('applied');
    expect(await store.listNotifications('acme', { limit: 10 })).toEqual([]);
    const approval = confirmation(reference, 'approved', { notifications: receipt });
    expect((await store.applyConfirmation(approval)).kind).toBe('applied');
    expect((await store.applyConfirmation(approval)).kind).toBe('duplicate');
    expect(
      (await store.applyConfirmation(confirmation(reference, 'approved', { notifications: receipt }))).kind,
    ).toBe('final');
    const rows = await store.listNotifications('acme', { limit: 10 });
    expect(rows.map((r) => [r.kind, r.dedupeKey, r.status])).toEqual([
      ['receipt', `receipt:${reference}`, 'queued'],
    ]);
  });

  test('notifications: listed by charge, newest first', async () => {
    const store = harness().store;
    await store.enqueueNotifications([
      notification({ chargeId: 'C-1', kind: 'charge' }),
      notification({ chargeId: 'C-2', kind: 'charge' }),
      notification({ chargeId: 'C-1', kind: 'reminder' }),
    ]);
    const list = await store.listNotifications('acme', { chargeId: 'C-1', limit: 10 });
    expect(list.map((n) => n.kind)).toEqual(['reminder', 'charge']);
    expect(await store.listNotifications('acme', { limit: 2 })).toHaveLength(2);
    expect(await store.listNotifications('other', { limit: 10 })).toEqual([]);
  });

  test('notifications: two instances claiming never get the same row during a lease', async (ctx) => {
    const h = harness();
    if (!h.openAnother) ctx.skip('this engine cannot open a second instance on the same database');
    const other = await h.openAnother!();
    try {
      await h.store.enqueueNotifications(Array.from({ length: 30 }, () => notification()));
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          (n % 2 === 0 ? h.store : other).claimNotifications(at(1), 7, 60_000),
        ),
      );
      const ids = claims.flat().map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(30);
    } finally {
      await other.close();
    }
  });
}
