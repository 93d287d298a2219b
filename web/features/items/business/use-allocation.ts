import { useEffect, useState } from 'react';
import type { AllocateResponse } from '../../../../shared/api/schemas';
import { ApiError, isApiError } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-context';
import type { Credential } from '../../../lib/payment-store';

/** The preview waits this long after the last keystroke: one request per pause, not one per digit. */
export const PREVIEW_DEBOUNCE_MS = 400;

export type AllocationState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ok'; answer: AllocateResponse }
  /** amount_not_allocatable: the nearest amounts that can be spread (null: none that way). */
  | { status: 'refused'; lower: string | null; upper: string | null }
  | { status: 'error'; error: ApiError };

type Settled = Exclude<AllocationState, { status: 'idle' } | { status: 'loading' }>;

/**
 * POST …/allocate for `amount` (API text; null: nothing to ask) over `refs`, debounced. Answers are kept
 * per (refs, amount), so going back to an amount already seen (a suggestion, a correction) asks nothing
 * (the BFF counts previews against the lookup rate limit). A newer question aborts the older one, so an
 * old answer never shows for a newer amount. A failure other than "not allocatable" shows until `retry`.
 */
export function useAllocation(
  merchantId: string,
  credential: Credential | null,
  refs: readonly string[],
  amount: string | null,
  debounceMs: number = PREVIEW_DEBOUNCE_MS,
): { state: AllocationState; retry(): void } {
  const api = useApiClient();
  const [answers, setAnswers] = useState<ReadonlyMap<string, Settled>>(new Map());
  const credentialBody =
    credential?.kind === 'idNumber'
      ? { idNumber: credential.idNumber }
      : credential?.kind === 'token'
        ? { token: credential.token }
        : null;
  const key =
    amount === null || credentialBody === null ? null : JSON.stringify([credentialBody, refs, amount]);
  const known = key === null ? undefined : answers.get(key);

  useEffect(() => {
    if (key === null || known) return undefined;
    const [body, askRefs, askAmount] = JSON.parse(key) as [
      { idNumber: string } | { token: string },
      string[],
      string,
    ];
    const controller = new AbortController();
    const settle = (state: Settled) => setAnswers((previous) => new Map(previous).set(key, state));
    const timer = setTimeout(() => {
      api
        .allocate(merchantId, { ...body, refs: askRefs, amount: askAmount }, { signal: controller.signal })
        .then(
          (answer) => settle({ status: 'ok', answer }),
          (error: unknown) => {
            if (controller.signal.aborted) return;
            const apiError = isApiError(error) ? error : new ApiError(0, 'invalid_response');
            settle(
              apiError.code === 'amount_not_allocatable'
                ? {
                    status: 'refused',
                    lower: apiError.details.lower ?? null,
                    upper: apiError.details.upper ?? null,
                  }
                : { status: 'error', error: apiError },
            );
          },
        );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, merchantId, key, known, debounceMs]);

  return {
    state: key === null ? { status: 'idle' } : (known ?? { status: 'loading' }),
    // Dropping the failure makes the effect ask again.
    retry: () =>
      setAnswers((previous) => {
        const next = new Map(previous);
        for (const [k, v] of previous) if (v.status === 'error') next.delete(k);
        return next;
      }),
  };
}
