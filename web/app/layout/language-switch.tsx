import { useTranslation } from 'react-i18next';
import { languageOf, LANGUAGES, setLanguage } from '../../i18n/i18n';
import { useLanguagePreference } from '../providers/app-providers';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const preference = useLanguagePreference();
  const current = languageOf(i18n.resolvedLanguage ?? i18n.language);
  return (
    <div className="language-switch no-print" role="group" aria-label={t('app.language')}>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={current === language}
          onClick={() => {
            preference.markExplicit();
            // In the URL too, so a reload (and the next page) keeps the payer's choice.
            const url = new URL(window.location.href);
            url.searchParams.set('lng', language);
            window.history.replaceState(window.history.state, '', url.href);
            // Loads the language's texts first when they are not here yet; on failure nothing changes.
            void setLanguage(i18n, language).catch(() => undefined);
          }}
        >
          {t(`app.languages.${language}`)}
        </button>
      ))}
    </div>
  );
}
