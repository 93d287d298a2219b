import { lazy, Suspense } from 'react';
import type { SpreadPanelProps } from './business/spread-panel';
import type { LookupItem } from '../../../shared/api/schemas';

type BusinessModule = typeof import('./business/business-ui');
let loading: Promise<BusinessModule> | null = null;

/**
 * The spread amount and the withholdings are for company payers: their code (and the list's weight for
 * everyone else) stays out of the list's chunk and loads the first time a list needs it.
 */
export function preloadBusiness(): Promise<BusinessModule> {
  loading ??= import('./business/business-ui').catch((error: unknown) => {
    loading = null; // a later render tries again
    throw error;
  });
  return loading;
}

const SpreadPanel = lazy(() => preloadBusiness().then((m) => ({ default: m.SpreadPanel })));
const WithholdingFields = lazy(() => preloadBusiness().then((m) => ({ default: m.WithholdingFields })));

export function LazySpreadPanel(props: SpreadPanelProps) {
  return (
    <Suspense fallback={null}>
      <SpreadPanel {...props} />
    </Suspense>
  );
}

export function LazyWithholdingFields({ item }: { item: LookupItem }) {
  return (
    <Suspense fallback={null}>
      <WithholdingFields item={item} />
    </Suspense>
  );
}
