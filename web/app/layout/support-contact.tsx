import { useTranslation } from 'react-i18next';
import type { MerchantPublic } from '../../lib/api-client';

/** Only http(s) addresses from configuration become links. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * How to reach the merchant (config `support`): shown in the footer and under every message that says
 * "contact the merchant". Nothing when the merchant configured none.
 */
export function SupportContact({ merchant }: { merchant: MerchantPublic }) {
  const { t } = useTranslation();
  const { email, phone } = merchant.support;
  const url = safeUrl(merchant.support.url);
  if (!email && !phone && !url) return null;
  const parts = [
    email ? (
      <a key="email" href={`mailto:${email}`}>
        {email}
      </a>
    ) : null,
    phone ? (
      <a key="phone" href={`tel:${phone.replace(/[^+0-9]/g, '')}`}>
        {phone}
      </a>
    ) : null,
    url ? (
      <a key="url" href={url} target="_blank" rel="noopener noreferrer">
        {t('app.supportWeb')}
      </a>
    ) : null,
  ].filter((part) => part !== null);
  return (
    <p className="support-contact">
      {t('app.contact', { merchant: merchant.name })}{' '}
      {parts.flatMap((part, i) => (i === 0 ? [part] : [' · ', part]))}
    </p>
  );
}

/** The merchant's terms and privacy pages, when configured. */
export function LegalLinks({ merchant }: { merchant: MerchantPublic }) {
  const { t } = useTranslation();
  const terms = safeUrl(merchant.termsUrl);
  const privacy = safeUrl(merchant.privacyUrl);
  if (!terms && !privacy) return null;
  return (
    <p className="legal-links">
      {terms ? (
        <a href={terms} target="_blank" rel="noopener noreferrer">
          {t('app.terms')}
        </a>
      ) : null}
      {terms && privacy ? ' · ' : null}
      {privacy ? (
        <a href={privacy} target="_blank" rel="noopener noreferrer">
          {t('app.privacyPolicy')}
        </a>
      ) : null}
    </p>
  );
}
