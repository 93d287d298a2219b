import { createContext, useContext, type ReactNode } from 'react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { EmbedProvider } from '../../features/embed/embed-context';
import { noEmbed, type EmbedMessenger } from '../../features/embed/embed-messenger';
import { createI18n, type Bundles, type Language } from '../../i18n/i18n';
import { createApiClient, type ApiClient, type FetchLike } from '../../lib/api-client';
import { ApiClientProvider } from '../../lib/api-context';
import { createPaymentStore, PaymentStoreProvider, type PaymentStore } from '../../lib/payment-store';

/** Whether the payer picked a language; until they do, each merchant's own locale decides. */
export interface LanguagePreference {
  isExplicit(): boolean;
  markExplicit(): void;
}

export function createLanguagePreference(explicit = false): LanguagePreference {
  let chosen = explicit;
  return {
    isExplicit: () => chosen,
    markExplicit: () => {
      chosen = true;
    },
  };
}

/** Everything the app needs from outside, built once in main.tsx and fresh in every test. */
export interface AppDeps {
  api: ApiClient;
  i18n: i18n;
  store: PaymentStore;
  embed: EmbedMessenger;
  language: LanguagePreference;
}

export interface AppDepsOptions {
  fetch?: FetchLike;
  embed?: EmbedMessenger;
  /**
   * A language the payer asked for (e.g. ?lng=en); otherwise the merchant's locale applies. One whose texts
   * are not at hand yet (see `bundles`) starts as Spanish until `setLanguage` has loaded it (main.tsx).
   */
  language?: Language | null;
  /** Texts at hand besides the bundled Spanish (tests pass English directly). */
  bundles?: Bundles;
}

export function createAppDeps(options: AppDepsOptions = {}): AppDeps {
  return {
    api: createApiClient(options.fetch ? { fetch: options.fetch } : {}),
    i18n: createI18n(options.language ?? 'es', options.bundles),
    store: createPaymentStore(),
    embed: options.embed ?? noEmbed,
    language: createLanguagePreference(Boolean(options.language)),
  };
}

const LanguagePreferenceContext = createContext<LanguagePreference>(createLanguagePreference());

export function useLanguagePreference(): LanguagePreference {
  return useContext(LanguagePreferenceContext);
}

export function AppProviders({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  return (
    <I18nextProvider i18n={deps.i18n}>
      <ApiClientProvider client={deps.api}>
        <PaymentStoreProvider store={deps.store}>
          <LanguagePreferenceContext.Provider value={deps.language}>
            <EmbedProvider messenger={deps.embed}>{children}</EmbedProvider>
          </LanguagePreferenceContext.Provider>
        </PaymentStoreProvider>
      </ApiClientProvider>
    </I18nextProvider>
  );
}
