import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { returnRequestSchema } from '../../shared/api/return-schemas';
import { expectedArrival, type HolidayCalendar } from '../../shared/money-back/ach-schedule';
import {
  documentBase,
  maskAccountNumber,
  validateBankDetails,
  type BankDetails,
} from '../../shared/money-back/bank-details';
import { PAYOUT_BANKS } from '../../shared/money-back/banks';
import {
  asPaymentOrderState,
  asPayoutRequestState,
  payoutCancellable,
  payoutProgress,
} from '../../shared/money-back/payout-states';
import { chooseRoute, type ReturnRoute, type ReturnState } from '../../shared/money-back/return-state';
import { allocate, formatMinor, parseExactMinor } from '../../shared/money';
import type { NotificationsPort } from '../app-deps';
import type { MerchantConfig } from '../config/config-schema';
import { createSealedBox, payerFingerprint } from '../crypto/sealed-box';
import type { Logger } from '../observability/logger';
import type { PayoutsClient } from '../payu/payouts-client';
import type { RefundsClient } from '../payu/refunds-client';
import type { AuditEntry, ReturnItem, ReturnPatch, ReturnRecord } from '../store/returns-store';
import type { Store } from '../store/store';
import { returnEventMessages, returnView, type ReturnEventType } from './return-events';
import { createReturnLinks } from './return-link';
import { returnNoticeEvent, returnNotifications } from './return-notices';

/**
 * Money back (docs/spec/money-back.md): returns created by the merchant or detected as over-payments,
 * approved or rejected by the merchant, then sent back the way the money came — PayU's Refunds API for
 * cards, a PayU payout to the payer's bank account otherwise — by a job that is safe with several
 * instances (leases, and every move guarded by the committed state). What must never happen: a payout sent
 * twice. So the intent is committed before PayU is called, and a call whose outcome is unknown (timeout,
 * crash in between) goes to `needs_review` for a person, never to a blind retry.
 */
export interface MoneyBackPorts {
  /** null when the merchant has no payouts configured. */
  payouts(merchant: MerchantConfig): PayoutsClient | null;
  refunds(merchant: MerchantConfig): RefundsClient | null;
  readonly isHoliday: HolidayCalendar;
}

export interface ReturnsServiceDeps {
  readonly store: Store;
  readonly clock: { now(): Date };
  readonly logger: Logger;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly config: { readonly publicUrl: string; readonly linkSecret: string };
  readonly ports: MoneyBackPorts;
  readonly onOutboxWritten: () => void;
  /** Wakes the returns job: a return became due (approved, retried, bank details given). */
  readonly onWork?: () => void;
  /** The payer's notices (docs/spec/money-back.md "Payer notices"); absent → none are written. */
  readonly notifications?: NotificationsPort;
}

const MINUTE = 60_000;
/** How often a submitted card refund is looked up (PayU reviews it by hand in 1–3 business days). */
const REFUND_POLL_MS = 15 * MINUTE;
/** A payout PayU accepted but told nothing about for this long is handed to a person. */
const PAYOUT_SILENCE_MS = 72 * 60 * MINUTE;
/** The committed intent of a payout request: if still without PayU's answer after this, the call was lost. */
const INTENT_DEADLINE_MS = 10 * MINUTE;

export type ServiceError =
  | { readonly error: 'not_found' }
  | { readonly error: 'payment_not_found' }
  | { readonly error: 'payment_not_approved' }
  | { readonly error: 'return_exceeds_payment'; readonly available: string }
  | { readonly error: 'invalid_amount' }
  | { readonly error: 'invalid_state'; readonly state: ReturnState }
  | { readonly error: 'payout_not_cancellable' }
  | { readonly error: 'invalid_token' | 'expired_token' }
  | { readonly error: 'invalid_bank_details'; readonly fields: { field: string; issue: string }[] };

type Ok<T> = { readonly ok: true; readonly value: T };
const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
const fail = (e: ServiceError) => ({ ok: false as const, ...e });

/** Remainder-safe split of a return over the payment's items, in proportion to what each item received. */
export function splitOverItems(items: readonly ReturnItem[], amount: bigint): ReturnItem[] {
  const shares = allocate(
    amount,
    items.map((i) => i.amount),
  );
  return items.map((i, n) => ({ ref: i.ref, amount: shares[n] ?? 0n }));
}

const newReturnId = () => `RET-${randomBytes(9).toString('base64url')}`;

export function createReturnsService(deps: ReturnsServiceDeps) {
  const links = createReturnLinks(deps.config.linkSecret, deps.config.publicUrl);
  const vault = createSealedBox(deps.config.linkSecret, 'saldo:payout-bank-details');
  const now = () => deps.clock.now();

  const events = (merchant: MerchantConfig, type: ReturnEventType | null, at: Date) => (ret: ReturnRecord) =>
    type ? returnEventMessages(merchant, type, ret, at) : [];

  /**
   * The payer's notice of a move from `ret.state` to `to`, as the store's `notifications` callback (built
   * from the committed return, in the move's transaction); undefined when the move is worth none.
   */
  async function payerNotices(merchant: MerchantConfig, ret: ReturnRecord, to: ReturnState, at: Date) {
    const event = returnNoticeEvent(ret.route, ret.state, to);
    if (!event || !deps.notifications) return undefined;
    const checkout = await deps.store.getCheckout(merchant.id, ret.reference);
    const input = { merchant, checkout, event, url: links.url(merchant.id, ret.id, at).url, now: at };
    return (after: ReturnRecord) => returnNotifications(deps.notifications, input, after);
  }

  /** After a committed move: wake the webhook dispatcher and the notification job for what it wrote. */
  function wake(merchant: MerchantConfig, event: ReturnEventType | null, notified: boolean) {
    if (event && merchant.webhook) deps.onOutboxWritten();
    if (notified) deps.notifications?.kick();
  }

  async function move(
    merchant: MerchantConfig,
    ret: ReturnRecord,
    to: ReturnState,
    audit: AuditEntry,
    patch?: ReturnPatch,
    event: ReturnEventType | null = null,
  ): Promise<ReturnRecord | null> {
    const at = now();
    const notices = await payerNotices(merchant, ret, to, at);
    const r = await deps.store.transitionReturn({
      merchantId: merchant.id,
      id: ret.id,
      from: ret.state,
      to,
      ...(patch ? { patch } : {}),
      now: at,
      audit,
      events: events(merchant, event, at),
      ...(notices ? { notifications: notices } : {}),
    });
    if (r.kind !== 'changed') return null;
    wake(merchant, event, notices !== undefined);
    deps.logger.info(
      { merchant: merchant.id, returnId: ret.id, from: ret.state, to },
      'return state changed',
    );
    return r.ret;
  }

  function route(
    merchant: MerchantConfig,
    facts: { currency: string; paymentMethodType: string | null; approvedAt: Date; amount: bigint },
  ): ReturnRoute {
    const r = chooseRoute({ ...facts, amountMinor: facts.amount, now: now(), refundDeclinedBefore: false });
    // Without PayU credentials for refunds there is nothing to call: a payout is the way left.
    return r === 'refund' && !deps.ports.refunds(merchant) ? 'payout' : r;
  }

  async function requestPayout(merchant: MerchantConfig, ret: ReturnRecord): Promise<void> {
    const client = deps.ports.payouts(merchant);
    const details = ret.bankDetailsSealed ? vault.open(ret.bankDetailsSealed) : null;
    if (!client || !details) return;
    // The intent is committed first: from here on, a crash or a lost answer can never cause a second payout.
    const intent = await move(
      merchant,
      ret,
      'sending',
      { actor: 'system', ip: null, action: 'payout_requested', detail: { attempt: ret.attempts + 1 } },
      {
        attempts: ret.attempts + 1,
        failure: null,
        nextActionAt: new Date(now().getTime() + INTENT_DEADLINE_MS),
      },
    );
    if (!intent) return;
    const result = await client.requestPayout({
      value: formatMinor(ret.amount, ret.currency),
      details: JSON.parse(details) as BankDetails,
      description: ret.id,
    });
    const at = now();
    switch (result.kind) {
      case 'created':
        await move(
          merchant,
          intent,
          'sending',
          {
            actor: 'payu',
            ip: null,
            action: 'payout_created',
            detail: { paymentOrderId: result.paymentOrderId },
          },
          {
            payout: { paymentOrderId: result.paymentOrderId, bankAccountId: result.bankAccountId },
            nextActionAt: new Date(at.getTime() + PAYOUT_SILENCE_MS),
          },
        );
        return;
      case 'refused':
        await move(
          merchant,
          intent,
          'failed',
          { actor: 'payu', ip: null, action: 'payout_refused', detail: { messages: result.messages } },
          { failure: result.messages.join('; ') || 'refused by PayU', nextActionAt: null },
          'return.failed',
        );
        return;
      case 'not_sent':
        await move(
          merchant,
          intent,
          'sending',
          { actor: 'system', ip: null, action: 'payout_not_sent', detail: { reason: result.reason } },
          {
            failure: `not_sent: ${result.reason}`,
            nextActionAt: new Date(at.getTime() + Math.min(60, 2 ** intent.attempts) * MINUTE),
          },
        );
        return;
      case 'unknown':
        await move(
          merchant,
          intent,
          'needs_review',
          { actor: 'system', ip: null, action: 'payout_outcome_unknown', detail: { reason: result.reason } },
          {
            failure: `outcome unknown (${result.reason}): check PayU's module before retrying`,
            nextActionAt: null,
          },
        );
        deps.logger.warn(
          { merchant: merchant.id, returnId: ret.id, reason: result.reason },
          'payout outcome unknown: needs review',
        );
        return;
    }
  }

  async function submitRefund(merchant: MerchantConfig, ret: ReturnRecord): Promise<void> {
    const client = deps.ports.refunds(merchant);
    const checkout = await deps.store.getCheckout(merchant.id, ret.reference);
    const orderId = checkout?.payuReference;
    const parent = checkout?.transactionId?.replace(/^reconcile:/, '');
    if (!client || !checkout || !orderId || !parent) {
      await move(
        merchant,
        ret,
        ret.state,
        { actor: 'system', ip: null, action: 'refund_unavailable' },
        {
          route: 'payout',
          nextActionAt: now(),
        },
      );
      return;
    }
    const sending =
      ret.state === 'sending'
        ? ret
        : await move(
            merchant,
            ret,
            'sending',
            { actor: 'system', ip: null, action: 'refund_requested' },
            { nextActionAt: now() },
          );
    if (!sending) return;
    const partial =
      ret.amount < checkout.amount
        ? { value: formatMinor(ret.amount, ret.currency), currency: ret.currency }
        : null;
    const result = await client.submitRefund({
      orderId,
      parentTransactionId: parent,
      partial,
      reason: ret.reason,
    });
    const at = now();
    if (result.kind === 'submitted') {
      await move(
        merchant,
        sending,
        'sending',
        { actor: 'payu', ip: null, action: 'refund_submitted' },
        {
          failure: null,
          nextActionAt: new Date(at.getTime() + REFUND_POLL_MS),
        },
      );
    } else if (result.kind === 'failed') {
      // PayU keeps one refund request per transaction, so submitting again is safe.
      await move(
        merchant,
        sending,
        'sending',
        { actor: 'system', ip: null, action: 'refund_submit_failed', detail: { message: result.message } },
        {
          failure: `resubmit: ${result.message}`,
          nextActionAt: new Date(at.getTime() + 5 * MINUTE),
        },
      );
    } else {
      await refundDeclined(merchant, sending, result.message);
    }
  }

  /** A declined card refund falls back to a payout (docs/spec/money-back.md "Routes"). */
  async function refundDeclined(merchant: MerchantConfig, ret: ReturnRecord, message: string): Promise<void> {
    const failed = await move(
      merchant,
      ret,
      'failed',
      { actor: 'payu', ip: null, action: 'refund_declined', detail: { message } },
      {
        failure: `card refund declined: ${message}`,
        refundDeclined: true,
      },
    );
    if (!failed) return;
    await move(
      merchant,
      failed,
      'approved',
      { actor: 'system', ip: null, action: 'route_changed', detail: { route: 'payout' } },
      {
        route: 'payout',
        nextActionAt: now(),
      },
    );
  }

  async function pollRefund(merchant: MerchantConfig, ret: ReturnRecord): Promise<void> {
    if (ret.failure?.startsWith('resubmit')) return submitRefund(merchant, ret);
    const client = deps.ports.refunds(merchant);
    const checkout = await deps.store.getCheckout(merchant.id, ret.reference);
    const status =
      client && checkout?.payuReference ? await client.refundStatus(checkout.payuReference) : null;
    if (status === 'approved') {
      await move(
        merchant,
        ret,
        'paid',
        { actor: 'payu', ip: null, action: 'refund_approved' },
        { nextActionAt: null },
        'return.paid',
      );
    } else if (status === 'declined') {
      await refundDeclined(merchant, ret, 'declined in review');
    } else {
      await move(
        merchant,
        ret,
        'sending',
        { actor: 'system', ip: null, action: 'refund_polled', detail: { status } },
        {
          nextActionAt: new Date(now().getTime() + REFUND_POLL_MS),
        },
      );
    }
  }

  /** One due return: the next step of its route. */
  async function step(ret: ReturnRecord): Promise<void> {
    const merchant = deps.merchants.get(ret.merchantId);
    if (!merchant) return;
    if (ret.route === 'refund' && (ret.state === 'approved' || ret.state === 'sending')) {
      return ret.state === 'approved' ? submitRefund(merchant, ret) : pollRefund(merchant, ret);
    }
    if (ret.route !== 'payout') return;
    if (ret.state === 'approved' || ret.state === 'awaiting_details') {
      if (ret.bankDetailsSealed && deps.ports.payouts(merchant)) return requestPayout(merchant, ret);
      if (ret.state === 'approved') {
        await move(
          merchant,
          ret,
          'awaiting_details',
          { actor: 'system', ip: null, action: 'bank_details_requested' },
          { nextActionAt: null },
        );
      }
      return;
    }
    if (ret.state === 'sending' && !ret.payout.paymentOrderId) {
      if (ret.failure?.startsWith('not_sent')) return requestPayout(merchant, ret);
      // The intent was committed but PayU's answer never recorded (a crash, a lost process): never resend.
      await move(
        merchant,
        ret,
        'needs_review',
        { actor: 'system', ip: null, action: 'payout_outcome_unknown' },
        {
          failure: "the payout request's outcome was not recorded: check PayU's module before retrying",
          nextActionAt: null,
        },
      );
      return;
    }
    if (ret.state === 'sending' || ret.state === 'in_bank') {
      await move(
        merchant,
        ret,
        'needs_review',
        { actor: 'system', ip: null, action: 'payout_silent' },
        {
          failure: "no news from PayU about this payout: check PayU's module",
          nextActionAt: null,
        },
      );
    }
  }

  return {
    links,

    async createMerchantReturn(
      merchant: MerchantConfig,
      body: z.infer<typeof returnRequestSchema>,
      ctx: { ip: string | null; idempotencyKey: string | null },
    ) {
      const checkout = await deps.store.getCheckout(merchant.id, body.reference);
      if (!checkout) return fail({ error: 'payment_not_found' });
      const amount =
        body.amount === undefined ? checkout.amount : parseExactMinor(body.amount, checkout.currency);
      if (amount === null || amount <= 0n) return fail({ error: 'invalid_amount' });
      const at = now();
      const result = await deps.store.createReturn({
        id: newReturnId(),
        merchantId: merchant.id,
        reference: body.reference,
        idempotencyKey: ctx.idempotencyKey ?? `auto:${randomBytes(12).toString('base64url')}`,
        reason: 'merchant',
        note: body.reason,
        amount,
        split: splitOverItems,
        state: body.type === 'success' ? 'recorded' : 'pending',
        route:
          body.type === 'success'
            ? 'none'
            : route(merchant, {
                currency: checkout.currency,
                paymentMethodType: checkout.paymentMethodType,
                approvedAt: checkout.updatedAt,
                amount,
              }),
        now: at,
        audit: { actor: 'merchant', ip: ctx.ip, action: body.type === 'success' ? 'recorded' : 'create' },
        events: events(merchant, 'return.created', at),
      });
      switch (result.kind) {
        case 'not_found':
          return fail({ error: 'payment_not_found' });
        case 'not_approved':
          return fail({ error: 'payment_not_approved' });
        case 'exceeds':
          return fail({
            error: 'return_exceeds_payment',
            available: formatMinor(result.available, checkout.currency),
          });
        case 'created':
          if (merchant.webhook) deps.onOutboxWritten();
          deps.logger.info(
            { merchant: merchant.id, returnId: result.ret.id, state: result.ret.state },
            'return created',
          );
          return { ok: true as const, created: true, value: result.ret };
        case 'idempotent':
          return { ok: true as const, created: false, value: result.ret };
      }
    },

    async decide(
      merchant: MerchantConfig,
      id: string,
      decision: 'approve' | 'reject' | 'retry',
      ip: string | null,
    ) {
      const ret = await deps.store.getReturn(merchant.id, id);
      if (!ret) return fail({ error: 'not_found' });
      const to: ReturnState = decision === 'reject' ? 'rejected' : 'approved';
      const allowedFrom: ReturnState[] =
        decision === 'retry' ? ['failed', 'cancelled', 'needs_review'] : ['pending'];
      if (!allowedFrom.includes(ret.state)) return fail({ error: 'invalid_state', state: ret.state });
      // needs_review → approved is a person's decision after checking PayU's module that nothing was sent.
      const from =
        ret.state === 'needs_review'
          ? await move(merchant, ret, 'failed', { actor: 'merchant', ip, action: 'reviewed_not_sent' })
          : ret;
      if (!from) return fail({ error: 'invalid_state', state: ret.state });
      const moved = await move(
        merchant,
        from,
        to,
        { actor: 'merchant', ip, action: decision },
        decision === 'reject'
          ? { nextActionAt: null }
          : {
              nextActionAt: now(),
              failure: null,
              payout: { paymentOrderId: null, payoutState: null, orderStatus: null },
            },
        decision === 'reject' ? 'return.rejected' : decision === 'approve' ? 'return.approved' : null,
      );
      if (!moved)
        return fail({
          error: 'invalid_state',
          state: (await deps.store.getReturn(merchant.id, id))?.state ?? ret.state,
        });
      if (decision !== 'reject') deps.onWork?.();
      return ok(moved);
    },

    async cancel(merchant: MerchantConfig, id: string, ip: string | null) {
      const ret = await deps.store.getReturn(merchant.id, id);
      if (!ret) return fail({ error: 'not_found' });
      if (ret.state === 'awaiting_details') {
        const moved = await move(
          merchant,
          ret,
          'cancelled',
          { actor: 'merchant', ip, action: 'cancel' },
          { nextActionAt: null },
          'return.cancelled',
        );
        return moved ? ok(moved) : fail({ error: 'invalid_state', state: ret.state });
      }
      const client = deps.ports.payouts(merchant);
      const order = ret.payout.paymentOrderId;
      if (
        ret.state !== 'sending' ||
        !order ||
        !client ||
        !payoutCancellable(asPaymentOrderState(ret.payout.orderStatus))
      ) {
        return fail({ error: 'payout_not_cancellable' });
      }
      const answer = await client.cancelPayout(order, `Saldo return ${ret.id} cancelled by the merchant`);
      if (!answer.ok) return fail({ error: 'payout_not_cancellable' });
      // PayU cancels asynchronously: the payout's REJECTED notice turns this return into `cancelled`.
      const noted = await move(merchant, ret, 'sending', {
        actor: 'merchant',
        ip,
        action: 'cancel_requested',
      });
      return ok(noted ?? ret);
    },

    async checkOverpayment(merchant: MerchantConfig, reference: string, paymentMethodType: string | null) {
      const at = now();
      const created = await deps.store.detectOverpayment({
        merchantId: merchant.id,
        reference,
        paymentMethodType,
        now: at,
        newId: newReturnId,
        route: (facts) => route(merchant, facts),
        audit: { actor: 'system', ip: null, action: 'overpayment_detected' },
        events: events(merchant, 'return.created', at),
      });
      if (created.length > 0) {
        if (merchant.webhook) deps.onOutboxWritten();
        deps.logger.warn(
          { merchant: merchant.id, reference, returns: created.map((r) => r.id) },
          'over-payment detected',
        );
      }
      return created;
    },

    /** What the payer's bank-details page shows (masked; never the stored details). */
    async payerView(merchant: MerchantConfig, token: string) {
      const link = links.open(token, merchant.id, now());
      if (!link.ok) return fail({ error: link.error });
      const ret = await deps.store.getReturn(merchant.id, link.returnId);
      if (!ret) return fail({ error: 'invalid_token' });
      return ok({ ret, view: payerReturnView(ret, link.expiresAt) });
    },

    async submitBankDetails(merchant: MerchantConfig, token: string, input: unknown, ip: string | null) {
      const link = links.open(token, merchant.id, now());
      if (!link.ok) return fail({ error: link.error });
      const ret = await deps.store.getReturn(merchant.id, link.returnId);
      if (!ret) return fail({ error: 'invalid_token' });
      if (ret.state !== 'awaiting_details' && ret.state !== 'failed')
        return fail({ error: 'invalid_state', state: ret.state });
      const checkout = await deps.store.getCheckout(merchant.id, ret.reference);
      const checked = validateBankDetails(input);
      if (!checked.ok) return fail({ error: 'invalid_bank_details', fields: [...checked.issues] });
      const sameDocument = merchant.payouts?.sameDocumentOnly ?? true;
      if (
        sameDocument &&
        checkout?.payerHash &&
        payerFingerprint(deps.config.linkSecret, merchant.id, documentBase(checked.details)) !==
          checkout.payerHash
      ) {
        return fail({
          error: 'invalid_bank_details',
          fields: [{ field: 'documentNumber', issue: 'document_mismatch' }],
        });
      }
      const patch: ReturnPatch = {
        bankDetailsSealed: vault.seal(JSON.stringify(checked.details)),
        bankMasked: maskAccountNumber(checked.details.accountNumber),
        nextActionAt: ret.state === 'awaiting_details' ? now() : null,
      };
      const moved = await move(
        merchant,
        ret,
        ret.state,
        { actor: 'payer', ip, action: 'bank_details_given', detail: { bank: checked.details.bankCode } },
        patch,
      );
      if (!moved) return fail({ error: 'invalid_state', state: ret.state });
      deps.onWork?.();
      return ok({ ret: moved, view: payerReturnView(moved, link.expiresAt) });
    },

    /** A PayU payout notification (a hint: unsigned, possibly repeated or out of order). */
    async onPayoutNotice(
      merchant: MerchantConfig,
      notice: Record<string, unknown>,
    ): Promise<'applied' | 'ignored' | 'unknown_payout'> {
      const pushPaymentId = typeof notice.pushPaymentId === 'string' ? notice.pushPaymentId : null;
      if (!pushPaymentId) return 'ignored';
      const state = asPayoutRequestState(notice.state);
      const status = asPaymentOrderState(notice.status);
      const validation = typeof notice.validationState === 'string' ? notice.validationState : '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const ret = await deps.store.findReturnByPaymentOrder(pushPaymentId);
        if (!ret || ret.merchantId !== merchant.id) return 'unknown_payout';
        const progress = payoutProgress(state, status);
        const rank: Partial<Record<ReturnState, number>> = {
          sending: 1,
          needs_review: 1,
          in_bank: 2,
          paid: 3,
          failed: 3,
          cancelled: 3,
        };
        const target: Record<string, ReturnState> = {
          sending: 'sending',
          in_bank: 'in_bank',
          paid: 'paid',
          failed: 'failed',
        };
        let to: ReturnState = ret.state;
        if (progress && (rank[target[progress]!] ?? 0) > (rank[ret.state] ?? 9)) to = target[progress]!;
        if (to === 'failed') {
          const history = await deps.store.returnEvents(merchant.id, ret.id);
          if (history.some((e) => e.action === 'cancel_requested') && ret.state === 'sending')
            to = 'cancelled';
        }
        const at = now();
        const patch: ReturnPatch =
          to === ret.state && (rank[ret.state] ?? 9) > (progress ? (rank[target[progress]!] ?? 0) : 0)
            ? {}
            : {
                payout: {
                  payoutState: state,
                  orderStatus: status,
                  ...(to === 'in_bank'
                    ? { inBankAt: at, expectedArrivalAt: expectedArrival(at, deps.ports.isHoliday) }
                    : {}),
                },
                ...(to === 'failed'
                  ? {
                      failure: String(notice.errorMessage ?? 'rejected by PayU or the bank'),
                      nextActionAt: null,
                    }
                  : {}),
                ...(to === 'paid' || to === 'cancelled' ? { nextActionAt: null } : {}),
              };
        const event: ReturnEventType | null =
          to === ret.state
            ? null
            : to === 'paid'
              ? 'return.paid'
              : to === 'failed'
                ? 'return.failed'
                : to === 'cancelled'
                  ? 'return.cancelled'
                  : null;
        const notices = await payerNotices(merchant, ret, to, at);
        const r = await deps.store.transitionReturn({
          merchantId: merchant.id,
          id: ret.id,
          from: ret.state,
          to,
          patch,
          ...(notices ? { notifications: notices } : {}),
          now: at,
          audit: {
            actor: 'payu',
            ip: null,
            action: 'payout_notice',
            detail: { state, status, validationState: validation || null },
            dedupeKey: `${pushPaymentId}|${state ?? ''}|${status ?? ''}|${validation}`,
          },
          events: events(merchant, event, at),
        });
        if (r.kind === 'conflict') continue;
        if (r.kind === 'changed') {
          wake(merchant, event, notices !== undefined);
          if (to !== ret.state) {
            deps.logger.info(
              { merchant: merchant.id, returnId: ret.id, from: ret.state, to },
              'return state changed',
            );
          }
        }
        return 'applied';
      }
      return 'ignored';
    },

    /** The job's work: over-payments a crash left unchecked, then every due return, each under a lease. */
    async runDue(limit = 20): Promise<number> {
      for (const { merchantId, reference } of await deps.store.uncheckedApprovals(limit)) {
        const merchant = deps.merchants.get(merchantId);
        if (merchant) await this.checkOverpayment(merchant, reference, null);
      }
      const due = await deps.store.claimDueReturns(now(), limit, 5 * MINUTE);
      for (const ret of due) {
        try {
          await step(ret);
        } catch (err) {
          deps.logger.error({ returnId: ret.id, err: (err as Error).message }, 'return step failed');
        }
      }
      return due.length;
    },

    view: returnView,
    banks: PAYOUT_BANKS,
  };
}

/** What the payer is shown about a return: state, amount, masked account, expected arrival. */
export function payerReturnView(ret: ReturnRecord, linkExpiresAt: Date | null) {
  return {
    id: ret.id,
    state: ret.state,
    amount: formatMinor(ret.amount, ret.currency),
    currency: ret.currency,
    route: ret.route,
    bankAccount: ret.bankMasked,
    // Until given; after a failure (bank rejection) the payer may correct them.
    needsBankDetails:
      ret.route === 'payout' &&
      ((ret.state === 'awaiting_details' && !ret.bankMasked) || ret.state === 'failed'),
    expectedArrival: ret.payout.expectedArrivalAt?.toISOString() ?? null,
    linkExpiresAt: linkExpiresAt?.toISOString() ?? null,
  };
}

export type ReturnsService = ReturnType<typeof createReturnsService>;
