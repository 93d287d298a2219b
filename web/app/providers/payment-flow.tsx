import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LookupResponse } from '../../../shared/api/schemas';
import { useEmbed } from '../../features/embed/embed-context';
import { useLookup, type LookupState } from '../../features/lookup/use-lookup';
import { prepareDateFormat } from '../../lib/format-money';
import { useDisplayLocale } from '../../lib/merchant-context';
import { usePaymentStoreApi, type Credential } from '../../lib/payment-store';

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

export interface PaymentFlowProviderProps {
  merchantId: string;
  /**
   * Called as each lookup leaves: the routes pass the list's code loader here, so it downloads beside the
   * request. Injected, not imported: the list's page uses this flow, and the flow must not import pages.
   */
  onLookupStart?: () => void;
  children: ReactNode;
}

export function PaymentFlowProvider({ merchantId, onLookupStart, children }: PaymentFlowProviderProps) {
  const lookup = useLookup(merchantId);
  const store = usePaymentStoreApi();
  const embed = useEmbed();
  const locale = useDisplayLocale();
  const [origin, setOrigin] = useState<string | null>(null);
  const { run, reset: resetLookup, state } = lookup;

  const runWith = useCallback(
    async (credential: Credential) => {
      // While the ERP answers: whatever the routes asked for (the list's code) starts and, in a task of
      // its own, the date format the list needs is built.
      onLookupStart?.();
      setTimeout(() => prepareDateFormat(locale), 0);
      const data = await run(
        credential.kind === 'idNumber'
          ? { idNumber: credential.idNumber }
          : credential.kind === 'token'
            ? { token: credential.token }
            : { charge: credential.charge },
      );
      if (data) embed.post({ type: 'lookup_completed', itemCount: data.items.length });
      return data;
    },
    [run, embed, locale, onLookupStart],
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
