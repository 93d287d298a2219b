import { useCallback, useRef, useState } from 'react';
import type { CheckoutRequest, CheckoutResponse } from '../../../shared/api/schemas';
import { ApiError, isApiError } from '../../lib/api-client';
import { useApiClient } from '../../lib/api-context';
import { randomId } from '../../lib/random-id';

export type CheckoutSubmitState =
  | { status: 'idle' }
  | { status: 'submitting' }
  | { status: 'created'; checkout: CheckoutResponse }
  | { status: 'error'; error: ApiError };

/**
 * POST /checkout with an Idempotency-Key that belongs to one submission: a retry, or a second tap, of the
 * same body re-sends the same key, so the BFF answers with the same checkout instead of a second one.
 * Only a changed body gets a new key (the same key with another body is refused with 422).
 */
export function useCheckoutSubmit(merchantId: string) {
  const api = useApiClient();
  const [state, setState] = useState<CheckoutSubmitState>({ status: 'idle' });
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const inFlight = useRef(false);

  const submit = useCallback(
    async (request: CheckoutRequest) => {
      if (inFlight.current) return;
      const body = JSON.stringify(request);
      if (attempt.current?.body !== body) attempt.current = { key: randomId(), body };
      const { key } = attempt.current;
      inFlight.current = true;
      setState({ status: 'submitting' });
      try {
        const checkout = await api.checkout(merchantId, request, key);
        setState({ status: 'created', checkout });
      } catch (error) {
        const apiError = isApiError(error) ? error : new ApiError(0, 'invalid_response');
        // The server saw this key with another body: the next try is a new submission.
        if (apiError.code === 'idempotency_key_reused') attempt.current = null;
        setState({ status: 'error', error: apiError });
      } finally {
        inFlight.current = false;
      }
    },
    [api, merchantId],
  );

  return { state, submit };
}
