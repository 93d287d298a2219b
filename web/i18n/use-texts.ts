import { use } from 'react';
import { useTranslation } from 'react-i18next';
import { needTexts, type TextPart } from './i18n';

/**
 * Suspends the component (up to the nearest Suspense, which shows its loading state) until the texts of
 * `part` are there in the language shown, fetching them if needed; then renders with every text in place,
 * never with a key. Later-step pages call it (routes.tsx `laterPage`), and so does any later feature that
 * renders outside them.
 */
export function useTexts(part: TextPart): void {
  const { i18n } = useTranslation();
  const pending = needTexts(i18n, part);
  if (pending) use(pending);
}
