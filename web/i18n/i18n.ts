import i18next, { type i18n } from 'i18next';
import { es } from './es';
import type { Messages } from './messages';

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

/** Texts of a language at hand, by language; Spanish is always bundled. */
export type Bundles = Partial<Record<Language, Messages>>;

/**
 * Spanish (the default) is in the entry chunk; every other language is a chunk of its own, fetched the
 * first time it is needed, so a first visit downloads the texts of one language only.
 */
const LOADERS: Record<Exclude<Language, 'es'>, () => Promise<Messages>> = {
  en: () => import('./en').then((m) => m.en),
};

/**
 * A fresh instance per app (and per test), initialised synchronously from the bundles at hand: Spanish,
 * plus any in `bundles` (tests pass English directly). A language not at hand yet starts as Spanish;
 * `setLanguage` loads it.
 */
export function createI18n(language: Language = 'es', bundles: Bundles = {}): i18n {
  const instance = i18next.createInstance();
  const resources: Record<string, { translation: Messages }> = { es: { translation: es } };
  for (const l of LANGUAGES) {
    const messages = bundles[l];
    if (messages) resources[l] = { translation: messages };
  }
  // Not registered as react-i18next's global instance: components get theirs from I18nextProvider.
  void instance.init({
    lng: resources[language] ? language : 'es',
    fallbackLng: 'es',
    supportedLngs: [...LANGUAGES],
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export function hasLanguage(instance: i18n, language: Language): boolean {
  return instance.hasResourceBundle(language, 'translation');
}

const loading = new WeakMap<i18n, Map<Language, Promise<void>>>();

/** Adds a language's texts to the instance (fetching its chunk once); resolves at once when they are there. */
export function loadLanguage(instance: i18n, language: Language): Promise<void> {
  if (language === 'es' || hasLanguage(instance, language)) return Promise.resolve();
  let pending = loading.get(instance);
  if (!pending) loading.set(instance, (pending = new Map()));
  let promise = pending.get(language);
  if (!promise) {
    promise = LOADERS[language]().then(
      (messages) => {
        instance.addResourceBundle(language, 'translation', messages, true, true);
      },
      (error: unknown) => {
        pending.delete(language); // a later attempt fetches again
        throw error;
      },
    );
    pending.set(language, promise);
  }
  return promise;
}

const wanted = new WeakMap<i18n, Language>();

/**
 * Switches to `language` once its texts are there, so nothing renders with untranslated keys or in a
 * half-loaded language. With the texts at hand (always for Spanish) the switch is synchronous. When calls
 * overlap, the last one wins: an earlier language that finishes loading later does not switch back.
 * Rejects when the texts could not be fetched (the language then stays as it was).
 */
export async function setLanguage(instance: i18n, language: Language): Promise<void> {
  wanted.set(instance, language);
  // Already showing it: no "languageChanged", which would re-render every translated component.
  if (instance.language === language) return;
  if (!hasLanguage(instance, language)) await loadLanguage(instance, language);
  if (wanted.get(instance) !== language) return;
  await instance.changeLanguage(language);
}

/** `lang` of the document: the language with the merchant's region when it has one (es-CO). */
export function documentLang(language: Language, merchantLocale?: string | null): string {
  const [merchantLanguage, region] = (merchantLocale ?? 'es-CO').split('-');
  return merchantLanguage === language && region ? `${language}-${region}` : language;
}
