import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode, type ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders, createAppDeps, type AppDeps } from '../../../web/app/providers/app-providers';
import { createRoutes } from '../../../web/app/routes';
import type { EmbedMessenger } from '../../../web/features/embed/embed-messenger';
import type { Language } from '../../../web/i18n/i18n';
import type { FetchLike, MerchantPublic } from '../../../web/lib/api-client';
import { MerchantProvider } from '../../../web/lib/merchant-context';
import { demoMerchant } from './fixtures';
import { en, esLaterPart } from './texts';

export interface RenderOptions {
  fetch?: FetchLike;
  merchant?: MerchantPublic;
  language?: Language;
  embed?: EmbedMessenger;
}

/** One feature component with everything it may need from context, fresh per test. */
export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}) {
  const deps: AppDeps = createAppDeps({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.embed ? { embed: options.embed } : {}),
    language: options.language ?? 'es',
    // Every text at hand (both parts, both languages), so a later-step component renders in either
    // language at once; the whole app (renderApp) loads them lazily, as in the browser.
    bundles: { es: esLaterPart, en },
  });
  const user = userEvent.setup();
  const result = render(
    <AppProviders deps={deps}>
      <MerchantProvider merchant={options.merchant ?? demoMerchant}>{ui}</MerchantProvider>
    </AppProviders>,
  );
  return { ...result, deps, user };
}

/** The whole app on a memory router at `path`. */
export function renderApp(path: string, options: Omit<RenderOptions, 'merchant'> = {}) {
  const deps: AppDeps = createAppDeps({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.embed ? { embed: options.embed } : {}),
    language: options.language ?? null,
    // A language asked for is at hand (as main.tsx waits for it; its later part too, as a landing on a
    // later page would); otherwise English loads lazily, as in the browser, when the merchant's locale or
    // the language switch asks for it. Spanish's later part always loads lazily.
    ...(options.language ? { bundles: { en } } : {}),
  });
  const router = createMemoryRouter(createRoutes(), { initialEntries: [path] });
  const user = userEvent.setup();
  // As in main.tsx: StrictMode's double effects must not break the flow.
  const result = render(
    <StrictMode>
      <AppProviders deps={deps}>
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>,
  );
  return { ...result, deps, router, user };
}
