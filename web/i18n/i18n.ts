import i18next, { type i18n } from 'i18next';
import { en } from './en';
import { es } from './es';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** 'es-CO' → 'es', 'en-US' → 'en'; anything else → Spanish, the portal's default. */
export function languageOf(locale: string | null | undefined): Language {
  const language = (locale ?? '').toLowerCase().split('-')[0];
  return isLanguage(language) ? language : 'es';
}

/** A fresh instance per app (and per test), initialised synchronously from bundled resources. */
export function createI18n(language: Language = 'es'): i18n {
  const instance = i18next.createInstance();
  // Not registered as react-i18next's global instance: components get theirs from I18nextProvider.
  void instance.init({
    lng: language,
    fallbackLng: 'es',
    supportedLngs: [...LANGUAGES],
    resources: { es: { translation: es }, en: { translation: en } },
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** `lang` of the document: the language with the merchant's region when it has one (es-CO). */
export function documentLang(language: Language, merchantLocale?: string | null): string {
  const [merchantLanguage, region] = (merchantLocale ?? 'es-CO').split('-');
  return merchantLanguage === language && region ? `${language}-${region}` : language;
}
