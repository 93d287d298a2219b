import { useCallback, useEffect, useRef, useState } from 'react';
import type { PaymentResponse } from '../../../shared/api/schemas';
import { ApiError, isApiError } from '../../lib/api-client';
import { useApiClient } from '../../lib/api-context';

export interface PollingOptions {
  /** First delay between checks while the payment is pending. */
  intervalMs?: number;
  /** Checks at the first interval before the delay starts to grow. */
  steadyChecks?: number;
  maxIntervalMs?: number;
  /** Stop asking after this long; the payer can ask again with a button. */
  maxWaitMs?: number;
}

export interface PaymentStatusState {
  payment: PaymentResponse | null;
  error: ApiError | null;
  /** Pending and still checking. */
  polling: boolean;
  /** Pending, and we stopped checking after maxWaitMs. */
  gaveUp: boolean;
}

const DEFAULTS: Required<PollingOptions> = {
  intervalMs: 3_000,
  steadyChecks: 10,
  maxIntervalMs: 30_000,
  maxWaitMs: 10 * 60_000,
};

/** Errors that will not go away by asking again. */
function isFinalError(error: ApiError): boolean {
  return error.status === 404 || error.status === 400;
}

/**
 * The payment's state from the BFF (the source of truth, fed by PayU's confirmation). While it is pending,
 * ask every 3 s, then back off by ×1.5 up to 30 s, and stop after about ten minutes.
 */
export function usePaymentStatus(merchantId: string, reference: string, options: PollingOptions = {}) {
  const api = useApiClient();
  const { intervalMs, steadyChecks, maxIntervalMs, maxWaitMs } = { ...DEFAULTS, ...options };
  const [state, setState] = useState<PaymentStatusState>({
    payment: null,
    error: null,
    polling: true,
    gaveUp: false,
  });
  const [round, setRound] = useState(0);
  const latest = useRef<PaymentResponse | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let checks = 0;

    const schedule = () => {
      const growth = Math.max(0, checks - steadyChecks);
      const delay = Math.min(maxIntervalMs, intervalMs * 1.5 ** growth);
      if (Date.now() - started + delay > maxWaitMs) {
        setState((s) => ({ ...s, polling: false, gaveUp: true }));
        return;
      }
      timer = setTimeout(check, delay);
    };

    const check = async () => {
      checks += 1;
      try {
        const payment = await api.payment(merchantId, reference, { signal: controller.signal });
        if (controller.signal.aborted) return;
        latest.current = payment;
        const pending = payment.status === 'pending';
        setState({ payment, error: null, polling: pending, gaveUp: false });
        if (pending) schedule();
      } catch (error) {
        if (controller.signal.aborted) return;
        const apiError = isApiError(error) ? error : new ApiError(0, 'invalid_response');
        if (isFinalError(apiError)) {
          setState({ payment: latest.current, error: apiError, polling: false, gaveUp: false });
          return;
        }
        // A dropped connection while waiting is not news: keep the last known state and ask again.
        setState((s) => ({ ...s, error: s.payment ? null : apiError }));
        schedule();
      }
    };

    void check();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, merchantId, reference, intervalMs, steadyChecks, maxIntervalMs, maxWaitMs, round]);

  const checkAgain = useCallback(() => {
    setState((s) => ({ ...s, polling: true, gaveUp: false, error: null }));
    setRound((r) => r + 1);
  }, []);

  return { ...state, checkAgain };
}
