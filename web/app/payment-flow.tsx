import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LookupResponse } from '../../shared/api/schemas';
import { useEmbed } from '../features/embed/embed-context';
import { useLookup, type LookupState } from '../features/lookup/use-lookup';
import { prepareDateFormat } from '../lib/format-money';
import { useDisplayLocale } from '../lib/merchant-context';
import { usePaymentStoreApi, type Credential } from '../lib/payment-store';
import { preloadResults } from './deferred-results';

/**
 * The lookup that the items, checkout and back-navigation share while the payer moves between routes
 * of one merchant. The response is server data and stays here; the credential lives in the store.
 */
export interface PaymentFlow {
  state: LookupState;
  /** The page the lookup was made from (lookup form or statement link), where "back" returns. */
  origin: string | null;
  lookup(credential: Credential, origin: string): Promise<LookupResponse | null>;
  /** Asks again with the same credential (retry, or stale amounts after a refused checkout). */
  refresh(): Promise<LookupResponse | null>;
  reset(): void;
}

const PaymentFlowContext = createContext<PaymentFlow | null>(null);

export function PaymentFlowProvider({ merchantId, children }: { merchantId: string; children: ReactNode }) {
  const lookup = useLookup(merchantId);
  const store = usePaymentStoreApi();
  const embed = useEmbed();
  const locale = useDisplayLocale();
  const [origin, setOrigin] = useState<string | null>(null);
  const { run, reset: resetLookup, state } = lookup;

  const runWith = useCallback(
    async (credential: Credential) => {
      // While the ERP answers: the list's code is fetched (a failure shows when the list renders) and,
      // in a task of its own, the date format it needs is built.
      preloadResults().catch(() => undefined);
      setTimeout(() => prepareDateFormat(locale), 0);
      const data = await run(
        credential.kind === 'idNumber' ? { idNumber: credential.idNumber } : { token: credential.token },
      );
      if (data) embed.post({ type: 'lookup_completed', itemCount: data.items.length });
      return data;
    },
    [run, embed, locale],
  );

  const flowLookup = useCallback(
    (credential: Credential, from: string) => {
      const s = store.getState();
      s.reset();
      s.setCredential(credential);
      setOrigin(from);
      return runWith(credential);
    },
    [store, runWith],
  );

  const refresh = useCallback(async () => {
    const credential = store.getState().credential;
    if (!credential) return null;
    store.getState().clearSelection();
    return runWith(credential);
  }, [store, runWith]);

  const reset = useCallback(() => {
    store.getState().reset();
    resetLookup();
  }, [store, resetLookup]);

  const errorCode = state.status === 'error' ? state.error.code : null;
  useEffect(() => {
    if (errorCode) embed.post({ type: 'error', code: errorCode });
  }, [errorCode, embed, state]);

  const value = useMemo<PaymentFlow>(
    () => ({ state, origin, lookup: flowLookup, refresh, reset }),
    [state, origin, flowLookup, refresh, reset],
  );
  return <PaymentFlowContext.Provider value={value}>{children}</PaymentFlowContext.Provider>;
}

export function usePaymentFlow(): PaymentFlow {
  const flow = useContext(PaymentFlowContext);
  if (!flow) throw new Error('usePaymentFlow needs a PaymentFlowProvider');
  return flow;
}
