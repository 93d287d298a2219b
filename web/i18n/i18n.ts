import i18next, { type i18n } from 'i18next';
import { esFirst } from './es/first';
import type { FirstMessages, LaterMessages } from './messages';

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

/**
 * The texts come in two parts per language (web/i18n/<language>/<part>.ts):
 * - `first`: what the first screens show (chrome, lookup form, statement links, their errors). Spanish's
 *   is in the entry chunk, so the lookup page renders at once; English's is a chunk fetched when asked for.
 * - `later`: every later step (items list, checkout, result, money back, charge links, their errors), a
 *   chunk per language fetched when a later step's code loads (the list's loader, `useTexts('later')`).
 * Both go into i18next's one namespace, so keys do not say which part a text is in.
 */
export const TEXT_PARTS = ['first', 'later'] as const;
export type TextPart = (typeof TEXT_PARTS)[number];
interface PartMessages {
  first: FirstMessages;
  later: LaterMessages;
}

/** Texts at hand besides the bundled Spanish first part, by language (tests pass them directly). */
export type Bundles = Partial<Record<Language, Partial<PartMessages>>>;

type Loader<P extends TextPart> = () => Promise<PartMessages[P]>;
const LOADERS: { [P in TextPart]: Record<Language, Loader<P> | null> } = {
  first: { es: null, en: () => import('./en/first').then((m) => m.enFirst) },
  later: {
    es: () => import('./es/later').then((m) => m.esLater),
    en: () => import('./en/later').then((m) => m.enLater),
  },
};

interface TextState {
  /** `${language}/${part}` of the texts added to the instance. */
  present: Set<string>;
  /** Fetches under way or done (kept, so a part is fetched once and every caller gets one promise). */
  loading: Map<string, Promise<void>>;
  /** The parts the app has needed so far: a language switch brings all of them before it switches. */
  needed: Set<TextPart>;
  /** The language asked for last (setLanguage). */
  wanted: Language | null;
}

/**
 * By the instance's resource store, which holds the texts: react-i18next's useTranslation hands out
 * wrappers of the instance (a new one per language), which share the store but are not the instance.
 */
const states = new WeakMap<object, TextState>();

function stateOf(instance: i18n): TextState {
  let state = states.get(instance.store);
  if (!state) {
    state = { present: new Set(['es/first']), loading: new Map(), needed: new Set(['first']), wanted: null };
    states.set(instance.store, state);
  }
  return state;
}

const partKey = (language: Language, part: TextPart) => `${language}/${part}`;

function addTexts(instance: i18n, language: Language, part: TextPart, messages: object) {
  // Deep: `errors` is split between the parts.
  instance.addResourceBundle(language, 'translation', messages, true, true);
  stateOf(instance).present.add(partKey(language, part));
}

/**
 * A fresh instance per app (and per test), initialised synchronously from the texts at hand: Spanish's
 * first part, plus any in `bundles`. A language whose first part is not at hand starts as Spanish;
 * `setLanguage` loads it.
 */
export function createI18n(language: Language = 'es', bundles: Bundles = {}): i18n {
  const instance = i18next.createInstance();
  // First parts go in at init, so i18next resolves the language from them (resolvedLanguage).
  const resources: Record<string, { translation: object }> = { es: { translation: esFirst } };
  for (const l of LANGUAGES) {
    const first = bundles[l]?.first;
    if (first) resources[l] = { translation: first };
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
  const state = stateOf(instance);
  for (const l of Object.keys(resources)) state.present.add(partKey(l as Language, 'first'));
  for (const l of LANGUAGES) {
    const later = bundles[l]?.later;
    if (later) addTexts(instance, l, 'later', later);
  }
  return instance;
}

/** The language the instance shows. */
export function shownLanguage(instance: i18n): Language {
  return languageOf(instance.language);
}

export function hasTexts(instance: i18n, language: Language, part: TextPart): boolean {
  return stateOf(instance).present.has(partKey(language, part));
}

/** Whether a language can be shown: its first part is here. */
export function hasLanguage(instance: i18n, language: Language): boolean {
  return hasTexts(instance, language, 'first');
}

/** Adds one part of a language's texts (fetching its chunk once); resolves at once when it is there. */
export function loadTexts(instance: i18n, language: Language, part: TextPart): Promise<void> {
  const state = stateOf(instance);
  const key = partKey(language, part);
  let promise = state.loading.get(key);
  if (promise) return promise;
  const loader = LOADERS[part][language] as Loader<TextPart> | null;
  if (hasTexts(instance, language, part) || !loader) return Promise.resolve();
  promise = loader().then(
    (messages) => addTexts(instance, language, part, messages),
    (error: unknown) => {
      state.loading.delete(key); // a later attempt fetches again
      throw error;
    },
  );
  state.loading.set(key, promise);
  return promise;
}

function missingParts(instance: i18n, language: Language): TextPart[] {
  return [...stateOf(instance).needed].filter((part) => !hasTexts(instance, language, part));
}

/** Every part the app has needed so far, in `language`; parts needed meanwhile are fetched too. */
export async function loadLanguage(instance: i18n, language: Language): Promise<void> {
  for (let missing = missingParts(instance, language); missing.length > 0;) {
    await Promise.all(missing.map((part) => loadTexts(instance, language, part)));
    missing = missingParts(instance, language);
  }
}

/**
 * Marks `part` as needed from now on (a language switch brings it too) and returns null when its texts are
 * here in `language` (by default the one shown), else the promise of their arrival: the same promise for
 * every caller, so React's `use` can wait for it (see use-texts.ts).
 */
export function needTexts(
  instance: i18n,
  part: TextPart,
  language: Language = shownLanguage(instance),
): Promise<void> | null {
  stateOf(instance).needed.add(part);
  if (hasTexts(instance, language, part)) return null;
  return loadTexts(instance, language, part);
}

/**
 * Switches to `language` once all the texts the app needs are there in it, so nothing renders with
 * untranslated keys or in a half-loaded language. With the texts at hand the switch is synchronous. When
 * calls overlap, the last one wins: an earlier language that finishes loading later does not switch back.
 * Rejects when the texts could not be fetched (the language then stays as it was).
 */
export async function setLanguage(instance: i18n, language: Language): Promise<void> {
  const state = stateOf(instance);
  state.wanted = language;
  // Already showing it: no "languageChanged", which would re-render every translated component.
  if (instance.language === language) return;
  if (missingParts(instance, language).length > 0) await loadLanguage(instance, language);
  if (state.wanted !== language) return;
  await instance.changeLanguage(language);
}

/** `lang` of the document: the language with the merchant's region when it has one (es-CO). */
export function documentLang(language: Language, merchantLocale?: string | null): string {
  const [merchantLanguage, region] = (merchantLocale ?? 'es-CO').split('-');
  return merchantLanguage === language && region ? `${language}-${region}` : language;
}
