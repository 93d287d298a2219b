import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import type { i18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { matchPath, type RouteObject } from 'react-router';
import { needTexts, type Language } from '../i18n/i18n';
import { useTexts } from '../i18n/use-texts';
import { preloadResults } from './pages/deferred-results';
import { LookupPage } from './pages/lookup-page';
import { MerchantLayout } from './layout/merchant-layout';
import { NotFoundContent, NotFoundPage, RouteErrorPage } from './layout/not-found-page';
import { LookupProgress } from '../features/lookup/lookup-progress';
import { HomePage } from './pages/home-page';

/** A page's code, fetched once (again after a failure), for `lazy` and for preloading alike. */
function once(load: () => Promise<ComponentType>): () => Promise<{ default: ComponentType }> {
  let loading: Promise<{ default: ComponentType }> | null = null;
  return () =>
    (loading ??= load().then(
      (component) => ({ default: component }),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
}

/**
 * A later-step page: its code and the later texts (web/i18n/<language>/later.ts) load in parallel, and it
 * renders once both are here (the route's Suspense shows the loading state meanwhile), so it never shows a
 * key. Business pages and any later route are made with this too.
 */
function laterPage(load: () => Promise<ComponentType>) {
  const code = once(load);
  const Page = lazy(code);
  function LaterPage() {
    void code().catch(() => undefined); // beside the texts, not after them (Page rethrows a failure)
    useTexts('later');
    return <Page />;
  }
  return { Page: LaterPage, preload: code };
}

/** A page whose code loads lazily; its texts are first-part texts, always here. */
function lazyPage(load: () => Promise<ComponentType>) {
  const code = once(load);
  return { Page: lazy(code), preload: code };
}

// Checkout and result are later steps: their code loads when the payer gets there.
const pay = laterPage(() => import('./pages/pay-page').then((m) => m.PayPage));
const result = laterPage(() => import('./pages/result-page').then((m) => m.ResultPage));
// The money-back link is a page of its own, seldom visited: its code loads only there.
const refund = laterPage(() => import('./pages/refund-route-page').then((m) => m.RefundRoutePage));
// A charge link's page shows one charge: the list's code and texts, so it is a later page too.
const charge = laterPage(() => import('./pages/charge-page').then((m) => m.ChargePage));
// A statement link's page: code of its own, loaded beside the merchant's /public (preloadLanding); its texts
// are first-part texts, and its list waits for the later ones (DeferredResultsPanel).
const statement = lazyPage(() => import('./pages/statement-page').then((m) => m.StatementPage));

/** Paths (as in createRoutes) a payer can land on that load lazily: links, bookmarks, PayU's return. */
const LANDINGS = [
  { path: '/:merchantId/s/:token', page: statement, texts: false },
  { path: '/:merchantId/c/:charge', page: charge, texts: true },
  { path: '/:merchantId/pay/result/:reference', page: result, texts: true },
  { path: '/:merchantId/r/:token', page: refund, texts: true },
];

/**
 * Called at start-up (main.tsx): landing on a lazy page, its code (and a later page's texts, in the
 * language of the first render) leave now, beside the merchant's /public, rather than after it.
 */
export function preloadLanding(i18n: i18n, pathname: string, language: Language): void {
  const landing = LANDINGS.find((l) => matchPath(l.path, pathname));
  if (!landing) return;
  landing.page.preload().catch(() => undefined);
  if (landing.texts) needTexts(i18n, 'later', language)?.catch(() => undefined);
}

function RouteLoading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="status-line" data-loading="">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

/** What StatementPage itself shows while its lookup runs, so its code arriving changes nothing. */
function StatementLoading() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('lookup.title')}</h1>
      <LookupProgress />
    </div>
  );
}

function Deferred({ children }: { children: ReactNode }) {
  return <Suspense fallback={<RouteLoading />}>{children}</Suspense>;
}

/** The list's code and texts, fetched beside each lookup (a failure shows when the list renders). */
function preloadList(i18n: i18n) {
  preloadResults(i18n).catch(() => undefined);
}

export function createRoutes(): RouteObject[] {
  return [
    {
      errorElement: <RouteErrorPage />,
      children: [
        { path: '/', element: <HomePage /> },
        {
          path: '/:merchantId',
          element: <MerchantLayout onLookupStart={preloadList} />,
          children: [
            { index: true, element: <LookupPage /> },
            {
              path: 's/:token',
              element: (
                <Suspense fallback={<StatementLoading />}>
                  <statement.Page />
                </Suspense>
              ),
            },
            {
              path: 'c/:charge',
              element: (
                <Deferred>
                  <charge.Page />
                </Deferred>
              ),
            },
            {
              path: 'pay',
              element: (
                <Deferred>
                  <pay.Page />
                </Deferred>
              ),
            },
            {
              path: 'pay/result/:reference',
              element: (
                <Deferred>
                  <result.Page />
                </Deferred>
              ),
            },
            {
              path: 'r/:token',
              element: (
                <Deferred>
                  <refund.Page />
                </Deferred>
              ),
            },
            { path: '*', element: <NotFoundContent /> },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ];
}
