import { screen, within } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { lookupResponse, payment } from './support/fixtures';
import { preloadResults } from '../../web/app/pages/deferred-results';
import { createI18n } from '../../web/i18n/i18n';
import { renderApp } from './support/render';
import { esLaterPart } from './support/texts';

/**
 * Spanish's later part (web/i18n/es/later.ts) arrives when the test says so: i18n.ts's loader reads
 * `m.esLater` anew for every instance, and the promise there is adopted by the loader's promise.
 */
const texts = vi.hoisted(() => ({ fetches: 0, release: () => undefined as void }));
/** English's later part, likewise. */
const english = vi.hoisted(() => ({ fetches: 0, release: () => undefined as void }));
vi.mock('../../web/i18n/en/later', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../web/i18n/en/later')>();
  return {
    get enLater() {
      english.fetches++;
      return new Promise((resolve) => {
        english.release = () => resolve(real.enLater);
      });
    },
  };
});
vi.mock('../../web/i18n/es/later', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../web/i18n/es/later')>();
  return {
    get esLater() {
      texts.fetches++;
      return new Promise((resolve) => {
        texts.release = () => resolve(real.esLater);
      });
    },
  };
});

const ID_LABEL = 'Número de identificación (cédula o NIT)';
/** Lazy chunks are transformed on first import: on a busy machine that takes more than the default 1 s. */
const WAIT = { timeout: 5000 };
/** A key of any part, as i18next would show a missing text (e.g. "items.title", "result.title.approved"). */
const KEY = /\b(items|checkout|result|refund|charge|errors|lookup|app|merchant|business)\.[a-z][a-zA-Z_]*/;

/** Every text the page showed while `until` ran. */
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

describe('later-step texts load on demand, and nothing shows before they are here', () => {
  test('the lookup page renders without them; the list waits for them, showing its loading state', async () => {
    texts.fetches = 0;
    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const { user } = renderApp('/demo', { fetch: api.fetch });
    await user.type(await screen.findByLabelText(ID_LABEL, {}, WAIT), '12345678');
    // The first screen is whole without the later part: nobody asked for it yet.
    expect(screen.getByRole('heading', { level: 1, name: 'Consulta y paga tus facturas' })).toBeTruthy();
    expect(texts.fetches).toBe(0);

    const seen = await textsWhile(async () => {
      await user.click(screen.getByRole('button', { name: 'Consultar' }));
      // The lookup asked for them beside the request.
      expect(texts.fetches).toBe(1);
      // The answer is in (the form gives way to the list's place); the texts are not: still loading.
      await vi.waitFor(() => expect(screen.queryByLabelText(ID_LABEL)).toBeNull(), WAIT);
      expect(api.callsTo('lookup')).toHaveLength(1);
      expect(screen.getByRole('status').textContent).toBe('Consultando tus pagos pendientes…');
      expect(screen.queryByRole('heading', { level: 2 })).toBeNull();
      texts.release();
      await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' }, WAIT);
    });
    expect(seen.filter((text) => KEY.test(text))).toEqual([]);
    expect(texts.fetches).toBe(1);
  });

  test('with the list’s code already here (an earlier visit), the list still waits for its texts', async () => {
    // Another app instance loads the list's code, with Spanish's later part at hand.
    await preloadResults(createI18n('es', { es: esLaterPart }));
    texts.fetches = 0;
    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const { user } = renderApp('/demo', { fetch: api.fetch });
    await user.type(await screen.findByLabelText(ID_LABEL, {}, WAIT), '12345678');
    const seen = await textsWhile(async () => {
      await user.click(screen.getByRole('button', { name: 'Consultar' }));
      await vi.waitFor(() => expect(screen.queryByLabelText(ID_LABEL)).toBeNull(), WAIT);
      expect(screen.getByRole('status').textContent).toBe('Consultando tus pagos pendientes…');
      expect(screen.queryByRole('heading', { level: 2 })).toBeNull();
      texts.release();
      await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' }, WAIT);
    });
    expect(seen.filter((text) => KEY.test(text))).toEqual([]);
    expect(texts.fetches).toBe(1);
  });

  test('landing on a later page (PayU’s return) shows the loading state until its texts are here', async () => {
    texts.fetches = 0;
    const api = fakeApi({ payment: () => json(payment({ reference: 'SALDO-ABC123', status: 'approved' })) });
    const seen = await textsWhile(async () => {
      renderApp('/demo/pay/result/SALDO-ABC123', { fetch: api.fetch });
      expect(await screen.findByText('Cargando…', {}, WAIT)).toBeTruthy();
      await vi.waitFor(() => expect(texts.fetches).toBe(1), WAIT);
      expect(screen.queryByRole('heading', { level: 1, name: 'Pago aprobado' })).toBeNull();
      texts.release();
      await screen.findByRole('heading', { level: 1, name: 'Pago aprobado' }, WAIT);
    });
    expect(seen.filter((text) => KEY.test(text))).toEqual([]);
  });

  test('switching language with the list shown waits for that language’s later part too', async () => {
    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const { user } = renderApp('/demo', { fetch: api.fetch });
    await user.type(await screen.findByLabelText(ID_LABEL, {}, WAIT), '12345678');
    await user.click(screen.getByRole('button', { name: 'Consultar' }));
    await vi.waitFor(() => expect(texts.fetches).toBeGreaterThan(0), WAIT);
    texts.release();
    await screen.findByRole('heading', { level: 2, name: 'Tus pagos pendientes' }, WAIT);
    english.fetches = 0;

    const seen = await textsWhile(async () => {
      await user.click(
        within(screen.getByRole('group', { name: 'Idioma' })).getByRole('button', { name: 'English' }),
      );
      await vi.waitFor(() => expect(english.fetches).toBe(1), WAIT);
      // English's first part may be here already; the page stays wholly Spanish until the list's is too.
      expect(screen.getByRole('heading', { level: 1, name: 'Consulta y paga tus facturas' })).toBeTruthy();
      expect(screen.getByRole('heading', { level: 2, name: 'Tus pagos pendientes' })).toBeTruthy();
      english.release();
      await screen.findByRole('heading', { level: 2, name: 'Your pending payments' }, WAIT);
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Check and pay your invoices' })).toBeTruthy();
    expect(seen.filter((text) => KEY.test(text))).toEqual([]);
    // Never half translated: no moment with the English page title over the Spanish list.
    expect(
      seen.filter((text) => text.includes('Check and pay your invoices') && text.includes('Tus pagos')),
    ).toEqual([]);
  });
});
