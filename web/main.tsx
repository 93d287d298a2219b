import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, useRoutes } from 'react-router';
import { AppProviders, createAppDeps } from './app/providers/app-providers';
import { RouteErrorBoundary } from './app/layout/error-boundary';
import { createRoutes, preloadLanding } from './app/routes';
import { prefetchStatement } from './app/pages/statement-prefetch';
import { createEmbedMessenger } from './features/embed/embed-messenger';
import { hasLanguage, isLanguage, languageOf, setLanguage } from './i18n/i18n';
import { displayLocale } from './lib/format-money';
import './styles.css';

const search = new URLSearchParams(window.location.search);
const requestedLanguage = search.get('lng');
const embed = createEmbedMessenger({
  search: window.location.search,
  document,
  parent: window.parent !== window ? window.parent : null,
});
const requested = isLanguage(requestedLanguage) ? requestedLanguage : null;
const deps = createAppDeps({ embed, language: requested });
// The server writes the merchant's locale into <html lang>. The language of the first render is the one
// asked for, else the merchant's, so an English merchant's page never starts in Spanish.
const merchantLocale = document.documentElement.lang || 'es-CO';
const language = requested ?? languageOf(merchantLocale);
prefetchStatement(
  deps.api,
  deps.i18n,
  window.location.pathname,
  language,
  displayLocale(language, merchantLocale),
);
// Landing on a later page (a charge link, PayU's return, a money-back link): its code and texts leave now.
preloadLanding(deps.i18n, window.location.pathname, language);
const routes = createRoutes();

function AppRoutes() {
  return useRoutes(routes);
}

function render(root: HTMLElement) {
  createRoot(root).render(
    <StrictMode>
      <AppProviders deps={deps}>
        <BrowserRouter>
          <RouteErrorBoundary>
            <AppRoutes />
          </RouteErrorBoundary>
        </BrowserRouter>
      </AppProviders>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  // Spanish is bundled: the common path renders at once. Another language renders once its texts are
  // here (no flash of Spanish or of keys); if they cannot be fetched, the page stays in Spanish.
  if (hasLanguage(deps.i18n, language)) render(root);
  else
    void setLanguage(deps.i18n, language)
      .catch(() => undefined)
      .then(() => render(root));
}
