import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderSpaHtml } from '../../../bff/http/spa-html';
import { makeStaticDir, testApp } from './support/app-fixture';

const INDEX = '<!doctype html>\n<html lang="en">\n<head><meta charset="UTF-8"></head><body></body></html>';

function embedMeta(html: string): string | null {
  return /<meta name="saldo-embed-origin" content="([^"]*)">/.exec(html)?.[1] ?? null;
}

describe('renderSpaHtml', () => {
  test('puts the embed origin first in <head> and sets <html lang>', () => {
    const html = renderSpaHtml(INDEX, { embedOrigin: 'https://www.acme.co', lang: 'es-CO' });
    expect(html).toContain('<html lang="es-CO">');
    expect(html).toContain(
      '<head><meta name="saldo-embed-origin" content="https://www.acme.co"><meta charset',
    );
  });

  test('without an embed origin there is no meta at all', () => {
    const html = renderSpaHtml(INDEX, { embedOrigin: null, lang: 'en-US' });
    expect(html).not.toContain('saldo-embed-origin');
    expect(html).toContain('<html lang="en-US">');
  });

  test('escapes the attribute and adds lang when the template has none', () => {
    const html = renderSpaHtml('<html><head></head></html>', {
      embedOrigin: '"><script>x</script>&',
      lang: 'es',
    });
    expect(html).toBe(
      '<html lang="es"><head><meta name="saldo-embed-origin" content="&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;"></head></html>',
    );
  });

  test('replacement patterns in values are taken literally', () => {
    const html = renderSpaHtml(INDEX, { embedOrigin: "$&$'$1", lang: '$1' });
    expect(embedMeta(html)).toBe('$&amp;$&#39;$1');
    expect(html).toContain('<html lang="$1">');
  });
});

describe('the SPA fallback tells an embedded page its parent origin only when it is allowed', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let staticDir: ReturnType<typeof makeStaticDir>;
  beforeAll(async () => {
    staticDir = makeStaticDir();
    t = await testApp({ staticDir: staticDir.dir });
  });
  afterAll(async () => {
    await t.close();
    staticDir.cleanup();
  });

  const page = async (path: string) => {
    const res = await t.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    return res.text();
  };

  test.each([
    ['/acme?embed=1', 'https://www.acme.co'], // the single allowed origin needs no parameter
    ['/acme?embed=1&origin=https%3A%2F%2Fwww.acme.co', 'https://www.acme.co'],
    ['/acme/s/tok?embed=1', 'https://www.acme.co'],
    ['/beta?embed=1&origin=https%3A%2F%2Fbeta.co', 'https://beta.co'],
    ['/beta?embed=1&origin=https%3A%2F%2Fshop.beta.co', 'https://shop.beta.co'],
  ])('%s → %s', async (path, origin) => {
    expect(embedMeta(await page(path))).toBe(origin);
  });

  test.each([
    '/acme', // not embedded
    '/acme?origin=https%3A%2F%2Fwww.acme.co', // not embedded either
    '/acme?embed=1&origin=https%3A%2F%2Fevil.example',
    '/acme?embed=1&origin=https%3A%2F%2Fwww.acme.co%2F', // not a serialized origin: exact match only
    '/acme?embed=1&origin=http%3A%2F%2Fwww.acme.co',
    '/acme?embed=1&origin=',
    '/beta?embed=1', // two allowed origins: the parent must say which
    '/demo?embed=1&origin=https%3A%2F%2Fwww.acme.co', // demo allows no framing
    '/unknown?embed=1&origin=https%3A%2F%2Fwww.acme.co',
  ])('%s → no meta', async (path) => {
    expect(embedMeta(await page(path))).toBeNull();
  });

  test("the page language is the merchant's locale", async () => {
    expect(await page('/acme')).toContain('<html lang="es-CO">');
    expect(await page('/beta/pay/result/R1')).toContain('<html lang="en-US">');
    expect(await page('/')).toContain('<html lang="es-CO">');
  });

  test('static files are served as they are', async () => {
    const res = await t.app.request('/assets/index-abc.js');
    expect(await res.text()).toBe('export {};\n');
  });
});
