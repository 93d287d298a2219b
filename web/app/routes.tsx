import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouteObject } from 'react-router';
import { preloadResults } from './pages/deferred-results';
import { HomePage } from './pages/home-page';
import { LookupPage } from './pages/lookup-page';
import { MerchantLayout } from './layout/merchant-layout';
import { NotFoundContent, NotFoundPage, RouteErrorPage } from './layout/not-found-page';
import { ChargePage } from './pages/charge-page';
import { StatementPage } from './pages/statement-page';

// Checkout and result are later steps: their code loads when the payer gets there.
const PayPage = lazy(() => import('./pages/pay-page').then((m) => ({ default: m.PayPage })));
// The money-back link is a page of its own, seldom visited: its code loads only there.
const RefundRoutePage = lazy(() =>
  import('./pages/refund-route-page').then((m) => ({ default: m.RefundRoutePage })),
);
const ResultPage = lazy(() => import('./pages/result-page').then((m) => ({ default: m.ResultPage })));

function RouteLoading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="status-line" data-loading="">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

function Deferred({ children }: { children: ReactNode }) {
  return <Suspense fallback={<RouteLoading />}>{children}</Suspense>;
}

/** The list's code, fetched beside each lookup (a failure shows when the list renders). */
function preloadList() {
  preloadResults().catch(() => undefined);
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
            { path: 's/:token', element: <StatementPage /> },
            { path: 'c/:charge', element: <ChargePage /> },
            {
              path: 'pay',
              element: (
                <Deferred>
                  <PayPage />
                </Deferred>
              ),
            },
            {
              path: 'pay/result/:reference',
              element: (
                <Deferred>
                  <ResultPage />
                </Deferred>
              ),
            },
            {
              path: 'r/:token',
              element: (
                <Deferred>
                  <RefundRoutePage />
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
