import type { i18n } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LookupProgress } from '../../features/lookup/lookup-progress';
import { hasTexts, needTexts, shownLanguage, type Language } from '../../i18n/i18n';
import type { ResultsPanelProps } from './results-panel';

type ResultsModule = typeof import('./results-panel');

let loaded: ResultsModule | null = null;
let loading: Promise<ResultsModule> | null = null;

function loadCode(): Promise<ResultsModule> {
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
 * The list's code (items, amounts, selection) and its texts (the later part, web/i18n/<language>/later.ts)
 * are not on the first page: they load once, when the first lookup starts, in parallel with the request
 * (as the schemas do), so they are there when the answer is. `language`: the one the list will show in.
 */
export function preloadResults(instance: i18n, language: Language = shownLanguage(instance)) {
  return Promise.all([loadCode(), needTexts(instance, 'later', language)]).then(([module]) => module);
}

/**
 * ResultsPanel, rendered at once when its code and texts are here (always, in practice: the lookup
 * preloaded them); until then the loading state stays, never a key. Code or texts that cannot be fetched
 * fail like a lazy page does.
 */
export function DeferredResultsPanel(props: ResultsPanelProps) {
  const { i18n } = useTranslation();
  const [, setArrived] = useState(0);
  const [error, setError] = useState<{ error: unknown } | null>(null);
  const ready = loaded !== null && hasTexts(i18n, shownLanguage(i18n), 'later');

  useEffect(() => {
    if (ready) return undefined;
    let live = true;
    preloadResults(i18n).then(
      () => {
        if (live) setArrived((n) => n + 1);
      },
      (e: unknown) => {
        if (live) setError({ error: e });
      },
    );
    return () => {
      live = false;
    };
  }, [ready, i18n]);

  if (error) throw error.error;
  if (!ready || !loaded) return <LookupProgress />;
  return <loaded.ResultsPanel {...props} />;
}
