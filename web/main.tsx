import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AppProviders, createAppDeps } from './app/app-providers';
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
const router = createBrowserRouter(createRoutes());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AppProviders deps={deps}>
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>,
  );
}
