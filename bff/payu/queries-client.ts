import { z } from 'zod';
import type { PayuMode } from './form';

/**
 * PayU's Queries API, used to reconcile a checkout whose confirmation never arrived. Only
 * ORDER_DETAIL_BY_REFERENCE_CODE is needed: one reference may hold several orders and each order several
 * transactions (every payer retry is a new transaction).
 */

export const PAYU_QUERIES_URLS = {
  production: 'https://api.payulatam.com/reports-api/4.0/service.cgi',
  sandbox: 'https://sandbox.api.payulatam.com/reports-api/4.0/service.cgi',
} as const;

export function payuQueriesUrl(mode: PayuMode, simulatorUrl?: string): string {
  if (mode !== 'simulator') return PAYU_QUERIES_URLS[mode];
  if (!simulatorUrl) throw new Error('payu: simulator mode needs the simulator Queries URL');
  return simulatorUrl;
}

export type PayuOrderStatus = 'approved' | 'declined' | 'pending' | 'expired' | 'error' | 'not_found';

export type QueryOrderFailure = 'timeout' | 'network' | 'http_status' | 'invalid_response' | 'api_error';

export type QueryOrderResult =
  | {
      readonly ok: true;
      readonly status: PayuOrderStatus;
      /** PayU's order id (`reference_pol` in callbacks) and the transaction that decided the status. */
      readonly orderId: string | null;
      readonly transactionId: string | null;
    }
  | {
      readonly ok: false;
      readonly error: QueryOrderFailure;
      readonly message: string;
      readonly httpStatus?: number;
    };

export interface QueryOrderInput {
  readonly mode: PayuMode;
  /** The simulator's `…/reports-api/4.0/service.cgi`; required in simulator mode. */
  readonly simulatorUrl?: string;
  readonly apiLogin: string;
  readonly apiKey: string;
  readonly reference: string;
  readonly fetch: typeof fetch;
  /** Default 10 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const idSchema = z.union([z.string(), z.number()]).transform(String);

const transactionSchema = z.object({
  id: idSchema.nullish(),
  transactionResponse: z
    .object({
      state: z.string(),
      operationDate: z.number().nullish(),
    })
    .nullish(),
});

const orderSchema = z.object({
  id: idSchema.nullish(),
  status: z.string().nullish(),
  referenceCode: z.string().nullish(),
  transactions: z.array(transactionSchema).nullish(),
});

// PayU answers `payload: null` (or an empty list) for a reference it has no order for.
export const orderDetailByReferenceSchema = z.object({
  code: z.string(),
  error: z.string().nullish(),
  result: z.object({ payload: z.array(orderSchema).nullish() }).nullish(),
});

type Order = z.infer<typeof orderSchema>;

const MAX_BODY = 1_000_000;

export async function queryOrderByReference(input: QueryOrderInput): Promise<QueryOrderResult> {
  const url = payuQueriesUrl(input.mode, input.simulatorUrl);
  const timeout = AbortSignal.timeout(input.timeoutMs ?? 10_000);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  const body = {
    test: false,
    language: 'en',
    command: 'ORDER_DETAIL_BY_REFERENCE_CODE',
    merchant: { apiLogin: input.apiLogin, apiKey: input.apiKey },
    details: { referenceCode: input.reference },
  };
  let text: string;
  let status: number;
  try {
    const res = await input.fetch(url, {
      method: 'POST',
      // Without `Accept: application/json` PayU answers in XML.
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
      redirect: 'error',
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    if (timeout.aborted) return { ok: false, error: 'timeout', message: 'PayU Queries API timed out' };
    return { ok: false, error: 'network', message: err instanceof Error ? err.message : String(err) };
  }
  if (status !== 200) {
    return {
      ok: false,
      error: 'http_status',
      message: `PayU Queries API answered ${status}`,
      httpStatus: status,
    };
  }
  if (text.length > MAX_BODY) return { ok: false, error: 'invalid_response', message: 'response too large' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'invalid_response', message: 'response is not JSON' };
  }
  const parsed = orderDetailByReferenceSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: 'invalid_response', message: 'unexpected response shape' };
  if (parsed.data.code !== 'SUCCESS') {
    return { ok: false, error: 'api_error', message: parsed.data.error ?? parsed.data.code };
  }
  const orders = (parsed.data.result?.payload ?? []).filter(
    (o) => o.referenceCode == null || o.referenceCode === input.reference,
  );
  return orderStatus(orders);
}

const FINAL_TX_STATES: Readonly<Record<string, PayuOrderStatus>> = {
  DECLINED: 'declined',
  EXPIRED: 'expired',
  ERROR: 'error',
};

/**
 * One status for all orders and transactions of a reference. An approved transaction wins (money was taken,
 * whatever failed before or after); then anything still in flight (PENDING, SUBMITTED, or an order without
 * transactions yet) is pending; otherwise the latest final transaction decides. A transaction state outside
 * PayU's list is reported as an invalid response rather than guessed at.
 */
export function orderStatus(orders: readonly Order[]): QueryOrderResult {
  if (orders.length === 0) return { ok: true, status: 'not_found', orderId: null, transactionId: null };
  const all = orders.flatMap((order) => (order.transactions ?? []).map((tx) => ({ order, tx })));
  const approved = all.find((t) => t.tx.transactionResponse?.state === 'APPROVED');
  if (approved) return found('approved', approved.order, approved.tx.id);
  const captured = orders.find((o) => o.status === 'CAPTURED' && (o.transactions ?? []).length === 0);
  if (captured) return found('approved', captured, null);

  const inFlight = all.find((t) => ['PENDING', 'SUBMITTED'].includes(t.tx.transactionResponse?.state ?? ''));
  if (inFlight) return found('pending', inFlight.order, inFlight.tx.id);
  const empty = orders.find((o) => (o.transactions ?? []).length === 0);
  if (empty) return found('pending', empty, null);

  let latest: (typeof all)[number] | undefined;
  for (const t of all) {
    const state = t.tx.transactionResponse?.state;
    if (state === undefined || FINAL_TX_STATES[state] === undefined) {
      return {
        ok: false,
        error: 'invalid_response',
        message: `unknown transaction state ${state ?? '(none)'}`,
      };
    }
    const date = t.tx.transactionResponse?.operationDate ?? null;
    const latestDate = latest?.tx.transactionResponse?.operationDate ?? null;
    if (!latest || (date !== null && latestDate !== null ? date >= latestDate : true)) latest = t;
  }
  if (!latest) return { ok: false, error: 'invalid_response', message: 'no transactions' };
  const state = FINAL_TX_STATES[latest.tx.transactionResponse?.state ?? ''] ?? 'error';
  return found(state, latest.order, latest.tx.id);
}

function found(
  status: PayuOrderStatus,
  order: Order,
  transactionId: string | null | undefined,
): QueryOrderResult {
  return { ok: true, status, orderId: order.id ?? null, transactionId: transactionId ?? null };
}
