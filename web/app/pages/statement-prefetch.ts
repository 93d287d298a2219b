import type { i18n } from 'i18next';
import { matchPath } from 'react-router';
import type { Language } from '../../i18n/i18n';
import type { ApiClient } from '../../lib/api-client';
import { prepareDateFormat } from '../../lib/format-money';
import { isMerchantId } from '../../lib/merchant-id';
import { preloadResults } from './deferred-results';

/** The statement link's route (routes.tsx nests it as `s/:token` under `/:merchantId`). */
const STATEMENT_PATH = '/:merchantId/s/:token';

/**
 * Called at start-up: on a statement link, its lookup (with the schemas and the list's code) leaves as
 * soon as the page has painted, beside the merchant's /public rather than after it, and StatementPage's
 * lookup takes that answer (the list's texts in `language`, the first render's, leave with it); then, in a task of its own, the date format of `locale` (the list's) is
 * built while the network works. Not before the first paint, which needs none of it.
 */
export function prefetchStatement(
  api: ApiClient,
  i18n: i18n,
  pathname: string,
  language: Language,
  locale: string,
): void {
  const { merchantId, token } = matchPath(STATEMENT_PATH, pathname)?.params ?? {};
  if (!merchantId || !token || !isMerchantId(merchantId)) return;
  // A frame, then a task: after that frame's paint.
  requestAnimationFrame(() =>
    setTimeout(() => {
      api.prefetchLookup(merchantId, { token });
      preloadResults(i18n, language).catch(() => undefined);
      setTimeout(() => prepareDateFormat(locale), 0);
    }, 0),
  );
}
