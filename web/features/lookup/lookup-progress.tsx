import { useTranslation } from 'react-i18next';

/** Shown while the merchant's ERP is being asked: a status line screen readers announce, and skeletons. */
export function LookupProgress() {
  const { t } = useTranslation();
  return (
    <div className="lookup-progress" data-loading="">
      <p role="status" aria-live="polite" className="status-line">
        <span className="spinner" aria-hidden="true" />
        {t('lookup.loading')}
      </p>
      <div className="skeleton-list" aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <div key={i} className="skeleton-card">
            <div className="skeleton-line skeleton-line-wide" />
            <div className="skeleton-line" />
            <div className="skeleton-line skeleton-line-short" />
          </div>
        ))}
      </div>
    </div>
  );
}
