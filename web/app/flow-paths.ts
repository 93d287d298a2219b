import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useEmbed } from '../features/embed/embed-context';
import { languageOf } from '../i18n/i18n';
import { useLanguagePreference } from './providers/app-providers';

/**
 * Paths inside one merchant's portal; an embedded session stays embedded as it moves between them, and a
 * language the payer chose stays in the URL (`lng`), so a reload keeps it.
 */
export function useFlowPaths() {
  const { merchantId = '' } = useParams();
  const { query } = useEmbed();
  const { i18n } = useTranslation();
  const preference = useLanguagePreference();
  const params = new URLSearchParams(query);
  if (preference.isExplicit()) params.set('lng', languageOf(i18n.resolvedLanguage ?? i18n.language));
  const suffix = params.size > 0 ? `?${params.toString()}` : '';
  const base = `/${encodeURIComponent(merchantId)}`;
  return {
    merchantId,
    home: `${base}${suffix}`,
    pay: `${base}/pay${suffix}`,
    withSuffix: (path: string) => `${path}${suffix}`,
  };
}
