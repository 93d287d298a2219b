import { createPollingRunner } from '../jobs/polling-runner';
import { Webhook } from 'standardwebhooks';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import type { OutboxMessage, Store } from '../store/store';

/**
 * Delivers merchant webhooks from the durable outbox (docs/spec/http-api.md "Merchant webhooks"): at least once,
 * signed the Standard Webhooks way with the official library, the same `webhook-id` on every retry,
 * exponential backoff with jitter. Outbox rows are written in the same transaction as the state change,
 * so a crash between commit and delivery loses nothing: the next start picks them up again.
 */
export interface DispatcherDeps {
  readonly store: Store;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** Refuses URLs that must not be called (production: https and public addresses only). */
  readonly urlAllowed?: (url: string) => Promise<boolean>;
  readonly timeoutMs?: number;
  /** Base of the backoff; attempt n waits base × 2^(n−1), capped, ± 20 % jitter. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  readonly random?: () => number;
  readonly onDelivered?: (m: OutboxMessage) => void;
}

export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random: () => number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export function createWebhookDispatcher(deps: DispatcherDeps) {
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const baseMs = deps.backoffBaseMs ?? 5_000;
  const maxMs = deps.backoffMaxMs ?? 6 * 60 * 60_000;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const batchSize = deps.batchSize ?? 20;
  const signers = new Map<string, Webhook>();

  function signer(merchant: MerchantConfig): Webhook | null {
    if (!merchant.webhook) return null;
    let w = signers.get(merchant.id);
    if (!w) {
      w = new Webhook(merchant.webhook.secret);
      signers.set(merchant.id, w);
    }
    return w;
  }

  async function deliver(message: OutboxMessage): Promise<void> {
    const merchant = deps.merchants.get(message.merchantId);
    const webhook = merchant ? signer(merchant) : null;
    const attempt = message.attempts + 1;
    const fail = async (reason: string) => {
      const next = new Date(now().getTime() + backoffDelay(attempt, baseMs, maxMs, random));
      await deps.store.markFailed(message.id, next, reason);
      deps.logger.warn({ messageId: message.messageId, attempt, reason }, 'webhook delivery failed');
    };
    if (!webhook) return fail('no_webhook_secret');
    if (deps.urlAllowed && !(await deps.urlAllowed(message.url))) return fail('url_not_allowed');
    const sentAt = now();
    try {
      const res = await doFetch(message.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Saldo-Webhooks/1',
          'webhook-id': message.messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': webhook.sign(message.messageId, sentAt, message.body),
        },
        body: message.body,
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        await deps.store.markDelivered(message.id, now());
        deps.onDelivered?.(message);
        return;
      }
      return fail(`http_${res.status}`);
    } catch (err) {
      return fail((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection_error');
    }
  }

  /** Delivers everything due now; returns how many messages were attempted. */
  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await deps.store.claimOutbox(now(), batchSize, timeoutMs * 3);
      if (batch.length === 0) return total;
      await Promise.all(batch.map((m) => deliver(m)));
      total += batch.length;
      if (batch.length < batchSize) return total;
    }
  }

  const runner = createPollingRunner(runOnce, {
    intervalMs: deps.pollIntervalMs ?? 2_000,
    onError: (err) =>
      deps.logger.error({ err: { message: (err as Error).message } }, 'webhook dispatcher error'),
  });

  return {
    kick: runner.kick,
    runOnce,
    start: runner.start,
    /** Stops polling and waits for the delivery in progress. */
    stop: runner.stop,
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
