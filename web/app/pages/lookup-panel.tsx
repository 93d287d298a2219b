import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { LookupError } from '../../features/lookup/lookup-error';
import { LookupForm } from '../../features/lookup/lookup-form';
import { LookupProgress } from '../../features/lookup/lookup-progress';
import type { ApiErrorCode } from '../../lib/api-client';
import { usePaymentFlow } from '../providers/payment-flow';

/** The id form with its loading and error states, for the lookup page and for a statement link gone bad. */
export interface LookupPanelProps {
  intro?: ReactNode;
  focusInput?: boolean;
  /** Errors the page already explains in its own words (a statement link's token errors). */
  explained?: readonly ApiErrorCode[];
}

export function LookupPanel({ intro, focusInput = false, explained = [] }: LookupPanelProps) {
  const flow = usePaymentFlow();
  const location = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const { state } = flow;

  useEffect(() => {
    if (focusInput) input.current?.focus();
  }, [focusInput]);

  return (
    <div className="lookup-panel">
      {intro}
      <LookupForm
        inputRef={input}
        busy={state.status === 'loading'}
        onSubmit={(idNumber) => void flow.lookup({ kind: 'idNumber', idNumber }, location.pathname)}
      />
      {state.status === 'loading' ? <LookupProgress /> : null}
      {state.status === 'error' && !explained.includes(state.error.code) ? (
        <LookupError error={state.error} onRetry={() => void flow.refresh()} />
      ) : null}
    </div>
  );
}
