import { useEffect, useState } from 'react';
import { LookupProgress } from '../../features/lookup/lookup-progress';
import type { ResultsPanelProps } from './results-panel';

type ResultsModule = typeof import('./results-panel');

let loaded: ResultsModule | null = null;
let loading: Promise<ResultsModule> | null = null;

/**
 * The list's code (items, amounts, selection) is not on the first page: it loads once, when the first
 * lookup starts, in parallel with the request (as the schemas do), so it is there when the answer is.
 */
export function preloadResults(): Promise<ResultsModule> {
  loading ??= import('./results-panel').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = null; // a later lookup tries again
      throw error;
    },
  );
  return loading;
}

/**
 * ResultsPanel, rendered at once when its code is here (always, in practice: the lookup preloaded it);
 * until then the loading state stays. Code that cannot be fetched fails like a lazy page does.
 */
export function DeferredResultsPanel(props: ResultsPanelProps) {
  const [module, setModule] = useState(loaded);
  const [error, setError] = useState<{ error: unknown } | null>(null);

  useEffect(() => {
    if (module) return undefined;
    let live = true;
    preloadResults().then(
      (m) => {
        if (live) setModule(m);
      },
      (e: unknown) => {
        if (live) setError({ error: e });
      },
    );
    return () => {
      live = false;
    };
  }, [module]);

  if (error) throw error.error;
  if (!module) return <LookupProgress />;
  return <module.ResultsPanel {...props} />;
}
