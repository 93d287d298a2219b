import { z } from 'zod';
import type { BankDetails } from '../../shared/money-back/bank-details';

/**
 * PayU Payouts for Colombia (docs/spec/money-back.md "Payouts"). What shapes this client:
 * - the JWT from `/v1.0/authenticate` lives 10 minutes; it is cached for 8 and refetched after any 401;
 *   PayU's answer usually carries the `Bearer ` prefix and older docs did not: it is added only when missing;
 * - `POST /supplier-transfers` has no idempotency key and there is no query endpoint, so a request whose
 *   outcome is unknown (timeout, connection cut, 5xx) is NEVER retried here: the caller records `unknown`
 *   and a person checks PayU's module (`needs_review`). Only failures that prove nothing was created
 *   (a refused token, a connection refused before sending) are reported as `not_sent`.
 */
export const PAYU_PAYOUTS_URLS = {
  production: 'https://transfers.payulatam.com',
  sandbox: 'https://sandbox-transfers.payulatam.com',
} as const;

export interface PayoutsCredentials {
  /** e.g. https://transfers.payulatam.com, or the simulator's base. */
  readonly baseUrl: string;
  readonly merchantId: string;
  readonly accountId: string;
  readonly apiKey: string;
  readonly apiLogin: string;
  readonly publicKey: string;
}

export interface PayoutsClientDeps {
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  /** Per call; default 15 s. */
  readonly timeoutMs?: number;
}

export type RequestPayoutResult =
  | { readonly kind: 'created'; readonly paymentOrderId: string; readonly bankAccountId: string | null }
  | { readonly kind: 'refused'; readonly messages: readonly string[] }
  /** Nothing reached PayU's transfer endpoint (token refused, connection refused): safe to try again. */
  | { readonly kind: 'not_sent'; readonly reason: string }
  /** The request may or may not have created a payout: never retry blindly. */
  | { readonly kind: 'unknown'; readonly reason: string };

export type CancelPayoutResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const TOKEN_TTL_MS = 8 * 60_000;

const tokenSchema = z.object({ token: z.string().min(1) });
const itemSchema = z.object({
  processingStatus: z.string().optional(),
  paymentOrderId: z.string().nullish(),
  failureMessages: z.array(z.string()).nullish(),
  bankAccount: z.object({ id: z.string().nullish() }).partial().nullish(),
});
const transferAnswerSchema = z.object({
  successfulItems: z.array(itemSchema).nullish(),
  failedItems: z.array(itemSchema).nullish(),
});

class NotSent extends Error {}

export function createPayoutsClient(creds: PayoutsCredentials, deps: PayoutsClientDeps) {
  const timeoutMs = deps.timeoutMs ?? 15_000;
  let cached: { header: string; until: number } | null = null;
  const base = creds.baseUrl.replace(/\/+$/, '');

  async function token(): Promise<string> {
    const now = deps.now().getTime();
    if (cached && cached.until > now) return cached.header;
    const q = new URLSearchParams({
      accountId: creds.accountId,
      apiKey: creds.apiKey,
      apiLogin: creds.apiLogin,
    });
    let res: Response;
    try {
      res = await deps.fetch(`${base}/v1.0/authenticate?${q}`, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new NotSent(`authenticate: ${(err as Error).name}`);
    }
    if (!res.ok) throw new NotSent(`authenticate: HTTP ${res.status}`);
    const parsed = tokenSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new NotSent('authenticate: unreadable answer');
    const header = /^bearer /i.test(parsed.data.token) ? parsed.data.token : `Bearer ${parsed.data.token}`;
    cached = { header, until: now + TOKEN_TTL_MS };
    return header;
  }

  async function headers(): Promise<Record<string, string>> {
    return {
      Authorization: await token(),
      PublicKey: creds.publicKey,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
  }

  return {
    /** Drops the cached token (tests; after PayU refused it). */
    forgetToken(): void {
      cached = null;
    },

    async requestPayout(input: {
      readonly value: string;
      readonly details: BankDetails;
      readonly description: string;
    }): Promise<RequestPayoutResult> {
      let h: Record<string, string>;
      try {
        h = await headers();
      } catch (err) {
        return { kind: 'not_sent', reason: (err as Error).message };
      }
      const body = JSON.stringify({
        transfers: [
          {
            value: Number(input.value),
            bankAccount: {
              supplierType: 'RELATED_THIRD_PARTY',
              accountNumber: input.details.accountNumber,
              bankCode: input.details.bankCode,
              accountType: input.details.accountType,
              country: 'CO',
              documentNumber: input.details.documentNumber,
              documentType: input.details.documentType,
              fullName: input.details.fullName,
              merchantId: Number(creds.merchantId),
            },
            description: input.description,
          },
        ],
      });
      let res: Response;
      try {
        res = await deps.fetch(`${base}/v1.0/supplier-transfers/${creds.merchantId}/${creds.accountId}`, {
          method: 'POST',
          headers: h,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        // ECONNREFUSED happens before a byte is sent; anything else may have reached PayU.
        if (e.cause?.code === 'ECONNREFUSED') return { kind: 'not_sent', reason: 'connection refused' };
        return { kind: 'unknown', reason: e.name === 'TimeoutError' ? 'timeout' : `network: ${e.name}` };
      }
      if (res.status === 401 || res.status === 403) {
        cached = null;
        return { kind: 'not_sent', reason: `HTTP ${res.status}` };
      }
      const json: unknown = await res.json().catch(() => null);
      const parsed = transferAnswerSchema.safeParse(json);
      if (!parsed.success) return { kind: 'unknown', reason: `HTTP ${res.status}, unreadable answer` };
      const ok = parsed.data.successfulItems?.[0];
      if (ok?.paymentOrderId) {
        return {
          kind: 'created',
          paymentOrderId: ok.paymentOrderId,
          bankAccountId: ok.bankAccount?.id ?? null,
        };
      }
      const failed = parsed.data.failedItems?.[0];
      if (failed) return { kind: 'refused', messages: failed.failureMessages ?? [] };
      return { kind: 'unknown', reason: `HTTP ${res.status}, no item in the answer` };
    },

    async cancelPayout(paymentOrderId: string, comments: string): Promise<CancelPayoutResult> {
      try {
        const res = await deps.fetch(
          `${base}/v1.0/supplier-transfers/${creds.merchantId}/${creds.accountId}/${encodeURIComponent(paymentOrderId)}`,
          {
            method: 'DELETE',
            headers: await headers(),
            body: JSON.stringify({ comments, pushPaymentId: paymentOrderId }),
            signal: AbortSignal.timeout(timeoutMs),
          },
        );
        if (!res.ok) return { ok: false, reason: `HTTP ${res.status}` };
        return { ok: true };
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    },

    /** Registers (once per merchant) the webhook that tells us about payout changes. */
    async registerWebhook(
      callbackUrl: string,
    ): Promise<{ ok: true; id: string } | { ok: false; reason: string }> {
      try {
        const res = await deps.fetch(`${base}/v1.0/webhooks/${creds.merchantId}/${creds.accountId}`, {
          method: 'POST',
          headers: await headers(),
          body: JSON.stringify({
            accountId: Number(creds.accountId),
            callbackUrl,
            description: 'Saldo returns',
            enabledEvents: ['TRANSFER_CREATION', 'TRANSFER_UPDATE', 'VALIDATION_RESULT'],
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const json = (await res.json().catch(() => null)) as { id?: unknown } | null;
        if (!res.ok || typeof json?.id !== 'string') return { ok: false, reason: `HTTP ${res.status}` };
        return { ok: true, id: json.id };
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    },
  };
}

export type PayoutsClient = ReturnType<typeof createPayoutsClient>;
