import { createHash, timingSafeEqual } from 'node:crypto';
import type { Handler } from 'hono';
import { z } from 'zod';
import { authorizationCode, CODES, twoDecimals, type SimOrder } from './protocol';
import type { PayuSimMerchant } from './types';

/**
 * PayU's Queries API (`/reports-api/4.0/service.cgi`), as far as the reconciliation job uses it: PING and
 * ORDER_DETAIL_BY_REFERENCE_CODE, authenticated by apiLogin + apiKey, in PayU's JSON shape.
 */
export interface QueriesApiOptions {
  readonly merchants: (merchantId: string) => PayuSimMerchant | undefined;
  /** The merchant id of an apiLogin (requests carry the login, not the merchant id). */
  readonly merchantIdByApiLogin: (apiLogin: string) => string | undefined;
  readonly order: (merchantId: string, reference: string) => SimOrder | undefined;
}

export function queriesApi(options: QueriesApiOptions): Handler {
  return async (c) => {
    // Without `Accept: application/json` PayU answers in XML; so does the simulator (with an error), so a
    // client that forgets the header finds out here.
    if (!(c.req.header('accept') ?? '').includes('application/json')) {
      return c.body(
        '<?xml version="1.0" encoding="UTF-8"?><reportingResponse><code>ERROR</code>' +
          '<error>Accept: application/json expected</error></reportingResponse>',
        200,
        { 'Content-Type': 'application/xml; charset=utf-8' },
      );
    }
    const json = await c.req.json().catch(() => null);
    const parsed = queriesRequestSchema.safeParse(json);
    if (!parsed.success) return c.json(queriesError('Invalid request'), 200);
    const request = parsed.data;
    if (request.command === 'PING') return c.json({ code: 'SUCCESS', error: null, result: null }, 200);
    if (request.command !== 'ORDER_DETAIL_BY_REFERENCE_CODE') {
      return c.json(queriesError(`Command not supported by the simulator: ${request.command}`), 200);
    }
    const merchantId = options.merchantIdByApiLogin(request.merchant.apiLogin);
    const merchant = merchantId === undefined ? undefined : options.merchants(merchantId);
    const authenticated =
      merchant !== undefined &&
      credentialsMatch(merchant.apiLogin, request.merchant.apiLogin) &&
      credentialsMatch(merchant.apiKey, request.merchant.apiKey);
    if (!authenticated || merchantId === undefined) return c.json(queriesError('Invalid credentials'), 200);
    const reference = request.details?.referenceCode;
    if (!reference) return c.json(queriesError('referenceCode is required'), 200);
    const order = options.order(merchantId, reference);
    return c.json(
      { code: 'SUCCESS', error: null, result: { payload: order ? [orderJson(order)] : null } },
      200,
    );
  };
}

/** Digests first, so the comparison is constant time whatever the lengths. */
function credentialsMatch(expected: string | undefined, given: string): boolean {
  if (expected === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

const queriesRequestSchema = z.object({
  test: z.boolean().optional(),
  language: z.string().optional(),
  command: z.string(),
  merchant: z.object({ apiLogin: z.string(), apiKey: z.string() }),
  details: z.object({ referenceCode: z.string().max(255).optional() }).optional(),
});

function queriesError(message: string) {
  return { code: 'ERROR', error: message, result: null };
}

/** PayU's ORDER_DETAIL_BY_REFERENCE_CODE order, limited to the fields a client can rely on. */
function orderJson(order: SimOrder) {
  const { form } = order;
  const states = order.transactions.map((t) => t.state);
  const status = states.includes('APPROVED')
    ? 'CAPTURED'
    : states.length === 0
      ? 'NEW'
      : states.includes('PENDING')
        ? 'IN_PROGRESS'
        : 'DECLINED';
  const value = Number(twoDecimals(form.amount));
  return {
    id: Number(order.id),
    accountId: Number(form.accountId),
    status,
    referenceCode: form.referenceCode,
    description: form.description,
    airlineCode: null,
    language: form.lng === 'en' ? 'en' : 'es',
    notifyUrl: form.confirmationUrl,
    shippingAddress: null,
    buyer: {
      emailAddress: form.buyerEmail,
      fullName: form.buyerFullName ?? null,
      contactPhone: form.telephone ?? null,
    },
    antifraudMerchantId: null,
    isTest: form.test === '1',
    transactions: order.transactions.map((tx) => ({
      id: tx.id,
      order: null,
      creditCard: null,
      type: 'AUTHORIZATION_AND_CAPTURE',
      transactionResponse: {
        state: tx.state,
        paymentNetworkResponseCode: null,
        paymentNetworkResponseErrorMessage: null,
        trazabilityCode: tx.id.slice(0, 8),
        authorizationCode: tx.state === 'APPROVED' ? authorizationCode(tx.id) : null,
        pendingReason: tx.state === 'PENDING' ? 'AWAITING_NOTIFICATION' : null,
        responseCode: CODES[tx.state].lapResponseCode,
        errorCode: null,
        responseMessage: null,
        transactionDate: null,
        transactionTime: null,
        operationDate: tx.operationDate,
        extraParameters: null,
      },
      paymentMethod: 'VISA',
      source: 'WEB',
      additionalValues: { TX_VALUE: { value, currency: form.currency } },
    })),
    additionalValues: { TX_VALUE: { value, currency: form.currency } },
  };
}
