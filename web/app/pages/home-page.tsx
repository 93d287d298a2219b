import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApiClient } from '../../lib/api-context';
import { PageChrome } from '../layout/page-chrome';

const DEMO_MERCHANT = 'demo';

/** `/`: the portal has no directory of merchants; payers arrive through their merchant's link. */
export function HomePage() {
  const { t } = useTranslation();
  const api = useApiClient();
  const [demo, setDemo] = useState(false);

  // The demo link appears only where the demo merchant exists (the built-in demo config).
  useEffect(() => {
    const controller = new AbortController();
    api.merchant(DEMO_MERCHANT, { signal: controller.signal }).then(
      () => {
        if (!controller.signal.aborted) setDemo(true);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [api]);

  return (
    <PageChrome>
      <div className="page">
        <h1>{t('home.title')}</h1>
        <p>{t('home.body')}</p>
        {demo ? (
          <p>
            <Link className="button button-primary" to={`/${DEMO_MERCHANT}`}>
              {t('home.demo')}
            </Link>
            <span className="hint block">{t('home.demoHint')}</span>
          </p>
        ) : null}
      </div>
    </PageChrome>
  );
}
