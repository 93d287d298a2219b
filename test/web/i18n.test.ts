import { describe, expect, test } from 'vitest';
import { createI18n, hasLanguage, hasTexts, loadTexts, needTexts, setLanguage } from '../../web/i18n/i18n';
import { en } from './support/texts';

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

  test('loadTexts fetches a part once per instance', async () => {
    const i18n = createI18n();
    const first = loadTexts(i18n, 'en', 'first');
    expect(loadTexts(i18n, 'en', 'first')).toBe(first);
    await first;
    expect(hasLanguage(i18n, 'en')).toBe(true);
    expect(i18n.language).toBe('es');
  });
});

describe('later-step texts load on demand', () => {
  test('only the first part is at hand at start: the later part is not, in any language', () => {
    const i18n = createI18n();
    expect(hasTexts(i18n, 'es', 'first')).toBe(true);
    expect(hasTexts(i18n, 'es', 'later')).toBe(false);
    expect(i18n.exists('items.title')).toBe(false);
    // Errors the lookup can show are first; those of later steps are not.
    expect(i18n.t('errors.rate_limited')).toMatch(/^Hiciste muchas consultas/);
    expect(i18n.exists('errors.item_paid')).toBe(false);
  });

  test('needTexts fetches the later part once and then answers null: it is there', async () => {
    const i18n = createI18n();
    const pending = needTexts(i18n, 'later');
    expect(pending).not.toBeNull();
    expect(needTexts(i18n, 'later')).toBe(pending);
    await pending;
    expect(needTexts(i18n, 'later')).toBeNull();
    expect(i18n.t('items.count', { count: 2 })).toBe('2 pagos pendientes');
    // Merged with the first part's errors, not in place of them.
    expect(i18n.t('errors.item_paid')).toMatch(/^Uno de estos cobros ya fue pagado/);
    expect(i18n.t('errors.rate_limited')).toMatch(/^Hiciste muchas consultas/);
  });

  test('a language switch brings every part needed so far before it switches', async () => {
    const i18n = createI18n();
    await needTexts(i18n, 'later');
    const switching = setLanguage(i18n, 'en');
    expect(i18n.language).toBe('es');
    await switching;
    expect(i18n.language).toBe('en');
    expect(hasTexts(i18n, 'en', 'later')).toBe(true);
    expect(i18n.t('items.count', { count: 2 })).toBe('2 pending payments');
  });

  test('a part needed while a switch is on its way arrives before the switch', async () => {
    const i18n = createI18n();
    const switching = setLanguage(i18n, 'en');
    // The list starts loading (in Spanish, still shown) while English's first part is on its way.
    const later = needTexts(i18n, 'later');
    await Promise.all([switching, later]);
    expect(i18n.language).toBe('en');
    expect(hasTexts(i18n, 'en', 'later')).toBe(true);
  });

  test('without a later step, a switch fetches the first part only', async () => {
    const i18n = createI18n();
    await setLanguage(i18n, 'en');
    expect(hasTexts(i18n, 'en', 'later')).toBe(false);
  });
});
