import { startTransition, useCallback, useRef, useState } from 'react';
import type { LookupResponse } from '../../../shared/api/schemas';
import { ApiError, isApiError, type LookupQuery } from '../../lib/api-client';
import { useApiClient } from '../../lib/api-context';

export type LookupState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'success'; data: LookupResponse }
  | { status: 'error'; error: ApiError };

export interface Lookup {
  state: LookupState;
  /** Resolves with the response, or null when it failed or a newer lookup replaced it. */
  run(request: LookupQuery): Promise<LookupResponse | null>;
  reset(): void;
}

/** One lookup at a time: a new one cancels the previous, so a slow old answer never overwrites a new one. */
export function useLookup(merchantId: string): Lookup {
  const api = useApiClient();
  const [state, setState] = useState<LookupState>({ status: 'idle' });
  // No abort on unmount: StrictMode's rehearsal unmount would cancel a lookup a child effect just started,
  // and a late answer for an unmounted provider is simply dropped by React.
  const current = useRef<AbortController | null>(null);

  const run = useCallback(
    async (request: LookupQuery) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setState({ status: 'loading' });
      try {
        const data = await api.lookup(merchantId, request, { signal: controller.signal });
        if (controller.signal.aborted) return null;
        // A transition: React renders the list in short slices, not in one long task.
        startTransition(() => setState({ status: 'success', data }));
        return data;
      } catch (error) {
        if (controller.signal.aborted) return null;
        setState({
          status: 'error',
          error: isApiError(error) ? error : new ApiError(0, 'invalid_response'),
        });
        return null;
      }
    },
    [api, merchantId],
  );

  const reset = useCallback(() => {
    current.current?.abort();
    current.current = null;
    setState({ status: 'idle' });
  }, []);

  return { state, run, reset };
}
