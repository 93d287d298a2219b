import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import type { ChargeDetails, ChargeState } from '../../../shared/charges/charge-input';
import { chargeItemKey, type ChargeRecord, type NewCharge } from '../../../bff/store/charge-store';
import type { NewNotification } from '../../../bff/store/notification-records';
import type { NewOutboxMessage, Store } from '../../../bff/store/store';

/**
 * The charge half of the store contract (bff/store/charge-store.ts), run by storeSuite on every engine.
 * `current()` is the harness storeSuite opened for the running test.
 */

const M = 'acme';
const T0 = new Date('2025-03-10T15:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

function details(overrides: Partial<ChargeDetails> = {}): ChargeDetails {
  return {
    description: 'Servicio de consultoría',
    references: {
      reference_one: 'FAC123',
      reference_two: null,
      reference_three: null,
      reference_four: null,
      reference_five: null,
      reference_six: null,
      reference_seven: null,
      reference_eight: null,
    },
    channel: 'whatsapp',
    user_notification: true,
    expected_amount: null,
    expected_date: null,
    reminder_date: null,
    limit_date: '2025-03-20',
    merchant_id_number: '900123456',
    merchant_phone: '573112229999',
    merchant_email: null,
    return_url: null,
    expiration: false,
    attachment: null,
    comments: 'para el equipo',
    payer: {
      phone: '573001112233',
      email: null,
      user_id_type: 'CC',
      user_id_number: '1020304050',
      first_name: 'Camila',
    },
    affiliate: null,
    invoice: { provider: 'siigo', type: 'link', id: 'FV-1', retentions: null },
    late_fees: null,
    advance_payment: {
      condition_type: 'fixed',
      fixed: [
        {
          id: 'a1b2c3',
          date: '2025-03-12',
          value: '3000',
          reminder: false,
          reminder_template: null,
          reminder_channel: null,
        },
      ],
    },
    process_type: 'digital',
    state: 'PENDING',
    return: null,
    express: null,
    external: null,
    split: null,
    ...overrides,
  };
}

function state(overrides: Partial<ChargeState> = {}, d: Partial<ChargeDetails> = {}): ChargeState {
  return { status: 'pending', currency: 'COP', amount: 100_000n, details: details(d), ...overrides };
}

function event(type: string) {
  return (c: ChargeRecord): NewOutboxMessage[] => [
    {
      messageId: `msg_${c.externalReference}_${type}_${c.version}`,
      merchantId: c.merchantId,
      url: 'https://erp.example.co/events',
      body: JSON.stringify({ type, ref: c.externalReference }),
    },
  ];
}

function newCharge(overrides: Partial<NewCharge> = {}): NewCharge {
  return {
    merchantId: M,
    externalReference: randomUUID().replace(/-/g, '').slice(0, 12),
    linkId: randomUUID().replace(/-/g, ''),
    processId: randomUUID(),
    state: state(),
    payerIdNumber: '1020304050',
    idempotencyKey: null,
    requestHash: null,
    now: T0,
    events: event('charge.created'),
    notifications: [],
    reminderDueOn: null,
    ...overrides,
  };
}

/** A payer message row of a charge, as bff/charges/charge-notifications.ts builds them. */
function note(ref: string, key: string, now = T0): NewNotification {
  return {
    merchantId: M,
    dedupeKey: key,
    kind: key.startsWith('reminder:') ? 'reminder' : 'charge',
    channel: 'whatsapp',
    recipient: '573001112233',
    payerKey: 'id:payer-1',
    chargeId: ref,
    content: JSON.stringify({ kind: 'charge' }),
    notBefore: now,
    now,
  };
}

async function create(store: Store, input: NewCharge = newCharge()): Promise<ChargeRecord> {
  const r = await store.createCharge(input);
  expect(r.kind).toBe('created');
  return r.charge;
}

/**
 * A checkout of these item keys and amounts created at `at` (held for 30 minutes), approved by PayU when
 * `status` says so.
 */
async function checkoutOf(
  store: Store,
  refs: [string, bigint][],
  at: Date,
  status?: 'approved',
): Promise<void> {
  const reference = `ref_${randomUUID()}`;
  await store.createCheckout({
    reference,
    merchantId: M,
    idempotencyKey: `key_${randomUUID()}`,
    requestHash: 'h',
    currency: 'COP',
    amount: refs.reduce((sum, [, amount]) => sum + amount, 0n),
    items: refs.map(([ref, amount]) => ({ ref, description: 'x', amount, metadata: null, webhookUrl: null })),
    action: 'https://example.co',
    fields: {},
    comment: null,
    deliveryAddress: null,
    now: at,
    holdUntil: new Date(at.getTime() + 1_800_000),
  });
  if (status) {
    const applied = await store.applyConfirmation({
      merchantId: M,
      reference,
      transactionId: `tx_${randomUUID()}`,
      status,
      payuReference: 'pol_1',
      now: at,
      event: () => [],
    });
    expect(applied.kind).toBe('applied');
  }
}

async function events(store: Store): Promise<string[]> {
  const claimed = await store.claimOutbox(new Date('2100-01-01T00:00:00Z'), 1000, 60_000);
  return claimed.map((m) => (JSON.parse(m.body) as { type: string }).type);
}

const transition = (today: string, now = later(60)) => ({
  merchantId: M,
  today,
  now,
  limit: 100,
  events: event('charge.transition'),
  notifications: (c: ChargeRecord) => [note(c.externalReference, `notice:${c.externalReference}`, now)],
  withdrawNotifications: null,
});

export function chargeStoreSuite(
  current: () => { store: Store; openAnother: (() => Promise<Store>) | null },
): void {
  test('charges: a charge round-trips (bigint amount, details JSON) and is found by link and payer', async () => {
    const { store } = current();
    const input = newCharge({ state: state({ amount: 123_456_789_012_345_678n, currency: 'USD' }) });
    const charge = await create(store, input);
    expect(charge).toMatchObject({
      merchantId: M,
      externalReference: input.externalReference,
      linkId: input.linkId,
      processId: input.processId,
      status: 'pending',
      currency: 'USD',
      amount: 123_456_789_012_345_678n,
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(charge.details).toEqual(input.state.details);
    expect(await store.getCharge(M, input.externalReference)).toEqual(charge);
    expect(await store.getChargeByLink(input.linkId)).toEqual(charge);
    expect(await store.getChargeByLink('nope')).toBeNull();
    await create(store, newCharge({ state: state({ status: 'created' }) }));
    // The payer's charges (read as arrays on SQLite) are the same records, field for field; drafts left out.
    expect(await store.chargesForPayer(M, '1020304050')).toEqual([charge]);
    expect(await events(store)).toEqual(['charge.created', 'charge.created']);
  });

  test('charges: one charge per Idempotency-Key, also when two instances create it at once', async () => {
    const { store, openAnother } = current();
    const other = openAnother ? await openAnother() : store;
    try {
      const key = 'order-0001';
      const results = await Promise.all([
        store.createCharge(newCharge({ idempotencyKey: key, requestHash: 'h1' })),
        other.createCharge(newCharge({ idempotencyKey: key, requestHash: 'h1' })),
      ]);
      expect(results.map((r) => r.kind).sort()).toEqual(['created', 'idempotent']);
      expect(results[0].charge.externalReference).toBe(results[1].charge.externalReference);
      expect(await store.listCharges(M, { limit: 10 })).toHaveLength(1);
      expect((await store.findChargeByIdempotencyKey(M, key))?.requestHash).toBe('h1');
      expect(await events(store)).toEqual(['charge.created']);
    } finally {
      if (other !== store) await other.close();
    }
  });

  test('charges: updates are compare-and-set on version; money is locked by an approved or live payment', async () => {
    const { store } = current();
    const charge = await create(store);
    const update = (over: Partial<Parameters<Store['updateCharge']>[0]> = {}) =>
      store.updateCharge({
        merchantId: M,
        externalReference: charge.externalReference,
        expectedVersion: 1,
        state: state({ amount: 120_000n }),
        payerIdNumber: '1020304050',
        changesMoney: true,
        now: later(10),
        events: event('charge.updated'),
        notifications: [],
        withdrawNotifications: null,
        reminderDueOn: null,
        ...over,
      });
    const first = await update();
    expect(first.kind).toBe('updated');
    if (first.kind === 'updated')
      expect(first.charge).toMatchObject({ amount: 120_000n, version: 2, updatedAt: later(10) });
    expect((await update()).kind).toBe('stale');
    expect((await update({ externalReference: 'missing-ref' })).kind).toBe('not_found');

    await checkoutOf(store, [[chargeItemKey(charge.externalReference), 120_000n]], later(20));
    expect((await update({ expectedVersion: 2, now: later(30) })).kind).toBe('has_payments');
    // A change that leaves the money alone goes through; once the hold has passed, money may change again.
    expect((await update({ expectedVersion: 2, changesMoney: false, now: later(30) })).kind).toBe('updated');
    expect((await update({ expectedVersion: 3, now: later(4000) })).kind).toBe('updated');
    const payments = await store.chargePayments(M, charge.externalReference);
    expect(payments).toMatchObject([{ status: 'pending', amount: 120_000n }]);
    expect(await events(store)).toEqual([
      'charge.created',
      'charge.updated',
      'charge.updated',
      'charge.updated',
    ]);
  });

  test("payerItemStates: a lookup's charges and item states in one read, as chargesForPayer + itemStates", async () => {
    const { store } = current();
    const payer = '7788990011';
    const paidCharge = await create(store, newCharge({ payerIdNumber: payer, now: later(1) }));
    const heldCharge = await create(store, newCharge({ payerIdNumber: payer, now: later(2) }));
    await create(store, newCharge({ payerIdNumber: payer, state: state({ status: 'created' }) }));
    await create(store, newCharge({ payerIdNumber: '5566778899' }));
    // The paid charge and an ERP ref paid in one checkout; the other charge and another ERP ref held.
    await checkoutOf(
      store,
      [
        [chargeItemKey(paidCharge.externalReference), 40_000n],
        ['FAC-1', 15_000n],
      ],
      later(10),
      'approved',
    );
    await checkoutOf(
      store,
      [
        [chargeItemKey(heldCharge.externalReference), 5_000n],
        ['FAC-2', 7_000n],
      ],
      later(20),
    );

    const refs = ['FAC-1', 'FAC-2', 'FAC-9', 'FAC-1'];
    const now = later(30);
    const together = await store.payerItemStates(M, payer, refs, now);
    const charges = await store.chargesForPayer(M, payer);
    expect(together.charges).toEqual(charges);
    expect(charges.map((c) => c.externalReference)).toEqual([
      paidCharge.externalReference,
      heldCharge.externalReference,
    ]);
    const keys = [...refs, ...charges.map((c) => chargeItemKey(c.externalReference))];
    expect(together.states).toEqual(await store.itemStates(M, keys, now));
    expect(together.states.get(chargeItemKey(paidCharge.externalReference))).toMatchObject({ paid: 40_000n });
    expect(together.states.get(chargeItemKey(heldCharge.externalReference))).toMatchObject({ pending: true });
    expect(together.states.get('FAC-1')).toEqual({ paid: 15_000n, pending: false });
    expect(together.states.get('FAC-9')).toEqual({ paid: 0n, pending: false });
    // A payer with no charges, and no refs: nothing, and still one answer.
    expect(await store.payerItemStates(M, '1111111111', [], now)).toEqual({ charges: [], states: new Map() });
    expect((await store.payerItemStates(M, '1111111111', ['FAC-2'], now)).states.get('FAC-2')).toMatchObject({
      pending: true,
    });
  });

  test('charges: the list is newest first with a keyset cursor and filters', async () => {
    const { store } = current();
    const made: ChargeRecord[] = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await create(
          store,
          newCharge({
            now: later(i < 4 ? 0 : i),
            state: state({ status: i === 6 ? 'scheduled' : 'pending' }),
            payerIdNumber: i % 2 === 0 ? '1020304050' : null,
          }),
        ),
      );
    }
    const all = await store.listCharges(M, { limit: 100 });
    const expected = [...made].sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() || (a.externalReference < b.externalReference ? 1 : -1),
    );
    expect(all.map((c) => c.externalReference)).toEqual(expected.map((c) => c.externalReference));
    const pages: string[] = [];
    let after: { createdAt: Date; externalReference: string } | undefined;
    for (;;) {
      const page = await store.listCharges(M, { limit: 3, ...(after ? { after } : {}) });
      pages.push(...page.map((c) => c.externalReference));
      if (page.length < 3) break;
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, externalReference: last.externalReference };
    }
    expect(pages).toEqual(expected.map((c) => c.externalReference));
    expect(await store.listCharges(M, { limit: 100, status: 'scheduled' })).toHaveLength(1);
    expect(await store.listCharges(M, { limit: 100, payerIdNumber: '1020304050' })).toHaveLength(4);
    expect(await store.listCharges(M, { limit: 100, from: later(4), to: later(6) })).toHaveLength(2);
    expect(await store.listCharges('other', { limit: 100 })).toEqual([]);
  });

  test('charges: scheduled charges activate once on reminder_date, also with two instances and after downtime', async () => {
    const { store, openAnother } = current();
    const due: string[] = [];
    for (let i = 0; i < 12; i++) {
      const c = await create(
        store,
        newCharge({
          state: state(
            { status: 'scheduled' },
            { reminder_date: i < 10 ? `2025-03-0${(i % 9) + 1}` : '2025-03-11' },
          ),
        }),
      );
      if (i < 10) due.push(c.externalReference);
    }
    await events(store);
    const other = openAnother ? await openAnother() : store;
    try {
      const [a, b] = await Promise.all([
        store.activateDueCharges(transition('2025-03-10')),
        other.activateDueCharges(transition('2025-03-10')),
      ]);
      const activated = [...a, ...b].map((c) => c.externalReference).sort();
      expect(activated).toEqual([...due].sort());
      expect(await store.activateDueCharges(transition('2025-03-10'))).toEqual([]);
      for (const ref of due) expect((await store.getCharge(M, ref))?.status).toBe('pending');
      expect(await events(store)).toHaveLength(10);
      const notes = await store.claimNotifications(later(120), 100, 60_000);
      expect(notes).toHaveLength(10);
      expect(new Set(notes.map((n) => n.chargeId))).toEqual(new Set(due));
      expect(
        (await store.activateDueCharges(transition('2025-03-11'))).map((c) => c.details.reminder_date),
      ).toEqual(['2025-03-11', '2025-03-11']);
    } finally {
      if (other !== store) await other.close();
    }
  });

  test('charges: only pending charges with expiration expire, the day after limit_date', async () => {
    const { store } = current();
    const expiring = await create(
      store,
      newCharge({ state: state({}, { expiration: true, limit_date: '2025-03-09' }) }),
    );
    const today = await create(
      store,
      newCharge({ state: state({}, { expiration: true, limit_date: '2025-03-10' }) }),
    );
    await create(store, newCharge({ state: state({}, { expiration: false, limit_date: '2025-03-01' }) }));
    await create(
      store,
      newCharge({ state: state({ status: 'unlimit' }, { expiration: true, limit_date: '2025-03-01' }) }),
    );
    const expired = await store.expireDueCharges(transition('2025-03-10'));
    expect(expired.map((c) => c.externalReference)).toEqual([expiring.externalReference]);
    expect(expired[0]).toMatchObject({ status: 'expired', version: 2 });
    expect((await store.getCharge(M, today.externalReference))?.status).toBe('pending');
    expect(await store.expireDueCharges(transition('2025-03-10'))).toEqual([]);
  });

  test('charges: a notice commits with its charge, once per key; a withdrawing update stops unsent ones', async () => {
    const { store } = current();
    const ref = 'notice000001';
    await create(store, newCharge({ externalReference: ref, notifications: [note(ref, `notice:${ref}`)] }));
    const update = (version: number, over: Partial<Parameters<Store['updateCharge']>[0]> = {}) =>
      store.updateCharge({
        merchantId: M,
        externalReference: ref,
        expectedVersion: version,
        state: state(),
        payerIdNumber: '1020304050',
        changesMoney: false,
        now: later(10),
        events: event('charge.updated'),
        notifications: [note(ref, `notice:${ref}`, later(10))],
        withdrawNotifications: null,
        reminderDueOn: null,
        ...over,
      });
    expect((await update(1)).kind).toBe('updated');
    const rows = await store.listNotifications(M, { chargeId: ref, limit: 10 });
    expect(rows.map((r) => [r.dedupeKey, r.status])).toEqual([[`notice:${ref}`, 'queued']]);
    // A stale update writes neither the charge nor its rows.
    expect((await update(1, { notifications: [note(ref, `reminder:${ref}:e1`)] })).kind).toBe('stale');
    expect(await store.listNotifications(M, { chargeId: ref, limit: 10 })).toHaveLength(1);
    expect((await update(2, { withdrawNotifications: 'charge cancelled', notifications: [] })).kind).toBe(
      'updated',
    );
    const [withdrawn] = await store.listNotifications(M, { chargeId: ref, limit: 10 });
    expect(withdrawn).toMatchObject({ status: 'failed', lastError: 'withdrawn: charge cancelled' });
    expect(await store.claimNotifications(later(100), 10, 60_000)).toEqual([]);
  });

  test('charges: reminder dates are handled once, also by two instances at once', async () => {
    const { store, openAnother } = current();
    const other = openAnother ? await openAnother() : store;
    try {
      const refs = ['remind000001', 'remind000002', 'remind000003'];
      for (const [i, ref] of refs.entries())
        await create(store, newCharge({ externalReference: ref, reminderDueOn: `2025-03-1${i}` }));
      await create(
        store,
        newCharge({
          externalReference: 'remind000004',
          reminderDueOn: '2025-03-09',
          state: state({ status: 'cancelled' }),
        }),
      );
      const due = await store.chargesDueForReminders(M, '2025-03-11', 10);
      expect(due.map((c) => [c.externalReference, c.reminderDueOn])).toEqual([
        ['remind000001', '2025-03-10'],
        ['remind000002', '2025-03-11'],
      ]);
      const step = (s: Store, ref: string, expected: string) =>
        s.recordChargeReminders({
          merchantId: M,
          externalReference: ref,
          expectedDueOn: expected,
          nextDueOn: '2025-03-20',
          notifications: [note(ref, `reminder:${ref}:e1`)],
          now: T0,
        });
      const results = await Promise.all([
        step(store, 'remind000001', '2025-03-10'),
        step(other, 'remind000001', '2025-03-10'),
        step(store, 'remind000002', '2025-03-11'),
        step(other, 'remind000002', '2025-03-11'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(2);
      expect(results[0] !== results[1] && results[2] !== results[3]).toBe(true);
      expect(await step(store, 'remind000003', '2025-03-11')).toBe(false); // its date is the 12th
      const rows = await store.claimNotifications(later(1), 10, 60_000);
      expect(rows.map((r) => r.dedupeKey).sort()).toEqual([
        'reminder:remind000001:e1',
        'reminder:remind000002:e1',
      ]);
      expect((await store.getCharge(M, 'remind000001'))?.reminderDueOn).toBe('2025-03-20');
      expect(await store.chargesDueForReminders(M, '2025-03-11', 10)).toEqual([]);
    } finally {
      if (other !== store) await other.close();
    }
  });
}
