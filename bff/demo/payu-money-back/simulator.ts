import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { sign, verify } from 'hono/jwt';
import type { HolidayCalendar } from '../../../shared/money-back/ach-schedule';
import { findBank } from '../../../shared/money-back/banks';
import { advance, cancellable, createPayout, type SimPayout } from './payouts-engine';

/**
 * Local doubles of PayU's Payouts API and classic Refunds API (docs/spec/money-back.md "Simulators"), for the
 * demo and the tests. Same paths, bodies, states and documented quirks: a JWT that lives 600 s (clock
 * injected) returned with its `Bearer ` prefix; `Authorization` and `PublicKey` required; partial success
 * with `failedItems`; unknown bank codes refused with PayU's message; numbers echoed back as strings;
 * webhooks unsigned, optionally duplicated and delivered out of order. Refunds: card payments only, at least
 * 100 COP, "already registered" on a second request, PENDING / PENDING_REVIEW, then an outcome after review.
 */
export interface OrderInfo {
  readonly orderId: string;
  readonly transactionId: string;
  /** PayU `payment_method_type`: 2 is a credit card. */
  readonly paymentMethodType: string;
  readonly value: number;
  readonly currency: string;
}

export interface MoneyBackSimulatorOptions {
  readonly now: () => Date;
  readonly isHoliday: HolidayCalendar;
  /** Credentials the simulator accepts (any merchant/account id). */
  readonly apiKey: string;
  readonly apiLogin: string;
  readonly publicKey: string;
  /** The orders PayU "has", for refunds (the WebCheckout simulator's, in the demo). */
  readonly findOrder: (orderId: string) => OrderInfo | null;
  /** Delivers one webhook notification (tests and demo pass a fetch into the portal). */
  readonly deliver: (url: string, body: string) => Promise<void>;
  /** How long PayU's manual refund review takes in simulated time (default 1 day). */
  readonly refundReviewMs?: number;
  /** Simulated time per payout step (default one minute; the demo uses seconds so a payout is watchable). */
  readonly payoutStepMs?: number;
}

interface Refund {
  readonly orderId: string;
  readonly parentTransactionId: string;
  readonly transactionId: string;
  readonly value: number;
  readonly partial: boolean;
  readonly submittedAt: Date;
  outcome: 'APPROVED' | 'DECLINED';
}

const SECRET = 'saldo-payouts-simulator';

const id = z.union([z.string(), z.number()]).transform(String);
const classicRequest = z.object({
  command: z.string(),
  merchant: z.object({ apiKey: z.string(), apiLogin: z.string() }),
  transaction: z
    .object({
      type: z.string().optional(),
      parentTransactionId: z.string().optional(),
      order: z.object({ id }).optional(),
      additionalValues: z.object({ TX_VALUE: z.object({ value: id }) }).optional(),
    })
    .optional(),
  details: z.object({ orderId: id }).optional(),
});

export function createMoneyBackSimulator(o: MoneyBackSimulatorOptions) {
  const payouts = new Map<string, SimPayout>();
  const webhooks = new Map<
    string,
    { id: string; callbackUrl: string; enabledEvents: string[]; created: string }
  >();
  const refunds = new Map<string, Refund>();
  const knobs = { duplicate: false, outOfOrder: false, failCancellation: false };
  const reviewMs = o.refundReviewMs ?? 24 * 3600_000;

  const app = new Hono();

  app.post('/v1.0/authenticate', async (c) => {
    const q = c.req.query();
    if (q.apiKey !== o.apiKey || q.apiLogin !== o.apiLogin || !q.accountId) {
      return c.json({ message: 'Invalid credentials' }, 401);
    }
    const iat = Math.floor(o.now().getTime() / 1000);
    return c.json(
      { token: `Bearer ${await sign({ sub: q.apiLogin, iat, exp: iat + 600 }, SECRET, 'HS256')}` },
      200,
    );
  });

  // Every other payouts call needs a live token and the public key.
  app.use('/v1.0/*', async (c, next) => {
    const auth = c.req.header('Authorization') ?? '';
    const m = /^Bearer (.+)$/.exec(auth);
    if (!m?.[1] || c.req.header('PublicKey') !== o.publicKey) return c.json({ message: 'Unauthorized' }, 401);
    try {
      const claims = await verify(m[1], SECRET, { alg: 'HS256', exp: false, iat: false, nbf: false });
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= o.now().getTime()) {
        return c.json({ message: 'Token expired' }, 401);
      }
    } catch {
      return c.json({ message: 'Unauthorized' }, 401);
    }
    return next();
  });

  app.post('/v1.0/supplier-transfers/:merchantId/:accountId', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { transfers?: unknown } | null;
    if (!body || !Array.isArray(body.transfers)) return c.json({ message: 'transfers is required' }, 400);
    const successfulItems: unknown[] = [];
    const failedItems: unknown[] = [];
    for (const t of body.transfers as Record<string, unknown>[]) {
      const ba = (t.bankAccount ?? {}) as Record<string, unknown>;
      const echo = {
        ...ba,
        accountNumber: String(ba.accountNumber ?? ''),
        documentNumber: String(ba.documentNumber ?? ''),
      };
      const bank = findBank(String(ba.bankCode ?? ''));
      if (!bank) {
        failedItems.push({
          processingStatus: 'FAILED',
          failureMessages: [`There is no registered bank with code: ${String(ba.bankCode ?? '')}`],
          value: t.value,
          bankAccount: { ...echo, processingStatus: 'FAILED' },
          description: t.description,
        });
        continue;
      }
      const p = createPayout({
        paymentOrderId: randomUUID(),
        bankAccountId: randomUUID(),
        value: Number(t.value),
        accountNumber: echo.accountNumber,
        documentNumber: echo.documentNumber,
        fullName: String(ba.fullName ?? ''),
        now: o.now(),
        ...(o.payoutStepMs === undefined ? {} : { stepMs: o.payoutStepMs }),
      });
      payouts.set(p.paymentOrderId, p);
      successfulItems.push({
        processingStatus: 'SUCCESS',
        paymentOrderId: p.paymentOrderId,
        value: Number(t.value).toFixed(2),
        bankAccount: {
          ...echo,
          processingStatus: 'SUCCESS',
          id: p.bankAccountId,
          bankName: bank.name,
          state: 'ACTIVE',
        },
        description: t.description,
      });
    }
    return c.json(
      {
        totalSuccessful: successfulItems.length,
        totalFailed: failedItems.length,
        successfulItems,
        failedItems,
      },
      200,
    );
  });

  app.delete('/v1.0/supplier-transfers/:merchantId/:accountId/:paymentOrderId', (c) => {
    const p = payouts.get(c.req.param('paymentOrderId'));
    if (!p) return c.json({ message: 'Payout not found' }, 404);
    if (!cancellable(p)) return c.json({ message: 'The payout can no longer be cancelled' }, 409);
    p.cancelRequested = true;
    p.cancelWillFail = knobs.failCancellation;
    p.nextAt = o.now();
    return c.json({ message: 'Cancellation request received' }, 200);
  });

  app.post('/v1.0/webhooks/:merchantId/:accountId', async (c) => {
    const b = (await c.req.json().catch(() => null)) as {
      callbackUrl?: unknown;
      enabledEvents?: unknown;
    } | null;
    if (
      typeof b?.callbackUrl !== 'string' ||
      !Array.isArray(b.enabledEvents) ||
      b.enabledEvents.length === 0
    ) {
      return c.json({ message: 'callbackUrl and enabledEvents are required' }, 400);
    }
    if ([...webhooks.values()].some((w) => w.callbackUrl === b.callbackUrl)) {
      return c.json({ message: 'The callbackUrl must be unique per WebHook' }, 409);
    }
    const w = {
      id: randomUUID(),
      callbackUrl: b.callbackUrl,
      enabledEvents: b.enabledEvents.map(String),
      created: o.now().toISOString(),
    };
    webhooks.set(w.id, w);
    return c.json(
      { processingStatus: 'SUCCESS', ...w, accountId: Number(c.req.param('accountId')), status: 'ENABLED' },
      200,
    );
  });

  app.get('/v1.0/webhooks/account/:merchantId/:accountId', (c) =>
    c.json(
      [...webhooks.values()].map((w) => ({ processingStatus: 'SUCCESS', ...w, status: 'ENABLED' })),
      200,
    ),
  );

  app.delete('/v1.0/webhooks/:merchantId/:accountId/:id', (c) => {
    const id = c.req.param('id');
    if (!webhooks.delete(id)) return c.json({ message: 'WebHook not found' }, 404);
    return c.json({ processingStatus: 'SUCCESS', id, status: 'DELETED' }, 200);
  });

  // Classic API: refunds and the order detail that reports them.
  app.post('/payments-api/4.0/service.cgi', async (c) => {
    const parsed = classicRequest.safeParse(await c.req.json().catch(() => null));
    const b = parsed.success ? parsed.data : null;
    if (b?.merchant.apiKey !== o.apiKey || b.merchant.apiLogin !== o.apiLogin) {
      return c.json({ code: 'ERROR', error: 'Invalid credentials', transactionResponse: null }, 200);
    }
    if (b.command !== 'SUBMIT_TRANSACTION')
      return c.json({ code: 'ERROR', error: 'Unsupported command' }, 200);
    const tx = b.transaction ?? {};
    const orderId = tx.order?.id ?? '';
    const order = o.findOrder(orderId);
    if (!order || order.transactionId !== tx.parentTransactionId) {
      return c.json(
        { code: 'ERROR', error: 'The transaction does not exist', transactionResponse: null },
        200,
      );
    }
    if (refunds.has(order.transactionId)) {
      return c.json(
        { code: 'ERROR', error: 'The refund request for this transaction is already registered' },
        200,
      );
    }
    const declined = (message: string) =>
      c.json(
        {
          code: 'SUCCESS',
          error: null,
          transactionResponse: { orderId: Number(orderId), state: 'DECLINED', responseMessage: message },
        },
        200,
      );
    if (order.paymentMethodType !== '2')
      return declined('Refunds are only available for transactions paid with card');
    const partial = tx.type === 'PARTIAL_REFUND';
    const value = partial ? Number(tx.additionalValues?.TX_VALUE?.value) : order.value;
    if (!Number.isFinite(value) || value <= 0 || value > order.value) return declined('Invalid refund value');
    if (order.currency === 'COP' && value < 100) return declined('The minimum refund amount is 100 COP');
    refunds.set(order.transactionId, {
      orderId,
      parentTransactionId: order.transactionId,
      transactionId: randomUUID(),
      value,
      partial,
      submittedAt: o.now(),
      outcome: 'APPROVED',
    });
    return c.json(
      {
        code: 'SUCCESS',
        error: null,
        transactionResponse: {
          orderId: Number(orderId),
          transactionId: null,
          state: 'PENDING',
          pendingReason: 'PENDING_REVIEW',
          responseMessage: orderId,
        },
      },
      200,
    );
  });

  app.post('/reports-api/4.0/service.cgi', async (c) => {
    const parsed = classicRequest.safeParse(await c.req.json().catch(() => null));
    const b = parsed.success ? parsed.data : null;
    if (b?.merchant.apiKey !== o.apiKey || b.merchant.apiLogin !== o.apiLogin) {
      return c.json({ code: 'ERROR', error: 'Invalid credentials' }, 200);
    }
    if (b.command !== 'ORDER_DETAIL') return c.json({ code: 'ERROR', error: 'Unsupported command' }, 200);
    const orderId = b.details?.orderId ?? '';
    const order = o.findOrder(orderId);
    if (!order) return c.json({ code: 'SUCCESS', error: null, result: { payload: null } }, 200);
    const capture = {
      id: order.transactionId,
      type: 'AUTHORIZATION_AND_CAPTURE',
      transactionResponse: { state: 'APPROVED' },
    };
    const refund = [...refunds.values()].find((r) => r.orderId === orderId);
    const reviewed = refund && o.now().getTime() - refund.submittedAt.getTime() >= reviewMs;
    const transactions = reviewed
      ? [
          { id: refund.transactionId, type: 'REFUND', transactionResponse: { state: refund.outcome } },
          capture,
        ]
      : [capture];
    const status = reviewed && refund.outcome === 'APPROVED' ? 'REFUNDED' : 'CAPTURED';
    return c.json(
      { code: 'SUCCESS', error: null, result: { payload: { id: Number(orderId), status, transactions } } },
      200,
    );
  });

  function notification(p: SimPayout) {
    return {
      pushPaymentId: p.paymentOrderId,
      creationDate: p.createdAt.getTime(),
      value: p.value,
      currency: 'COP',
      // PayU's docs write request states with spaces; the simulator sends them that way on purpose.
      state: p.state.replace(/_/g, ' '),
      status: p.status,
      errorCode: p.errorCode,
      errorMessage: p.errorMessage,
      supplierBankAccountId: p.bankAccountId,
      fullName: p.fullName,
      documentNumber: p.documentNumber,
      country: 'CO',
      validationState: p.validationState,
      dateOfTheNextValidation: null,
    };
  }

  return {
    app,
    knobs,
    payouts: payouts as ReadonlyMap<string, SimPayout>,
    /** The next refund review of this order ends with this outcome (default APPROVED). */
    setRefundOutcome(orderId: string, outcome: 'APPROVED' | 'DECLINED'): void {
      for (const r of refunds.values()) if (r.orderId === orderId) r.outcome = outcome;
    },
    /** Advances every payout to the clock's now and delivers the resulting webhooks; returns how many were sent. */
    async tick(): Promise<number> {
      const changes = advance(payouts.values(), o.now(), o.isHoliday);
      let bodies: { url: string; body: string }[] = [];
      for (const ch of changes) {
        for (const w of webhooks.values()) {
          if (!w.enabledEvents.includes(ch.event)) continue;
          const body = JSON.stringify(notification(ch.payout));
          bodies.push({ url: w.callbackUrl, body });
          if (knobs.duplicate) bodies.push({ url: w.callbackUrl, body });
        }
      }
      if (knobs.outOfOrder) bodies = bodies.reverse();
      for (const b of bodies) await o.deliver(b.url, b.body).catch(() => undefined);
      return bodies.length;
    },
  };
}

export type MoneyBackSimulator = ReturnType<typeof createMoneyBackSimulator>;
