import { z } from 'zod';

/**
 * PayU's classic Refunds API for card payments (docs/spec/money-back.md "Refunds"): `SUBMIT_TRANSACTION`
 * with `REFUND` (whole) or `PARTIAL_REFUND` (part, with TX_VALUE), one request per parent transaction (a second
 * one answers "already registered", so a retry is harmless); no signature, apiKey/apiLogin in the body. PayU
 * reviews it by hand (1–3 business days); its outcome is read with the Queries API's ORDER_DETAIL:
 * order REFUNDED + first transaction REFUND APPROVED → approved; first transaction REFUND DECLINED → declined;
 * anything else → still pending.
 */
export const PAYU_API_BASES = {
  production: 'https://api.payulatam.com',
  sandbox: 'https://sandbox.api.payulatam.com',
} as const;

export interface RefundsCredentials {
  /** The host serving `/payments-api/4.0/service.cgi` and `/reports-api/4.0/service.cgi`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiLogin: string;
  readonly test: boolean;
}

export type SubmitRefundResult =
  | { readonly kind: 'submitted' }
  | { readonly kind: 'declined'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export type RefundStatus = 'pending' | 'approved' | 'declined';

const submitAnswer = z.object({
  code: z.string(),
  error: z.string().nullish(),
  transactionResponse: z
    .object({ state: z.string().nullish(), responseMessage: z.string().nullish() })
    .nullish(),
});

const detailAnswer = z.object({
  code: z.string(),
  error: z.string().nullish(),
  result: z
    .object({
      payload: z
        .object({
          status: z.string().nullish(),
          transactions: z
            .array(
              z.object({
                type: z.string().nullish(),
                transactionResponse: z.object({ state: z.string().nullish() }).nullish(),
              }),
            )
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export function createRefundsClient(
  creds: RefundsCredentials,
  deps: { fetch: typeof fetch; timeoutMs?: number },
) {
  const base = creds.baseUrl.replace(/\/+$/, '');
  const timeoutMs = deps.timeoutMs ?? 15_000;

  async function post(path: string, body: unknown): Promise<unknown> {
    const res = await deps.fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  }

  return {
    async submitRefund(input: {
      readonly orderId: string;
      readonly parentTransactionId: string;
      /** Present for a partial refund: the decimal amount to give back. */
      readonly partial: { readonly value: string; readonly currency: string } | null;
      readonly reason: string;
    }): Promise<SubmitRefundResult> {
      let json: unknown;
      try {
        json = await post('/payments-api/4.0/service.cgi', {
          language: 'es',
          command: 'SUBMIT_TRANSACTION',
          merchant: { apiKey: creds.apiKey, apiLogin: creds.apiLogin },
          transaction: {
            order: { id: input.orderId },
            type: input.partial ? 'PARTIAL_REFUND' : 'REFUND',
            reason: input.reason,
            parentTransactionId: input.parentTransactionId,
            ...(input.partial ? { additionalValues: { TX_VALUE: input.partial } } : {}),
          },
          test: creds.test,
        });
      } catch (err) {
        // Safe to retry later: PayU keeps one refund request per transaction ("already registered").
        return { kind: 'failed', message: (err as Error).message };
      }
      const parsed = submitAnswer.safeParse(json);
      if (!parsed.success) return { kind: 'failed', message: 'unreadable answer' };
      const { code, error, transactionResponse } = parsed.data;
      if (code === 'SUCCESS' && transactionResponse?.state === 'PENDING') return { kind: 'submitted' };
      if (/already registered|ya se encuentra registrad/i.test(error ?? '')) return { kind: 'submitted' };
      return { kind: 'declined', message: error ?? transactionResponse?.responseMessage ?? code };
    },

    async refundStatus(orderId: string): Promise<RefundStatus | null> {
      let json: unknown;
      try {
        json = await post('/reports-api/4.0/service.cgi', {
          language: 'es',
          command: 'ORDER_DETAIL',
          merchant: { apiKey: creds.apiKey, apiLogin: creds.apiLogin },
          details: { orderId: Number(orderId) },
          test: creds.test,
        });
      } catch {
        return null;
      }
      const parsed = detailAnswer.safeParse(json);
      if (!parsed.success || parsed.data.code !== 'SUCCESS') return null;
      const order = parsed.data.result?.payload;
      const first = order?.transactions?.[0];
      if (first?.type === 'REFUND' && first.transactionResponse?.state === 'APPROVED') return 'approved';
      if (first?.type === 'REFUND' && first.transactionResponse?.state === 'DECLINED') return 'declined';
      return 'pending';
    },
  };
}

export type RefundsClient = ReturnType<typeof createRefundsClient>;
