import { screen, within } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { demoMerchant } from './support/fixtures';
import { renderApp } from './support/render';

// English arrives late here, as over a slow network: i18n.ts's loader takes `m.enFirst` (read anew by
// every instance that loads it), and a promise there is adopted by the loader's promise.
vi.mock('../../web/i18n/en/first', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../web/i18n/en/first')>();
  return {
    get enFirst() {
      return new Promise((resolve) => setTimeout(() => resolve(real.enFirst), 100));
    },
  };
});

/** Every text the page showed while `until` was pending. */
async function textsWhile(until: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [document.body.textContent ?? ''];
  const observer = new MutationObserver(() => seen.push(document.body.textContent ?? ''));
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  try {
    await until();
  } finally {
    observer.disconnect();
  }
  return seen;
}

describe('a language that loads late', () => {
  test('an English merchant’s portal is never shown in Spanish (or as keys) while English loads', async () => {
    const api = fakeApi({ public: () => json({ ...demoMerchant, id: 'acme', locale: 'en-US' }) });
    const seen = await textsWhile(async () => {
      renderApp('/acme', { fetch: api.fetch });
      await screen.findByRole(
        'heading',
        { level: 1, name: 'Check and pay your invoices' },
        { timeout: 2000 },
      );
    });
    expect(seen.some((text) => text.includes('Consulta y paga tus facturas'))).toBe(false);
    expect(seen.some((text) => text.includes('lookup.title'))).toBe(false);
    // Meanwhile the loading state stood (in Spanish, the language of the page until then).
    expect(seen.some((text) => text.includes('Cargando el portal de pagos…'))).toBe(true);
  });

  test('the language switch changes every text at once, when English has arrived', async () => {
    const api = fakeApi();
    const { user } = renderApp('/demo', { fetch: api.fetch });
    await screen.findByRole('heading', { level: 1, name: 'Consulta y paga tus facturas' });
    await user.click(
      within(screen.getByRole('group', { name: 'Idioma' })).getByRole('button', { name: 'English' }),
    );
    // Not yet: Spanish stays whole rather than half translated.
    expect(screen.getByRole('heading', { level: 1, name: 'Consulta y paga tus facturas' })).toBeTruthy();
    expect(
      await screen.findByRole(
        'heading',
        { level: 1, name: 'Check and pay your invoices' },
        { timeout: 2000 },
      ),
    ).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Language' })).toBeTruthy();
  });
});
