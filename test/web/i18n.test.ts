import { describe, expect, test } from 'vitest';
import { en } from '../../web/i18n/en';
import { createI18n, hasLanguage, loadLanguage, setLanguage } from '../../web/i18n/i18n';

describe('languages load when needed', () => {
  test('Spanish is bundled; English is not, until it is loaded', () => {
    const i18n = createI18n();
    expect(i18n.language).toBe('es');
    expect(hasLanguage(i18n, 'es')).toBe(true);
    expect(hasLanguage(i18n, 'en')).toBe(false);
  });

  test('a language whose texts are not at hand starts as Spanish, never as keys', () => {
    const i18n = createI18n('en');
    expect(i18n.language).toBe('es');
    expect(i18n.t('lookup.submit')).toBe('Consultar');
  });

  test('texts at hand (tests pass English directly) are used at once', () => {
    const i18n = createI18n('en', { en });
    expect(i18n.language).toBe('en');
    expect(i18n.t('lookup.submit')).toBe('Look up');
  });

  test('setLanguage switches only once the texts are there', async () => {
    const i18n = createI18n();
    const switching = setLanguage(i18n, 'en');
    // Still Spanish while English is on its way.
    expect(i18n.language).toBe('es');
    await switching;
    expect(i18n.language).toBe('en');
    expect(i18n.t('lookup.submit')).toBe('Look up');
    expect(i18n.t('items.count', { count: 2 })).toBe('2 pending payments');
  });

  test('Spanish switches synchronously', async () => {
    const i18n = createI18n('en', { en });
    const switching = setLanguage(i18n, 'es');
    expect(i18n.language).toBe('es');
    await switching;
  });

  test('the last language asked for wins, even when an earlier one arrives later', async () => {
    const i18n = createI18n();
    const english = setLanguage(i18n, 'en');
    const spanish = setLanguage(i18n, 'es');
    await Promise.all([english, spanish]);
    expect(i18n.language).toBe('es');
    // English did arrive, for the next time it is asked for.
    expect(hasLanguage(i18n, 'en')).toBe(true);
  });

  test('asking for the language already shown does not announce a change', async () => {
    const i18n = createI18n();
    let changes = 0;
    i18n.on('languageChanged', () => changes++);
    await setLanguage(i18n, 'es');
    expect(changes).toBe(0);
    await setLanguage(i18n, 'en');
    expect(changes).toBe(1);
  });

  test('loadLanguage fetches a language once per instance', async () => {
    const i18n = createI18n();
    const first = loadLanguage(i18n, 'en');
    expect(loadLanguage(i18n, 'en')).toBe(first);
    await first;
    expect(hasLanguage(i18n, 'en')).toBe(true);
    expect(i18n.language).toBe('es');
  });
});
