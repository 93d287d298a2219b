import { useTranslation } from 'react-i18next';
import { PageChrome } from './page-chrome';

/** Inside a merchant's portal, whose chrome is already there. */
export function NotFoundContent() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('app.notFoundTitle')}</h1>
      <p>{t('app.notFoundBody')}</p>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <PageChrome>
      <NotFoundContent />
    </PageChrome>
  );
}

export function RouteErrorPage() {
  const { t } = useTranslation();
  return (
    <PageChrome>
      <div className="page">
        <h1>{t('merchant.errorTitle')}</h1>
        <p role="alert">{t('errors.internal_error')}</p>
      </div>
    </PageChrome>
  );
}
