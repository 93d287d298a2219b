import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useEmbed } from '../../features/embed/embed-context';
import { documentLang, languageOf } from '../../i18n/i18n';
import type { MerchantPublic } from '../../lib/api-client';
import { brandStyle, safeLogoUrl } from './branding';
import { LanguageSwitch } from './language-switch';
import { LegalLinks, SupportContact } from './support-contact';

/** Header (merchant name, logo, language), main and footer; embedded pages keep only the language switch. */
export function PageChrome({
  merchant = null,
  fill = false,
  children,
}: {
  merchant?: MerchantPublic | null;
  /** Main fills the screen, the footer below it: for pages whose content grows after the first paint. */
  fill?: boolean;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { embedded } = useEmbed();
  const language = languageOf(i18n.resolvedLanguage ?? i18n.language);
  const merchantLocale = merchant?.locale ?? null;

  const merchantName = merchant?.name ?? null;
  useEffect(() => {
    document.documentElement.lang = documentLang(language, merchantLocale);
    document.title = `${merchantName ?? t('app.name')} · ${t('home.title')}`;
  }, [language, merchantLocale, merchantName, t]);

  const logo = safeLogoUrl(merchant?.branding.logoUrl);
  return (
    <div className={embedded ? 'app app-embedded' : 'app'} style={brandStyle(merchant?.branding.color)}>
      {embedded ? null : (
        <>
          <a className="skip-link" href="#main">
            {t('app.skipToContent')}
          </a>
          <header className="site-header">
            <div className="brand">
              {/* The name is written next to it, so the logo is decorative. */}
              {logo ? <img className="brand-logo" src={logo} alt="" height={40} /> : null}
              <span className="brand-name">{merchant?.name ?? t('app.name')}</span>
            </div>
            <LanguageSwitch />
          </header>
        </>
      )}
      {/* Embedded, the iframe takes the page's height: a main as tall as the iframe could never shrink. */}
      <main id="main" className={fill && !embedded ? 'site-main site-main-fill' : 'site-main'} tabIndex={-1}>
        {/* Inside <main>: embedded there is no banner, and content outside every landmark is lost to
            landmark navigation (axe-core "region"). */}
        {embedded ? (
          <div className="embed-bar">
            <LanguageSwitch />
          </div>
        ) : null}
        {children}
      </main>
      {embedded ? null : (
        <footer className="site-footer">
          {merchant ? <SupportContact merchant={merchant} /> : null}
          <p>
            {t('app.footer')} {t('app.privacy')}
          </p>
          {merchant ? <LegalLinks merchant={merchant} /> : null}
        </footer>
      )}
    </div>
  );
}
