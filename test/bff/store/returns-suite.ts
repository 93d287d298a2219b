import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { allocate } from '../../../shared/money';
import type { NewNotification } from '../../../bff/store/notification-records';
import type { NewReturn, ReturnItem, ReturnRecord } from '../../../bff/store/returns-store';
import type { Store } from '../../../bff/store/store';
import { at, confirmation, item, newCheckout, type StoreHarness } from './store-suite';

const MERCHANT = 'acme';

/** Proportional, remainder-safe split over the checkout's items (what the returns service uses). */
const proportional = (items: readonly ReturnItem[], amount: bigint): ReturnItem[] => {
  const shares = allocate(
    amount,
    items.map((i) => i.amount),
  );
  return items.map((i, n) => ({ ref: i.ref, amount: shares[n] ?? 0n }));
};

function newReturn(reference: string, overrides: Partial<NewReturn> = {}): NewReturn {
  return {
    id: `RET-${randomUUID()}`,
    merchantId: MERCHANT,
    reference,
    idempotencyKey: `key_${randomUUID()}`,
    reason: 'merchant',
    note: null,
    amount: 5_000n,
    split: proportional,
    state: 'pending',
    route: 'payout',
    now: at(60),
    audit: { actor: 'merchant', ip: '203.0.113.9', action: 'create' },
    events: (ret) => [
      {
        messageId: `msg_${ret.id}_created`,
        merchantId: MERCHANT,
        url: 'https://erp.example.co/saldo-events',
        body: JSON.stringify({ type: 'return.created', id: ret.id }),
      },
    ],
    ...overrides,
  };
}

/** Returns behind the Store port, on any engine. */
export function returnsSuite(open: () => Promise<StoreHarness>): void {
  describe('returns', () => {
    let h: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(() => h.dispose());

    async function approved(items = [item('A-1', 20_000n)]) {
      const c = newCheckout({ items });
      const r = await store.createCheckout(c);
      if (r.kind !== 'created') throw new Error(r.kind);
      const applied = await store.applyConfirmation(confirmation(c.reference, 'approved'));
      if (applied.kind !== 'applied') throw new Error(applied.kind);
      return c.reference;
    }

    test('a return of an approved payment is stored with its split, audit entry and webhook, once per key', async () => {
      const reference = await approved([item('A-1', 15_000n), item('A-2', 5_000n)]);
      const input = newReturn(reference, { amount: 4_000n });
      const created = await store.createReturn(input);
      expect(created.kind).toBe('created');
      if (created.kind !== 'created') return;
      expect(created.ret).toMatchObject({
        reference,
        state: 'pending',
        route: 'payout',
        amount: 4_000n,
        currency: 'COP',
        items: [
          { ref: 'A-1', amount: 3_000n },
          { ref: 'A-2', amount: 1_000n },
        ],
      });
      const again = await store.createReturn({ ...input, id: `RET-${randomUUID()}` });
      expect(again).toEqual({ kind: 'idempotent', ret: created.ret });
      const events = await store.returnEvents(MERCHANT, input.id);
      expect(events).toEqual([
        expect.objectContaining({
          actor: 'merchant',
          ip: '203.0.113.9',
          action: 'create',
          fromState: null,
          toState: 'pending',
        }),
      ]);
      const outbox = await store.claimOutbox(at(24 * 60), 100, 1);
      expect(outbox.filter((m) => m.body.includes('return.created'))).toHaveLength(1);
    });

    test('returns never exceed what was approved; rejected ones no longer count', async () => {
      const reference = await approved();
      const first = await store.createReturn(newReturn(reference, { amount: 15_000n }));
      expect(first.kind).toBe('created');
      expect(await store.createReturn(newReturn(reference, { amount: 6_000n }))).toEqual({
        kind: 'exceeds',
        available: 5_000n,
      });
      if (first.kind !== 'created') return;
      const rejected = await store.transitionReturn({
        merchantId: MERCHANT,
        id: first.ret.id,
        from: 'pending',
        to: 'rejected',
        now: at(61),
        audit: { actor: 'merchant', ip: null, action: 'reject' },
      });
      expect(rejected.kind).toBe('changed');
      expect((await store.createReturn(newReturn(reference, { amount: 20_000n }))).kind).toBe('created');
    });

    test('only an approved payment of this merchant can be returned', async () => {
      const c = newCheckout();
      await store.createCheckout(c);
      expect(await store.createReturn(newReturn(c.reference))).toEqual({ kind: 'not_approved' });
      expect(await store.createReturn(newReturn('ref_unknown'))).toEqual({ kind: 'not_found' });
      expect(await store.createReturn(newReturn(c.reference, { merchantId: 'other' }))).toEqual({
        kind: 'not_found',
      });
    });

    test('20 concurrent returns of 40 % each: at most two are created, none goes over', async () => {
      const reference = await approved();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.createReturn(newReturn(reference, { amount: 8_000n }))),
      );
      expect(results.filter((r) => r.kind === 'created')).toHaveLength(2);
      expect(results.filter((r) => r.kind === 'exceeds')).toHaveLength(18);
      const listed = await store.listReturns(MERCHANT, { reference, limit: 100 });
      expect(listed.reduce((s, r) => s + r.amount, 0n)).toBe(16_000n);
    });

    test('moves follow the state table against the committed state; a stale or forbidden move is a conflict', async () => {
      const reference = await approved();
      const c = await store.createReturn(newReturn(reference));
      if (c.kind !== 'created') throw new Error(c.kind);
      const id = c.ret.id;
      const move = (from: 'pending' | 'approved', to: 'approved' | 'rejected' | 'paid') =>
        store.transitionReturn({
          merchantId: MERCHANT,
          id,
          from,
          to,
          now: at(62),
          audit: { actor: 'merchant', ip: null, action: to },
        });
      expect((await move('pending', 'paid')).kind).toBe('conflict');
      const ok = await move('pending', 'approved');
      expect(ok.kind).toBe('changed');
      expect((await move('pending', 'rejected')).kind).toBe('conflict');
      expect(
        await store.transitionReturn({
          merchantId: 'other',
          id,
          from: 'approved',
          to: 'sending',
          now: at(63),
          audit: { actor: 'x', ip: null, action: 'x' },
        }),
      ).toEqual({ kind: 'not_found' });
    });

    test('a patch records PayU progress; a repeated PayU notice (same dedupe key) writes nothing', async () => {
      const reference = await approved();
      const c = await store.createReturn(newReturn(reference, { state: 'pending' }));
      if (c.kind !== 'created') throw new Error(c.kind);
      const id = c.ret.id;
      await store.transitionReturn({
        merchantId: MERCHANT,
        id,
        from: 'pending',
        to: 'approved',
        now: at(61),
        audit: { actor: 'merchant', ip: null, action: 'approve' },
      });
      const sending = await store.transitionReturn({
        merchantId: MERCHANT,
        id,
        from: 'approved',
        to: 'sending',
        patch: {
          payout: { paymentOrderId: `po-${id}`, payoutState: 'AWAITING_FOR_SENT' },
          nextActionAt: null,
        },
        now: at(62),
        audit: { actor: 'system', ip: null, action: 'payout_requested' },
      });
      expect(sending.kind).toBe('changed');
      const notice = {
        merchantId: MERCHANT,
        id,
        from: 'sending' as const,
        to: 'in_bank' as const,
        patch: {
          payout: { orderStatus: 'IN_BANKING_PROCESS', inBankAt: at(70), expectedArrivalAt: at(900) },
        },
        now: at(70),
        audit: { actor: 'payu', ip: null, action: 'webhook', dedupeKey: 'po|CREATED|IN_BANKING_PROCESS|' },
      };
      const first = await store.transitionReturn(notice);
      expect(first.kind).toBe('changed');
      if (first.kind !== 'changed') return;
      expect(first.ret.payout).toMatchObject({
        paymentOrderId: `po-${id}`,
        orderStatus: 'IN_BANKING_PROCESS',
        expectedArrivalAt: at(900),
      });
      expect(await store.transitionReturn({ ...notice, from: 'in_bank', to: 'in_bank' })).toMatchObject({
        kind: 'duplicate',
      });
      expect((await store.findReturnByPaymentOrder(`po-${id}`))?.id).toBe(id);
    });

    test("a move's payer notices commit with it, once per key; a refused move writes none", async () => {
      const reference = await approved();
      const c = await store.createReturn(newReturn(reference));
      if (c.kind !== 'created') throw new Error(c.kind);
      const id = c.ret.id;
      const notices = (ret: ReturnRecord): NewNotification[] =>
        (['email', 'whatsapp'] as const).map((channel) => ({
          merchantId: MERCHANT,
          dedupeKey: `return:${ret.id}:details:${channel}`,
          kind: 'return',
          channel,
          recipient: channel === 'email' ? 'luz@example.co' : '573001234567',
          payerKey: 'to:payer',
          chargeId: null,
          // Built from the committed return: the state the move wrote.
          content: JSON.stringify({ kind: 'return', state: ret.state }),
          notBefore: at(61),
          now: at(61),
        }));
      const move = (from: 'pending' | 'approved', to: 'approved' | 'awaiting_details') =>
        store.transitionReturn({
          merchantId: MERCHANT,
          id,
          from,
          to,
          now: at(61),
          audit: { actor: 'system', ip: null, action: to },
          notifications: notices,
        });
      // Refused (the committed state is pending): nothing is queued.
      expect((await move('approved', 'awaiting_details')).kind).toBe('conflict');
      expect(await store.listNotifications(MERCHANT, { limit: 10 })).toEqual([]);
      expect((await move('pending', 'approved')).kind).toBe('changed');
      const first = await store.listNotifications(MERCHANT, { limit: 10 });
      expect(first.map((n) => [n.kind, n.channel, n.status, n.dedupeKey])).toEqual([
        ['return', 'whatsapp', 'queued', `return:${id}:details:whatsapp`],
        ['return', 'email', 'queued', `return:${id}:details:email`],
      ]);
      expect(JSON.parse(first[0]!.content)).toEqual({ kind: 'return', state: 'approved' });
      // The same notice again (a repeated move): the unique key keeps one row per channel.
      expect((await move('approved', 'awaiting_details')).kind).toBe('changed');
      expect(await store.listNotifications(MERCHANT, { limit: 10 })).toHaveLength(2);
    });

    test("an item's paid amount is net of completed returns only", async () => {
      const reference = await approved();
      const open = await store.createReturn(newReturn(reference, { amount: 3_000n }));
      expect(open.kind).toBe('created');
      const recorded = await store.createReturn(
        newReturn(reference, { amount: 5_000n, state: 'recorded', route: 'none' }),
      );
      expect(recorded.kind).toBe('created');
      const states = await store.itemStates(MERCHANT, ['A-1'], at(90));
      expect(states.get('A-1')?.paid).toBe(15_000n);
    });

    test('due returns are leased to one claimer at a time', async () => {
      const reference = await approved();
      const c = await store.createReturn(newReturn(reference));
      if (c.kind !== 'created') throw new Error(c.kind);
      await store.transitionReturn({
        merchantId: MERCHANT,
        id: c.ret.id,
        from: 'pending',
        to: 'approved',
        patch: { nextActionAt: at(61) },
        now: at(61),
        audit: { actor: 'merchant', ip: null, action: 'approve' },
      });
      const other = h.openAnother ? await h.openAnother() : store;
      try {
        const [a, b] = await Promise.all([
          store.claimDueReturns(at(62), 10, 60_000),
          other.claimDueReturns(at(62), 10, 60_000),
        ]);
        expect(a.length + b.length).toBe(1);
        expect(await store.claimDueReturns(at(62), 10, 60_000)).toEqual([]);
        expect((await store.claimDueReturns(at(64), 10, 60_000)).map((r) => r.id)).toEqual([c.ret.id]);
      } finally {
        if (other !== store) await other.close();
      }
    });

    const check = (reference: string, method: string | null = '4') => ({
      merchantId: MERCHANT,
      reference,
      paymentMethodType: method,
      now: at(120),
      newId: () => `RET-${randomUUID()}`,
      route: (f: { paymentMethodType: string | null }) =>
        f.paymentMethodType === '2' ? ('refund' as const) : ('payout' as const),
      audit: { actor: 'system', ip: null, action: 'overpayment_detected' },
      events: () => [],
    });

    async function checkoutOf(ref: string, amount: bigint, dueTotal: bigint) {
      const c = newCheckout({ items: [item(ref, amount, { dueTotal })] });
      const r = await store.createCheckout(c);
      if (r.kind !== 'created') throw new Error(r.kind);
      return c.reference;
    }

    test('an item paid twice through two checkouts: the later approval becomes an over-payment return', async () => {
      const a = await checkoutOf('OV-1', 20_000n, 20_000n);
      // A is declined, its hold ends; the payer pays B; then PayU approves a retry of A.
      await store.applyConfirmation(confirmation(a, 'declined'));
      const b = await checkoutOf('OV-1', 20_000n, 20_000n);
      await store.applyConfirmation(confirmation(b, 'approved'));
      expect(await store.detectOverpayment(check(b))).toEqual([]);
      await store.applyConfirmation(confirmation(a, 'approved', { now: at(100) }));
      expect(await store.uncheckedApprovals(10)).toEqual([{ merchantId: MERCHANT, reference: a }]);
      const returns = await store.detectOverpayment(check(a, '2'));
      expect(returns).toHaveLength(1);
      expect(returns[0]).toMatchObject({
        reference: a,
        reason: 'overpayment',
        state: 'pending',
        route: 'refund',
        amount: 20_000n,
        items: [{ ref: 'OV-1', amount: 20_000n }],
      });
      expect(await store.detectOverpayment(check(a))).toEqual([]);
      expect(await store.uncheckedApprovals(10)).toEqual([]);
      expect((await store.getCheckout(MERCHANT, a))?.paymentMethodType).toBe('2');
    });

    test('partial payments up to the total due are no over-payment; the part beyond it is', async () => {
      const first = await checkoutOf('OV-2', 15_000n, 20_000n);
      await store.applyConfirmation(confirmation(first, 'approved'));
      expect(await store.detectOverpayment(check(first))).toEqual([]);
      const second = await checkoutOf('OV-2', 8_000n, 20_000n);
      await store.applyConfirmation(confirmation(second, 'approved'));
      const returns = await store.detectOverpayment(check(second));
      expect(returns.map((r) => r.amount)).toEqual([3_000n]);
    });

    test('two approvals of one item checked at once on two instances: the excess is returned once', async () => {
      const a = await checkoutOf('OV-3', 20_000n, 20_000n);
      await store.applyConfirmation(confirmation(a, 'approved'));
      const b = await checkoutOf('OV-3', 20_000n, 20_000n);
      await store.applyConfirmation(confirmation(b, 'approved'));
      const other = h.openAnother ? await h.openAnother() : store;
      try {
        const [ra, rb] = await Promise.all([
          store.detectOverpayment(check(a)),
          other.detectOverpayment(check(b)),
        ]);
        expect([...ra, ...rb].reduce((sum, r) => sum + r.amount, 0n)).toBe(20_000n);
      } finally {
        if (other !== store) await other.close();
      }
    });

    test('approvals of one item confirmed and checked at once on two instances: each excess is returned once', async () => {
      // The check after each approval runs lock-free when it sees nothing beyond what was owed; the later of
      // two approvals must still see the earlier one, whatever the interleaving.
      const other = h.openAnother ? await h.openAnother() : store;
      try {
        for (let round = 0; round < 8; round++) {
          const ref = `OV-RACE-${round}`;
          // A is declined (its hold ends), the payer pays B, and PayU approves a retry of A at the same time.
          const a = await checkoutOf(ref, 20_000n, 20_000n);
          await store.applyConfirmation(confirmation(a, 'declined'));
          const b = await checkoutOf(ref, 20_000n, 20_000n);
          const approveAndCheck = async (s: typeof store, reference: string) => {
            await s.applyConfirmation(confirmation(reference, 'approved', { now: at(100) }));
            return s.detectOverpayment(check(reference));
          };
          const [ra, rb] = await Promise.all([approveAndCheck(store, a), approveAndCheck(other, b)]);
          expect([...ra, ...rb].map((r) => r.amount)).toEqual([20_000n]);
        }
        expect(await store.uncheckedApprovals(100)).toEqual([]);
      } finally {
        if (other !== store) await other.close();
      }
    });

    test('a check that finds nothing owed beyond the total records the method and marks the checkout checked', async () => {
      const reference = await checkoutOf('OV-4', 5_000n, 20_000n);
      await store.applyConfirmation(confirmation(reference, 'approved'));
      expect(await store.uncheckedApprovals(10)).toEqual([{ merchantId: MERCHANT, reference }]);
      expect(await store.detectOverpayment(check(reference, '2'))).toEqual([]);
      expect(await store.uncheckedApprovals(10)).toEqual([]);
      expect((await store.getCheckout(MERCHANT, reference))?.paymentMethodType).toBe('2');
    });

    test('lists by state with a cursor', async () => {
      const reference = await approved();
      const ids: string[] = [];
      for (let n = 0; n < 3; n++) {
        const r = await store.createReturn(
          newReturn(reference, { id: `RET-${n}-${randomUUID()}`, amount: 1_000n }),
        );
        if (r.kind === 'created') ids.push(r.ret.id);
      }
      const page1 = await store.listReturns(MERCHANT, { state: 'pending', limit: 2 });
      const page2 = await store.listReturns(MERCHANT, {
        state: 'pending',
        limit: 2,
        after: page1.at(-1)?.id,
      });
      expect([...page1, ...page2].map((r) => r.id)).toEqual([...ids].sort());
      expect(await store.listReturns(MERCHANT, { state: 'paid', limit: 10 })).toEqual([]);
    });
  });
}
