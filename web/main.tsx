import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, useRoutes } from 'react-router';
import { AppProviders, createAppDeps } from './app/app-providers';
import { RouteErrorBoundary } from './app/error-boundary';
import { createRoutes } from './app/routes';
import { createEmbedMessenger } from './features/embed/embed-messenger';
import { isLanguage } from './i18n/i18n';
import './styles.css';

const search = new URLSearchParams(window.location.search);
const requestedLanguage = search.get('lng');
const embed = createEmbedMessenger({
  search: window.location.search,
  document,
  parent: window.parent !== window ? window.parent : null,
});
const deps = createAppDeps({ embed, language: isLanguage(requestedLanguage) ? requestedLanguage : null });
const routes = createRoutes();

function AppRoutes() {
  return useRoutes(routes);
}

const root = document.getElementById('root');
if (root) {
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
