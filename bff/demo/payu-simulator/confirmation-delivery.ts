import type { ConfirmationDelivery, PayuSimulatorLogger } from './types';

/**
 * PayU's confirmation delivery: POSTs the signed form to confirmationUrl and retries anything but exactly
 * HTTP 200, a bounded number of times, with waits that end early when the simulator is closed.
 */
export interface DeliveryOptions {
  readonly fetch: typeof fetch;
  /** Waits between attempts; attempts = delays + 1. */
  readonly retryDelaysMs: readonly number[];
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly logger: PayuSimulatorLogger;
  /** Aborted by the simulator's close(): waits end and attempts stop. */
  readonly lifetime: AbortSignal;
}

export function createConfirmationDelivery(options: DeliveryOptions) {
  const { lifetime, logger } = options;

  /** Resolves true after `ms`, false at once if the simulator is (or gets) closed. */
  function sleep(ms: number): Promise<boolean> {
    const signal = lifetime;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** PayU expects exactly HTTP 200 and retries anything else, a bounded number of times. */
  async function deliver(
    url: string,
    params: Record<string, string>,
    reference: string,
  ): Promise<ConfirmationDelivery> {
    const body = new URLSearchParams(params).toString();
    const maxAttempts = options.retryDelaysMs.length + 1;
    let attempts = 0;
    let status: number | null = null;
    for (;;) {
      if (lifetime.aborted) return { delivered: false, status, attempts };
      attempts += 1;
      try {
        const res = await options.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([lifetime, AbortSignal.timeout(options.timeoutMs)]),
        });
        status = res.status;
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        status = null;
        logger.warn(
          { reference, attempt: attempts, err: errorMessage(err) },
          'payu-sim: confirmation failed',
        );
      }
      if (status === 200) {
        logger.info({ reference, attempts }, 'payu-sim: confirmation delivered');
        return { delivered: true, status, attempts };
      }
      if (attempts >= maxAttempts) {
        logger.warn({ reference, attempts, status }, 'payu-sim: confirmation given up');
        return { delivered: false, status, attempts };
      }
      if (!(await sleep(options.retryDelaysMs[attempts - 1] ?? 0)))
        return { delivered: false, status, attempts };
    }
  }

  return { deliver, sleep };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
