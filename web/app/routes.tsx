import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouteObject } from 'react-router';
import { HomePage } from './home-page';
import { LookupPage } from './lookup-page';
import { MerchantLayout } from './merchant-layout';
import { NotFoundContent, NotFoundPage, RouteErrorPage } from './not-found-page';
import { StatementPage } from './statement-page';

// Checkout and result are later steps: their code loads when the payer gets there.
const PayPage = lazy(() => import('./pay-page').then((m) => ({ default: m.PayPage })));
const ResultPage = lazy(() => import('./result-page').then((m) => ({ default: m.ResultPage })));

function RouteLoading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="status-line">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

function Deferred({ children }: { children: ReactNode }) {
  return <Suspense fallback={<RouteLoading />}>{children}</Suspense>;
}

export function createRoutes(): RouteObject[] {
  return [
    {
      errorElement: <RouteErrorPage />,
      children: [
        { path: '/', element: <HomePage /> },
        {
          path: '/:merchantId',
          element: <MerchantLayout />,
          children: [
            { index: true, element: <LookupPage /> },
            { path: 's/:token', element: <StatementPage /> },
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
            { path: '*', element: <NotFoundContent /> },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ];
}
