import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { paymentTransition, type ReportedStatus } from '../../../bff/store/payment-transition';
import type { PaymentStatus } from '../../../shared/api/schemas';
import type {
  CheckoutItemRecord,
  ConfirmationResult,
  CheckoutRecord,
  ConfirmationInput,
  NewCheckout,
  NewOutboxMessage,
  Store,
} from '../../../bff/store/store';
import { notificationSuite } from './notification-suite';
import { chargeStoreSuite } from './charge-suite';

/** A fresh, migrated, empty store per test, plus (where the engine can) more instances on the same database. */
export interface StoreHarness {
  readonly store: Store;
  /** Another Store on the same database, as a second BFF instance would open it; null for ':memory:'. */
  readonly openAnother: (() => Promise<Store>) | null;
  dispose(): Promise<void>;
}

export const T0 = new Date('2025-03-10T15:00:00.000Z');
const MINUTE = 60_000;
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * MINUTE);

const MERCHANT = 'acme';
const BIG = 123_456_789_012_345_678n; // beyond 2^53: any trip through a JS number would change it

export function item(
  ref: string,
  amount: bigint = 10_000n,
  extra: Partial<CheckoutItemRecord> = {},
): CheckoutItemRecord {
  return {
    ref,
    description: `Item ${ref}`,
    amount,
    metadata: { ref },
    webhookUrl: null,
    dueTotal: null,
    ...extra,
  };
}

export function newCheckout(overrides: Partial<NewCheckout> = {}): NewCheckout {
  const items = overrides.items ?? [item('A-1')];
  const reference = overrides.reference ?? `ref_${randomUUID()}`;
  return {
    reference,
    merchantId: MERCHANT,
    idempotencyKey: `key_${randomUUID()}`,
    requestHash: 'hash-1',
    currency: 'COP',
    amount: items.reduce((sum, i) => sum + i.amount, 0n),
    items,
    action: 'https://sandbox.checkout.payulatam.com/ppp-web-gateway-payu/',
    fields: { merchantId: '508029', referenceCode: reference, amount: '10000', currency: 'COP' },
    comment: null,
    deliveryAddress: null,
    now: T0,
    holdUntil: at(30),
    ...overrides,
  };
}

/** One webhook per state change, with a body that names the change so tests can count them. */
export function eventFor(checkout: CheckoutRecord, status: string): NewOutboxMessage[] {
  return [
    {
      messageId: `msg_${checkout.reference}_${status}_${checkout.transactionId ?? ''}`,
      merchantId: checkout.merchantId,
      url: 'https://erp.example.co/saldo-events',
      body: JSON.stringify({ type: 'payment.updated', reference: checkout.reference, status }),
    },
  ];
}

export function confirmation(
  reference: string,
  status: ConfirmationInput['status'],
  overrides: Partial<ConfirmationInput> = {},
): ConfirmationInput {
  return {
    merchantId: MERCHANT,
    reference,
    transactionId: `tx_${randomUUID()}`,
    status,
    payuReference: `pol_${randomUUID().slice(0, 8)}`,
    now: at(5),
    event: eventFor,
    ...overrides,
  };
}

async function created(store: Store, input: NewCheckout): Promise<CheckoutRecord> {
  const result = await store.createCheckout(input);
  if (result.kind !== 'created') throw new Error(`expected created, got ${result.kind}`);
  return result.checkout;
}

function countKinds(results: readonly { readonly kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

/** Drains every due message (claims far in the future so nothing is skipped for its schedule). */
async function allMessages(store: Store) {
  return store.claimOutbox(at(24 * 60), 1000, 1);
}

/** Every status a path from `start` that uses each change exactly once can end in. */
function chainEnds(
  start: PaymentStatus,
  changes: readonly { from: PaymentStatus; to: PaymentStatus }[],
): PaymentStatus[] {
  if (changes.length === 0) return [start];
  return changes.flatMap((c, i) =>
    c.from === start ? chainEnds(c.to, [...changes.slice(0, i), ...changes.slice(i + 1)]) : [],
  );
}

function report(label: string, ms: number): void {
  if (process.env.STORE_TIMINGS) console.log(`[store timing] ${label}: ${ms.toFixed(0)} ms`);
}

export function storeSuite(open: () => Promise<StoreHarness>): void {
  let h: StoreHarness;
  let store: Store;
  beforeEach(async () => {
    h = await open();
    store = h.store;
  });
  afterEach(async () => {
    await h.dispose();
  });

  chargeStoreSuite(() => h);

  test('migrate a second time is a no-op that keeps the data', async () => {
    const checkout = await created(store, newCheckout());
    await store.migrate();
    await store.migrate();
    expect(await store.getCheckout(MERCHANT, checkout.reference)).toEqual(checkout);
    expect(await store.ping()).toBe(true);
  });

  test('a checkout round-trips with bigint amounts beyond 2^53, JSON metadata and dates', async () => {
    const input = newCheckout({
      currency: 'USD',
      items: [
        item('B-2', BIG, {
          description: 'Cuota 1 — ñandú',
          metadata: { nested: { list: [1, 'two', null, true] }, note: 'áé "quoted"', zeta: 1, alpha: 2 },
          webhookUrl: 'https://erp.example.co/hook',
          dueTotal: BIG + 7n,
        }),
        item('A-1', 1n, { metadata: null }),
      ],
      amount: BIG + 1n,
      comment: 'Entregar en portería',
      deliveryAddress: { line1: 'Calle 1 # 2-3', city: 'Bogotá' },
      holdUntil: at(45),
      payerHash: 'fp_Zm9vYmFy',
    });
    const result = await store.createCheckout(input);
    expect(result.kind).toBe('created');
    const stored = await store.getCheckout(MERCHANT, input.reference);
    const expected: CheckoutRecord = {
      reference: input.reference,
      merchantId: MERCHANT,
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      status: 'pending',
      currency: 'USD',
      amount: BIG + 1n,
      items: input.items,
      action: input.action,
      fields: input.fields,
      comment: 'Entregar en portería',
      deliveryAddress: { line1: 'Calle 1 # 2-3', city: 'Bogotá' },
      createdAt: T0,
      updatedAt: T0,
      holdUntil: at(45),
      payuReference: null,
      transactionId: null,
      payerHash: 'fp_Zm9vYmFy',
      paymentMethodType: null,
    };
    expect(stored).toEqual(expected);
    expect(result.kind === 'created' && result.checkout).toEqual(expected);
    expect(stored!.amount).toBe(123_456_789_012_345_679n);
    expect(stored!.items.map((i) => i.ref)).toEqual(['B-2', 'A-1']);
    // The metadata goes to merchants' webhooks as they sent it: key order included.
    expect(Object.keys(stored!.items[0]!.metadata as object)).toEqual(['nested', 'note', 'zeta', 'alpha']);
  });

  test('getCheckout answers null for an unknown reference and for another merchant', async () => {
    const checkout = await created(store, newCheckout());
    expect(await store.getCheckout(MERCHANT, 'ref_missing')).toBeNull();
    expect(await store.getCheckout('other', checkout.reference)).toBeNull();
  });

  test('the same idempotency key returns the stored checkout and stores nothing new', async () => {
    const first = await created(store, newCheckout({ idempotencyKey: 'k1' }));
    const replay = await store.createCheckout(newCheckout({ idempotencyKey: 'k1', requestHash: 'hash-2' }));
    expect(replay).toEqual({ kind: 'idempotent', checkout: first });
    expect(replay.kind === 'idempotent' && replay.checkout.requestHash).toBe('hash-1');
  });

  test('an idempotent replay wins over the hold check, even after the hold has passed', async () => {
    const first = await created(store, newCheckout({ idempotencyKey: 'k1' }));
    const replay = await store.createCheckout(newCheckout({ idempotencyKey: 'k1', now: at(10) }));
    expect(replay).toEqual({ kind: 'idempotent', checkout: first });
  });

  test('findByIdempotencyKey finds the checkout of a key, per merchant', async () => {
    const checkout = await created(store, newCheckout({ idempotencyKey: 'k1', items: [item('A-1', BIG)] }));
    expect(await store.findByIdempotencyKey(MERCHANT, 'k1')).toEqual(checkout);
    expect(await store.findByIdempotencyKey(MERCHANT, 'k2')).toBeNull();
    expect(await store.findByIdempotencyKey('other', 'k1')).toBeNull();
  });

  test('idempotency keys are per merchant', async () => {
    await created(store, newCheckout({ idempotencyKey: 'k1' }));
    const other = await store.createCheckout(newCheckout({ idempotencyKey: 'k1', merchantId: 'other' }));
    expect(other.kind).toBe('created');
  });

  test('two concurrent creates with one key: one is created, the other returns it as idempotent', async () => {
    const a = newCheckout({ idempotencyKey: 'race' });
    const b = newCheckout({ idempotencyKey: 'race' });
    const results = await Promise.all([store.createCheckout(a), store.createCheckout(b)]);
    const kinds = results.map((r) => r.kind).sort();
    expect(kinds).toEqual(['created', 'idempotent']);
    const winner = results.find((r) => r.kind === 'created')!;
    const loser = results.find((r) => r.kind === 'idempotent')!;
    expect(loser.kind === 'idempotent' && loser.checkout).toEqual(
      winner.kind === 'created' && winner.checkout,
    );
    const losingReference = winner.kind === 'created' && winner.checkout.reference === a.reference ? b : a;
    expect(await store.getCheckout(MERCHANT, losingReference.reference)).toBeNull();
  });

  test('20 concurrent creates with one key (two instances where the engine can): one created, the rest replay it, never pending', async () => {
    const other = h.openAnother ? await h.openAnother() : store;
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          (n % 2 === 0 ? store : other).createCheckout(
            newCheckout({ idempotencyKey: 'one-key', items: [item('B-2'), item('A-1')] }),
          ),
        ),
      );
      expect(countKinds(results)).toEqual({ created: 1, idempotent: 19 });
      const winner = results.find((r) => r.kind === 'created')!;
      for (const r of results) {
        if (r.kind === 'idempotent') expect(r.checkout).toEqual(winner.kind === 'created' && winner.checkout);
      }
      // The holds belong to that one checkout, and a later request with the key still replays it.
      const states = await store.itemStates(MERCHANT, ['A-1', 'B-2'], at(1));
      expect([...states.values()].map((s) => s.pending)).toEqual([true, true]);
      const again = await other.createCheckout(
        newCheckout({ idempotencyKey: 'one-key', items: [item('A-1')], now: at(1) }),
      );
      expect(again.kind === 'idempotent' && again.checkout.reference).toBe(
        winner.kind === 'created' && winner.checkout.reference,
      );
    } finally {
      if (other !== store) await other.close();
    }
  });

  test('a held ref refuses a second checkout with the refs held, and the refusal holds nothing', async () => {
    const first = await created(store, newCheckout({ items: [item('A-1'), item('B-2')] }));
    const second = newCheckout({ items: [item('C-3'), item('B-2')], now: at(1) });
    expect(await store.createCheckout(second)).toEqual({ kind: 'pending', refs: ['B-2'] });
    expect(await store.getCheckout(MERCHANT, second.reference)).toBeNull();
    const states = await store.itemStates(MERCHANT, ['A-1', 'B-2', 'C-3'], at(1));
    expect(states.get('C-3')).toEqual({ paid: 0n, pending: false });
    expect(states.get('B-2')).toEqual({
      paid: 0n,
      pending: true,
      hold: { reference: first.reference, until: first.holdUntil },
    });
    // C-3 was not left held by the refused attempt.
    expect((await store.createCheckout(newCheckout({ items: [item('C-3')], now: at(2) }))).kind).toBe(
      'created',
    );
  });

  test('holds are per merchant', async () => {
    await created(store, newCheckout({ items: [item('A-1')] }));
    const other = await store.createCheckout(newCheckout({ merchantId: 'other', items: [item('A-1')] }));
    expect(other.kind).toBe('created');
  });

  test('a hold that has passed no longer blocks: from its hold time on, the item is free', async () => {
    const first = await created(store, newCheckout({ items: [item('A-1')], holdUntil: at(30) }));
    expect((await store.createCheckout(newCheckout({ now: at(29) }))).kind).toBe('pending');
    expect((await store.itemStates(MERCHANT, ['A-1'], at(30))).get('A-1')!.pending).toBe(false);
    const second = await store.createCheckout(newCheckout({ now: at(30), holdUntil: at(60) }));
    expect(second.kind).toBe('created');
    // The old checkout is still pending (PayU may confirm it late) but the item is now held by the new one.
    expect((await store.getCheckout(MERCHANT, first.reference))!.status).toBe('pending');
    expect((await store.createCheckout(newCheckout({ now: at(31) }))).kind).toBe('pending');
  });

  test.each(['declined', 'expired', 'error', 'approved'] as const)(
    'a %s confirmation releases the hold',
    async (status) => {
      const first = await created(store, newCheckout({ items: [item('A-1')] }));
      expect((await store.itemStates(MERCHANT, ['A-1'], at(1))).get('A-1')!.pending).toBe(true);
      expect((await store.applyConfirmation(confirmation(first.reference, status))).kind).toBe('applied');
      expect((await store.itemStates(MERCHANT, ['A-1'], at(6))).get('A-1')!.pending).toBe(false);
      expect((await store.createCheckout(newCheckout({ now: at(6) }))).kind).toBe('created');
    },
  );

  test('itemStates sums approved amounts only, flags live holds, and defaults missing refs', async () => {
    const one = await created(store, newCheckout({ items: [item('A-1', 30_000n), item('B-2', BIG)] }));
    await store.applyConfirmation(confirmation(one.reference, 'approved', { now: at(1) }));
    const two = await created(
      store,
      newCheckout({ items: [item('A-1', 5_000n)], now: at(2), holdUntil: at(32) }),
    );
    await store.applyConfirmation(confirmation(two.reference, 'approved', { now: at(3) }));
    const declined = await created(
      store,
      newCheckout({ items: [item('A-1', 7n)], now: at(4), holdUntil: at(34) }),
    );
    await store.applyConfirmation(confirmation(declined.reference, 'declined', { now: at(5) }));
    const live = await created(
      store,
      newCheckout({ items: [item('A-1', 11n)], now: at(6), holdUntil: at(36) }),
    );
    await created(store, newCheckout({ merchantId: 'other', items: [item('A-1', 999n)], now: at(6) }));

    const states = await store.itemStates(MERCHANT, ['A-1', 'B-2', 'Z-9'], at(10));
    expect(Object.fromEntries(states)).toEqual({
      'A-1': { paid: 35_000n, pending: true, hold: { reference: live.reference, until: at(36) } },
      'B-2': { paid: BIG, pending: false },
      'Z-9': { paid: 0n, pending: false },
    });
    expect((await store.itemStates(MERCHANT, ['A-1'], at(36))).get('A-1')).toEqual({
      paid: 35_000n,
      pending: false,
    });
    expect((await store.itemStates(MERCHANT, [], at(10))).size).toBe(0);
  });

  test('an approval applies once and writes its event in the same change', async () => {
    const checkout = await created(store, newCheckout());
    const input = confirmation(checkout.reference, 'approved', { payuReference: '845060111', now: at(7) });
    const result = await store.applyConfirmation(input);
    expect(result.kind).toBe('applied');
    if (result.kind !== 'applied') return;
    expect(result.previous).toBe('pending');
    expect(result.checkout).toMatchObject({
      status: 'approved',
      payuReference: '845060111',
      transactionId: input.transactionId,
      updatedAt: at(7),
      createdAt: T0,
    });
    expect(await store.getCheckout(MERCHANT, checkout.reference)).toEqual(result.checkout);
    expect(await store.outboxBacklog()).toBe(1);
    const [message] = await store.claimOutbox(at(7), 10, 60_000);
    expect(message).toMatchObject({
      messageId: `msg_${checkout.reference}_approved_${input.transactionId}`,
      merchantId: MERCHANT,
      url: 'https://erp.example.co/saldo-events',
      body: JSON.stringify({ type: 'payment.updated', reference: checkout.reference, status: 'approved' }),
      attempts: 0,
      createdAt: at(7),
    });
    expect(typeof message!.id).toBe('string');
  });

  test('the event callback sees the updated checkout', async () => {
    const checkout = await created(store, newCheckout());
    let seen: [CheckoutRecord, string] | null = null;
    await store.applyConfirmation(
      confirmation(checkout.reference, 'declined', {
        event: (c, s) => {
          seen = [c, s];
          return [];
        },
      }),
    );
    expect(seen![0].status).toBe('declined');
    expect(seen![1]).toBe('declined');
    expect(await store.outboxBacklog()).toBe(0);
  });

  test('a duplicate transaction_id changes nothing and writes no event', async () => {
    const checkout = await created(store, newCheckout());
    const input = confirmation(checkout.reference, 'declined');
    const first = await store.applyConfirmation(input);
    const again = await store.applyConfirmation({ ...input, now: at(9) });
    expect(again).toEqual({ kind: 'duplicate', checkout: first.kind === 'applied' && first.checkout });
    expect(await store.outboxBacklog()).toBe(1);
  });

  test('getCheckoutForConfirmation: the checkout, and whether the transaction_id is recorded (any outcome)', async () => {
    const checkout = await created(store, newCheckout());
    const input = confirmation(checkout.reference, 'declined');
    expect(await store.getCheckoutForConfirmation(MERCHANT, checkout.reference, input.transactionId)).toEqual(
      {
        checkout,
        recorded: false,
      },
    );
    expect(await store.getCheckoutForConfirmation(MERCHANT, 'ref_missing', input.transactionId)).toBeNull();
    expect(
      await store.getCheckoutForConfirmation('other', checkout.reference, input.transactionId),
    ).toBeNull();
    const applied = await store.applyConfirmation(input);
    expect(applied.kind).toBe('applied');
    const after = await store.getCheckoutForConfirmation(MERCHANT, checkout.reference, input.transactionId);
    expect(after).toEqual({ checkout: applied.kind === 'applied' && applied.checkout, recorded: true });
    // A transaction recorded as no change (final) is recorded too; another transaction id is not.
    const same = confirmation(checkout.reference, 'declined');
    expect((await store.applyConfirmation(same)).kind).toBe('final');
    expect(
      (await store.getCheckoutForConfirmation(MERCHANT, checkout.reference, same.transactionId))?.recorded,
    ).toBe(true);
    const other = confirmation(checkout.reference, 'approved');
    expect(
      (await store.getCheckoutForConfirmation(MERCHANT, checkout.reference, other.transactionId))?.recorded,
    ).toBe(false);
  });

  test('50 concurrent identical approvals: exactly one applies, paid is counted once, one event', async () => {
    const checkout = await created(store, newCheckout({ items: [item('A-1', BIG)] }));
    const input = confirmation(checkout.reference, 'approved');
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.applyConfirmation(input)));
    report(`${store.engine}: 50 concurrent identical approvals`, performance.now() - started);
    expect(countKinds(results)).toEqual({ applied: 1, duplicate: 49 });
    expect((await store.itemStates(MERCHANT, ['A-1'], at(6))).get('A-1')).toEqual({
      paid: BIG,
      pending: false,
    });
    expect(await allMessages(store)).toHaveLength(1);
  });

  test('declined, then approved with a new transaction: approved, one event each', async () => {
    const checkout = await created(store, newCheckout());
    const declined = await store.applyConfirmation(
      confirmation(checkout.reference, 'declined', { now: at(3) }),
    );
    const approved = await store.applyConfirmation(
      confirmation(checkout.reference, 'approved', { now: at(8) }),
    );
    expect(declined.kind).toBe('applied');
    expect(approved.kind === 'applied' && approved.previous).toBe('declined');
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.status).toBe('approved');
    const bodies = (await allMessages(store)).map((m) => JSON.parse(m.body).status);
    expect(bodies).toEqual(['declined', 'approved']);
  });

  test('approved is final: a later declined is recorded but changes nothing and writes no event', async () => {
    const checkout = await created(store, newCheckout());
    const approval = confirmation(checkout.reference, 'approved', { now: at(3) });
    await store.applyConfirmation(approval);
    const decline = confirmation(checkout.reference, 'declined', { now: at(8) });
    const result = await store.applyConfirmation(decline);
    expect(result.kind).toBe('final');
    const stored = await store.getCheckout(MERCHANT, checkout.reference);
    expect(stored).toMatchObject({
      status: 'approved',
      transactionId: approval.transactionId,
      updatedAt: at(3),
    });
    expect(result.kind === 'final' && result.checkout).toEqual(stored);
    // Recorded: its replay is a duplicate.
    expect((await store.applyConfirmation(decline)).kind).toBe('duplicate');
    expect(await allMessages(store)).toHaveLength(1);
  });

  test('a new transaction repeating the current status is no change: final, no event', async () => {
    const checkout = await created(store, newCheckout());
    await store.applyConfirmation(confirmation(checkout.reference, 'declined', { now: at(3) }));
    const again = await store.applyConfirmation(confirmation(checkout.reference, 'declined', { now: at(4) }));
    expect(again.kind).toBe('final');
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.updatedAt).toEqual(at(3));
    expect(await allMessages(store)).toHaveLength(1);
  });

  test('a stale checkout from the caller: approved meanwhile, a later declined is final with no event', async () => {
    const read = await created(store, newCheckout());
    await store.applyConfirmation(confirmation(read.reference, 'approved', { now: at(3), checkout: read }));
    const result = await store.applyConfirmation(
      confirmation(read.reference, 'declined', { now: at(4), checkout: read }),
    );
    expect(result.kind).toBe('final');
    const stored = await store.getCheckout(MERCHANT, read.reference);
    expect(stored).toMatchObject({ status: 'approved', updatedAt: at(3) });
    expect(result.kind === 'final' && result.checkout).toEqual(stored);
    expect((await allMessages(store)).map((m) => JSON.parse(m.body).status)).toEqual(['approved']);
  });

  test('a stale checkout from the caller: declined when read, error meanwhile, a new declined applies', async () => {
    const checkout = await created(store, newCheckout());
    await store.applyConfirmation(confirmation(checkout.reference, 'declined', { now: at(3) }));
    const readDeclined = (await store.getCheckout(MERCHANT, checkout.reference))!;
    await store.applyConfirmation(confirmation(checkout.reference, 'error', { now: at(4) }));
    const again = confirmation(checkout.reference, 'declined', { now: at(5), checkout: readDeclined });
    const result = await store.applyConfirmation(again);
    expect(result.kind === 'applied' && result.previous).toBe('error');
    const stored = await store.getCheckout(MERCHANT, checkout.reference);
    expect(stored).toMatchObject({
      status: 'declined',
      updatedAt: at(5),
      transactionId: again.transactionId,
    });
    expect(result.kind === 'applied' && result.checkout).toEqual(stored);
    expect((await allMessages(store)).map((m) => JSON.parse(m.body).status)).toEqual([
      'declined',
      'error',
      'declined',
    ]);
  });

  test('a checkout from the caller for another reference or merchant is not taken for this one', async () => {
    const checkout = await created(store, newCheckout());
    const other = await created(store, newCheckout({ items: [item('B-2')] }));
    expect(
      await store.applyConfirmation(confirmation('ref_missing', 'approved', { checkout: other })),
    ).toEqual({ kind: 'not_found' });
    const foreign = confirmation(checkout.reference, 'approved', { merchantId: 'other', checkout });
    expect(await store.applyConfirmation(foreign)).toEqual({ kind: 'not_found' });
    const result = await store.applyConfirmation(
      confirmation(checkout.reference, 'approved', { checkout: other }),
    );
    expect(result.kind === 'applied' && result.checkout.reference).toBe(checkout.reference);
    expect((await store.getCheckout(MERCHANT, other.reference))!.status).toBe('pending');
  });

  test('confirmations of distinct states racing on one checkout across two instances never deadlock', async () => {
    const other = h.openAnother ? await h.openAnother() : store;
    const statuses: ReportedStatus[] = [
      'error',
      'declined',
      'error',
      'approved',
      'declined',
      'expired',
      'approved',
    ];
    try {
      for (let round = 0; round < 80; round++) {
        const read = await created(store, newCheckout({ items: [item(`D-${round}`)] }));
        // Rejects (and fails the test) if the database had to break a deadlock.
        const results = await Promise.all(
          statuses.map((status, n) =>
            (n % 2 === 0 ? store : other).applyConfirmation(
              confirmation(read.reference, status, {
                now: at(1 + n),
                ...(n % 3 === 0 ? { checkout: read } : {}),
              }),
            ),
          ),
        );
        const applied = results.flatMap((r, n) =>
          r.kind === 'applied' ? [{ from: r.previous, to: statuses[n]! as PaymentStatus }] : [],
        );
        expect((await store.getCheckout(MERCHANT, read.reference))!.status).toBe('approved');
        expect(chainEnds('pending', applied)).toContain('approved');
      }
    } finally {
      if (other !== store) await other.close();
    }
  });

  test('property: any stream of confirmations, in one order or all at once, applies each transaction once and follows the transition rule', async () => {
    const other = h.openAnother ? await h.openAnother() : store;
    const reported = fc.constantFrom<ReportedStatus>('approved', 'declined', 'expired', 'error');
    // A stream: transactions (a status each), each sent 1–3 times, some carrying the checkout as first read.
    const stream = fc.record({
      transactions: fc.array(fc.record({ status: reported, sends: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
      concurrent: fc.boolean(),
      withRead: fc.boolean(),
    });
    try {
      await fc.assert(
        fc.asyncProperty(stream, async ({ transactions, concurrent, withRead }) => {
          const read = await created(store, newCheckout({ items: [item(`P-${randomUUID()}`, BIG)] }));
          const before = await store.outboxBacklog();
          const sends = transactions.flatMap((t, n) =>
            Array.from({ length: t.sends }, (_, k) => ({
              n,
              input: confirmation(read.reference, t.status, {
                transactionId: `tx_${read.reference}_${n}`,
                now: at(1 + n),
                ...(withRead && k % 2 === 0 ? { checkout: read } : {}),
              }),
            })),
          );
          const results: { n: number; result: ConfirmationResult }[] = [];
          if (concurrent) {
            const all = await Promise.all(
              sends.map((x, i) => (i % 2 === 0 ? store : other).applyConfirmation(x.input)),
            );
            all.forEach((result, i) => results.push({ n: sends[i]!.n, result }));
          } else {
            for (const x of sends) results.push({ n: x.n, result: await store.applyConfirmation(x.input) });
          }

          // Each transaction is processed once; every other send of it is a duplicate.
          for (let n = 0; n < transactions.length; n++) {
            const kinds = results.filter((r) => r.n === n).map((r) => r.result.kind);
            expect(kinds.filter((k) => k !== 'duplicate')).toHaveLength(1);
          }
          // The applied changes, each allowed by the rule, chain from pending to the stored status (in some
          // order: a status may come back, so the chain is found by search), with one event each.
          const applied = results.flatMap((r) =>
            r.result.kind === 'applied' ? [{ from: r.result.previous, to: transactions[r.n]!.status }] : [],
          );
          for (const step of applied) {
            expect(paymentTransition(step.from, step.to)).toEqual({ kind: 'change', to: step.to });
          }
          const stored = (await store.getCheckout(MERCHANT, read.reference))!;
          expect(chainEnds('pending', applied)).toContain(stored.status);
          expect((await store.outboxBacklog()) - before).toBe(applied.length);
          if (transactions.some((t) => t.status === 'approved')) expect(stored.status).toBe('approved');
          // In one order the outcome is exactly the rule applied step by step.
          if (!concurrent) {
            let model: PaymentStatus = 'pending';
            for (const t of transactions) {
              const step = paymentTransition(model, t.status);
              if (step.kind === 'change') model = step.to;
            }
            expect(stored.status).toBe(model);
          }
        }),
        { numRuns: Number(process.env.PROP_RUNS ?? 12) },
      );
    } finally {
      if (other !== store) await other.close();
    }
  });

  test('50 concurrent identical approvals carrying the checkout as read: one applies, 49 duplicates', async () => {
    const read = await created(store, newCheckout({ items: [item('A-1', BIG)] }));
    const input = confirmation(read.reference, 'approved', { checkout: read });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.applyConfirmation(input)));
    expect(countKinds(results)).toEqual({ applied: 1, duplicate: 49 });
    expect((await store.itemStates(MERCHANT, ['A-1'], at(6))).get('A-1')).toEqual({
      paid: BIG,
      pending: false,
    });
    expect(await allMessages(store)).toHaveLength(1);
  });

  test('a confirmation for an unknown reference or another merchant is not_found and records nothing', async () => {
    const checkout = await created(store, newCheckout());
    expect(await store.applyConfirmation(confirmation('ref_missing', 'approved'))).toEqual({
      kind: 'not_found',
    });
    const foreign = confirmation(checkout.reference, 'approved', { merchantId: 'other' });
    expect(await store.applyConfirmation(foreign)).toEqual({ kind: 'not_found' });
    // The transaction was not consumed: the right merchant can still apply it.
    expect((await store.applyConfirmation({ ...foreign, merchantId: MERCHANT })).kind).toBe('applied');
    expect(await store.outboxBacklog()).toBe(1);
  });

  test('when the event callback throws, nothing is applied and the confirmation can be retried', async () => {
    const checkout = await created(store, newCheckout());
    const input = confirmation(checkout.reference, 'approved');
    await expect(
      store.applyConfirmation({
        ...input,
        event: () => {
          throw new Error('no webhook configured');
        },
      }),
    ).rejects.toThrow('no webhook configured');
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.status).toBe('pending');
    expect((await store.itemStates(MERCHANT, ['A-1'], at(6))).get('A-1')!.pending).toBe(true);
    expect(await store.outboxBacklog()).toBe(0);
    expect((await store.applyConfirmation(input)).kind).toBe('applied');
  });

  test('claimOutbox leases messages: a second claim during the lease gets nothing, after it gets them again', async () => {
    const checkout = await created(store, newCheckout());
    await store.applyConfirmation(
      confirmation(checkout.reference, 'approved', {
        now: at(1),
        event: (c) =>
          [1, 2, 3].map((n) => ({
            messageId: `m${n}`,
            merchantId: c.merchantId,
            url: `https://h/${n}`,
            body: `${n}`,
          })),
      }),
    );
    expect(await store.claimOutbox(at(0), 10, 60_000)).toEqual([]); // not due before it was written
    const first = await store.claimOutbox(at(1), 2, 60_000);
    expect(first.map((m) => m.messageId)).toEqual(['m1', 'm2']);
    const second = await store.claimOutbox(at(1.5), 10, 60_000);
    expect(second.map((m) => m.messageId)).toEqual(['m3']);
    expect(await store.claimOutbox(at(1.9), 10, 60_000)).toEqual([]);
    const afterLease = await store.claimOutbox(at(2), 10, 60_000);
    expect(afterLease.map((m) => m.messageId)).toEqual(['m1', 'm2']);
    expect(afterLease.map((m) => m.id)).toEqual(first.map((m) => m.id));
    expect(await store.outboxBacklog()).toBe(3);
  });

  test('markDelivered takes a message out of the backlog and out of later claims', async () => {
    const checkout = await created(store, newCheckout());
    await store.applyConfirmation(confirmation(checkout.reference, 'approved', { now: at(1) }));
    const [message] = await store.claimOutbox(at(1), 10, 60_000);
    await store.markDelivered(message!.id, at(1.1));
    expect(await store.outboxBacklog()).toBe(0);
    expect(await allMessages(store)).toEqual([]);
  });

  test('markFailed counts the attempt and schedules the retry', async () => {
    const checkout = await created(store, newCheckout());
    await store.applyConfirmation(confirmation(checkout.reference, 'approved', { now: at(1) }));
    const [message] = await store.claimOutbox(at(1), 10, 60_000);
    await store.markFailed(message!.id, at(5), 'HTTP 503 '.repeat(1000));
    expect(await store.claimOutbox(at(4.9), 10, 60_000)).toEqual([]);
    const retried = await store.claimOutbox(at(5), 10, 60_000);
    expect(retried).toEqual([{ ...message, attempts: 1 }]);
    await store.markFailed(message!.id, at(10), 'timeout');
    const [third] = await store.claimOutbox(at(10), 10, 60_000);
    expect(third!.attempts).toBe(2);
    expect(third!.body).toBe(message!.body);
    expect(await store.outboxBacklog()).toBe(1);
  });

  test('extendHold lengthens a pending hold and never shortens it', async () => {
    const checkout = await created(store, newCheckout({ holdUntil: at(30) }));
    await store.extendHold(MERCHANT, checkout.reference, at(90));
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.holdUntil).toEqual(at(90));
    expect((await store.itemStates(MERCHANT, ['A-1'], at(60))).get('A-1')!.pending).toBe(true);
    expect((await store.createCheckout(newCheckout({ now: at(60) }))).kind).toBe('pending');
    await store.extendHold(MERCHANT, checkout.reference, at(45));
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.holdUntil).toEqual(at(90));
    expect((await store.itemStates(MERCHANT, ['A-1'], at(89))).get('A-1')!.pending).toBe(true);
    expect((await store.itemStates(MERCHANT, ['A-1'], at(90))).get('A-1')!.pending).toBe(false);
  });

  test('extendHold leaves ended checkouts and other merchants alone', async () => {
    const checkout = await created(store, newCheckout({ holdUntil: at(30) }));
    await store.extendHold('other', checkout.reference, at(90));
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.holdUntil).toEqual(at(30));
    await store.applyConfirmation(confirmation(checkout.reference, 'declined'));
    await store.extendHold(MERCHANT, checkout.reference, at(90));
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.holdUntil).toEqual(at(30));
    expect((await store.itemStates(MERCHANT, ['A-1'], at(31))).get('A-1')!.pending).toBe(false);
  });

  test('itemStates names the checkout that holds an item and until when', async () => {
    const checkout = await created(store, newCheckout({ holdUntil: at(30) }));
    const state = (await store.itemStates(MERCHANT, ['A-1'], at(10))).get('A-1')!;
    expect(state.hold).toEqual({ reference: checkout.reference, until: at(30) });
    expect((await store.itemStates(MERCHANT, ['A-1'], at(30))).get('A-1')!.hold).toBeUndefined();
  });

  test('releaseHold frees the items of a pending checkout at once; the checkout stays pending', async () => {
    const checkout = await created(store, newCheckout({ holdUntil: at(30) }));
    expect(await store.releaseHold('other', checkout.reference, at(10))).toBe(false);
    expect((await store.itemStates(MERCHANT, ['A-1'], at(10))).get('A-1')!.pending).toBe(true);
    expect(await store.releaseHold(MERCHANT, checkout.reference, at(10))).toBe(true);
    expect((await store.itemStates(MERCHANT, ['A-1'], at(10))).get('A-1')).toEqual({
      paid: 0n,
      pending: false,
    });
    const after = (await store.getCheckout(MERCHANT, checkout.reference))!;
    expect(after.status).toBe('pending');
    expect(after.holdUntil).toEqual(at(10));
    // The item can be paid again by a new checkout.
    expect((await store.createCheckout(newCheckout({ now: at(11), holdUntil: at(40) }))).kind).toBe(
      'created',
    );
    // Releasing never lengthens a hold, and an ended checkout is left alone.
    expect(await store.releaseHold(MERCHANT, checkout.reference, at(20))).toBe(true);
    expect((await store.getCheckout(MERCHANT, checkout.reference))!.holdUntil).toEqual(at(10));
    await store.applyConfirmation(confirmation(checkout.reference, 'declined'));
    expect(await store.releaseHold(MERCHANT, checkout.reference, at(21))).toBe(false);
  });

  test('listStalePending lists pending checkouts whose hold ended, oldest first, up to the limit', async () => {
    const old = await created(store, newCheckout({ items: [item('A-1')], holdUntil: at(10) }));
    const older = await created(store, newCheckout({ items: [item('B-2')], holdUntil: at(5) }));
    await created(store, newCheckout({ items: [item('C-3')], holdUntil: at(60) }));
    const ended = await created(store, newCheckout({ items: [item('D-4')], holdUntil: at(5) }));
    await store.applyConfirmation(confirmation(ended.reference, 'expired'));

    expect((await store.listStalePending(at(30), 10)).map((c) => c.reference)).toEqual([
      older.reference,
      old.reference,
    ]);
    expect((await store.listStalePending(at(30), 1)).map((c) => c.reference)).toEqual([older.reference]);
    expect(await store.listStalePending(at(5), 10)).toEqual([]);
    const [first] = await store.listStalePending(at(30), 1);
    expect(first).toEqual(older);
  });

  test('two instances racing 20 approvals with distinct transactions: approved once, one event', async (ctx) => {
    if (!h.openAnother) ctx.skip('this engine cannot open a second instance on the same database');
    const other = await h.openAnother!();
    try {
      const checkout = await created(store, newCheckout({ items: [item('A-1', BIG)] }));
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          (n % 2 === 0 ? store : other).applyConfirmation(
            // Some carry the checkout as read before any approval, as the route passes it.
            confirmation(checkout.reference, 'approved', n % 4 === 0 ? { checkout } : {}),
          ),
        ),
      );
      report(`${store.engine}: 20 approvals across two instances`, performance.now() - started);
      expect(countKinds(results)).toEqual({ applied: 1, final: 19 });
      expect((await other.itemStates(MERCHANT, ['A-1'], at(6))).get('A-1')).toEqual({
        paid: BIG,
        pending: false,
      });
      expect(await allMessages(other)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  test('two instances racing checkouts for one item: exactly one is created', async (ctx) => {
    if (!h.openAnother) ctx.skip('this engine cannot open a second instance on the same database');
    const other = await h.openAnother!();
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          (n % 2 === 0 ? store : other).createCheckout(newCheckout({ items: [item('B-2'), item('A-1')] })),
        ),
      );
      const kinds = results.map((r) => r.kind);
      expect(kinds.filter((k) => k === 'created')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'pending')).toHaveLength(9);
      for (const r of results) if (r.kind === 'pending') expect(r.refs).toEqual(['A-1', 'B-2']);
    } finally {
      await other.close();
    }
  });

  test('two instances claiming the outbox never get the same message during a lease', async (ctx) => {
    if (!h.openAnother) ctx.skip('this engine cannot open a second instance on the same database');
    const other = await h.openAnother!();
    try {
      const checkout = await created(store, newCheckout());
      await store.applyConfirmation(
        confirmation(checkout.reference, 'approved', {
          now: at(1),
          event: (c) =>
            Array.from({ length: 30 }, (_, n) => ({
              messageId: `m${n}`,
              merchantId: c.merchantId,
              url: 'https://h',
              body: '{}',
            })),
        }),
      );
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, n) => (n % 2 === 0 ? store : other).claimOutbox(at(2), 7, 60_000)),
      );
      const ids = claims.flat().map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(30);
    } finally {
      await other.close();
    }
  });

  test('withholdings are recorded per item beside the cash part and summed per ref once approved', async () => {
    const lines = [
      { code: 'rtefte', label: 'Retención 4 %', base: 1_000_000n, rate: '0.04', amount: 40_000n },
      { code: 'reteiva', label: 'ReteIVA 15 %', base: 190_000n, rate: '0.15', amount: 28_500n },
    ];
    const first = await created(
      store,
      newCheckout({
        items: [
          item('A-1', 1_121_500n, { withheld: 68_500n, withholdings: lines }),
          item('B-2', BIG, { withheld: BIG, withholdings: [{ ...lines[0]!, base: BIG, amount: BIG }] }),
          item('C-3', 5_000n),
        ],
        receiptToken: 'tok_first_0123456789abcdefghijklmnopqrstuv',
      }),
    );
    expect(first.items[0]).toMatchObject({ amount: 1_121_500n, withheld: 68_500n, withholdings: lines });
    expect(first.items[1]!.withheld).toBe(BIG);
    expect(first.items[1]!.withholdings![0]!.base).toBe(BIG);
    // Nothing withheld: the fields are absent, not zero.
    expect(first.items[2]).toEqual(item('C-3', 5_000n));
    expect(await store.getCheckout(MERCHANT, first.reference)).toEqual(first);

    // Pending withholdings settle nothing yet.
    expect((await store.itemStates(MERCHANT, ['A-1'], at(1))).get('A-1')).toEqual({
      paid: 0n,
      pending: true,
      hold: { reference: first.reference, until: first.holdUntil },
    });
    await store.applyConfirmation(
      confirmation(first.reference, 'approved', { now: at(2), paymentMethod: 'PSE' }),
    );
    const states = await store.itemStates(MERCHANT, ['A-1', 'B-2', 'C-3'], at(3));
    expect(Object.fromEntries(states)).toEqual({
      'A-1': { paid: 1_121_500n, withheld: 68_500n, pending: false },
      'B-2': { paid: BIG, withheld: BIG, pending: false },
      'C-3': { paid: 5_000n, pending: false },
    });
  });

  test('a receipt token finds its checkout, is unique, and records the payment method on approval', async () => {
    const token = 'tok_receipt_0123456789abcdefghijklmnopqrstuv';
    const checkout = await created(store, newCheckout({ receiptToken: token }));
    expect(checkout.receiptToken).toBe(token);
    expect(checkout.paymentMethod).toBeUndefined();
    expect(await store.getCheckoutByReceiptToken(token)).toEqual(checkout);
    expect(await store.getCheckoutByReceiptToken('tok_unknown')).toBeNull();
    // A checkout without a token (created before receipts existed) is never found by an empty or null-ish token.
    await created(store, newCheckout({ items: [item('B-2')] }));
    expect(await store.getCheckoutByReceiptToken('')).toBeNull();
    await expect(
      store.createCheckout(newCheckout({ items: [item('C-3')], receiptToken: token })),
    ).rejects.toThrow();

    const applied = await store.applyConfirmation(
      confirmation(checkout.reference, 'approved', { now: at(2), paymentMethod: 'VISA' }),
    );
    expect(applied.kind === 'applied' && applied.checkout.paymentMethod).toBe('VISA');
    expect((await store.getCheckoutByReceiptToken(token))!).toMatchObject({
      status: 'approved',
      paymentMethod: 'VISA',
      receiptToken: token,
    });
  });
  notificationSuite(() => h);
}
