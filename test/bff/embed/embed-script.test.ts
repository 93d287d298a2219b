import { Script } from 'node:vm';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, test } from 'vitest';
import { embedScript } from '../../../bff/embed/embed-script';
import { PUBLIC_URL, testApp } from '../http/support/app-fixture';

const PORTAL = PUBLIC_URL;
const SHOP = 'https://shop.acme.co';

describe('GET /embed.js', () => {
  test('is JavaScript for an hour, with the portal origin baked in', async () => {
    const t = await testApp();
    try {
      const res = await t.app.request('/embed.js');
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/javascript; charset=utf-8');
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=3600');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      const body = await res.text();
      expect(body).toContain(`var PORTAL = "${PORTAL}";`);
      expect(body).toBe(embedScript(t.deps.config.publicUrl));
    } finally {
      await t.close();
    }
  });

  test('the origin is the origin of publicUrl, as a JS string literal', () => {
    expect(embedScript('https://pagos.example.co/base/')).toContain(
      'var PORTAL = "https://pagos.example.co";',
    );
    expect(embedScript('http://127.0.0.1:8787')).toContain('var PORTAL = "http://127.0.0.1:8787";');
  });

  test('is valid ES5: it compiles, and uses no later syntax', () => {
    const source = embedScript(PORTAL);
    expect(() => new Script(source)).not.toThrow();
    for (const later of ['=>', '`', 'let ', 'const ', 'class ', '...', 'async ', 'await ']) {
      expect(source, later).not.toContain(later);
    }
  });
});

/** A merchant page in happy-dom with the snippet in it; nothing is fetched. */
function merchantPage(
  snippet = `<div id="saldo-portal"></div><script src="${PORTAL}/embed.js" data-merchant="acme" async></script>`,
  url = `${SHOP}/pagar`,
) {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptFileLoading: true,
      handleDisabledFileLoadingAsSuccess: true,
      disableIframePageLoading: true,
    },
  });
  const document = window.document;
  document.body.innerHTML = `<main id="checkout">${snippet}</main>`;
  const errors: string[] = [];
  Object.defineProperty(window, 'console', {
    value: { error: (text: string) => errors.push(text) },
    configurable: true,
  });
  const run = (currentScript: unknown = null) => {
    Object.defineProperty(document, 'currentScript', { value: currentScript, configurable: true });
    new Function('window', 'document', embedScript(PORTAL))(window, document);
  };
  const frame = () => document.querySelector('iframe');
  /** What the portal page inside the iframe would be (happy-dom loads no page, so no contentWindow). */
  const portalWindow = { name: 'portal' };
  const attach = () => {
    const iframe = frame();
    if (!iframe) throw new Error('no iframe');
    Object.defineProperty(iframe, 'contentWindow', { value: portalWindow });
    return iframe;
  };
  const post = (data: unknown, origin = PORTAL, source: unknown = portalWindow) =>
    window.dispatchEvent(new window.MessageEvent('message', { data, origin, source: source as never }));
  return { window, document, run, frame, attach, post, errors };
}

const pages: ReturnType<typeof merchantPage>[] = [];
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.window.happyDOM.close()));
});
function page(snippet?: string, url?: string) {
  const p = merchantPage(snippet, url);
  pages.push(p);
  return p;
}

describe('the embed script on a merchant page', () => {
  test('creates the iframe in #saldo-portal, pointing at the merchant with the parent origin and page', () => {
    const p = page();
    p.run(p.document.querySelector('script'));
    const iframe = p.frame();
    expect(iframe).not.toBeNull();
    expect(iframe?.getAttribute('src')).toBe(
      `${PORTAL}/acme?embed=1&origin=${encodeURIComponent(SHOP)}&page=${encodeURIComponent('/pagar')}`,
    );
    expect(iframe?.getAttribute('title')).toBe('Portal de pagos');
    expect(iframe?.getAttribute('width')).toBe('100%');
    expect(iframe?.style.border).toMatch(/^0/);
    const host = iframe?.parentElement;
    expect(host?.className).toBe('saldo-embed');
    expect(host?.parentElement?.id).toBe('saldo-portal');
    expect(p.errors).toEqual([]);
  });

  test('data-target names the container', () => {
    const p = page(
      `<section id="pay-here"></section><div id="saldo-portal"></div>` +
        `<script src="${PORTAL}/embed.js" data-merchant="acme" data-target="#pay-here"></script>`,
    );
    p.run(p.document.querySelector('script'));
    expect(p.frame()?.parentElement?.parentElement?.id).toBe('pay-here');
  });

  test.each([
    [
      'no container at all',
      `<script src="${PORTAL}/embed.js" data-merchant="acme"></script>`,
      /saldo-portal/,
    ],
    [
      'a data-target that matches nothing',
      `<script src="${PORTAL}/embed.js" data-merchant="acme" data-target="#nope"></script>`,
      /data-target="#nope"/,
    ],
  ])('%s: nothing is mounted and the console says why', (_case, snippet, message) => {
    const p = page(snippet);
    p.run(p.document.querySelector('script'));
    expect(p.frame()).toBeNull();
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatch(message);
  });

  test('run from <head> before the body is parsed, it mounts once the document is ready', () => {
    const p = page();
    Object.defineProperty(p.document, 'readyState', { value: 'loading', configurable: true });
    p.run(p.document.querySelector('script'));
    expect(p.frame()).toBeNull();
    p.document.dispatchEvent(new p.window.Event('DOMContentLoaded'));
    expect(p.frame()?.parentElement?.parentElement?.id).toBe('saldo-portal');
  });

  test('back from PayU (?saldo_result=…) the iframe opens that payment’s result', () => {
    const p = page(undefined, `${SHOP}/pagar?saldo_result=SLD-abc_1&saldo_payu=approved&saldo_lng=en`);
    p.run(p.document.querySelector('script'));
    expect(p.frame()?.getAttribute('src')).toBe(
      `${PORTAL}/acme/pay/result/SLD-abc_1?embed=1&origin=${encodeURIComponent(SHOP)}` +
        `&page=${encodeURIComponent('/pagar')}&payu=approved&lng=en`,
    );
  });

  test('a saldo_result that is not a reference is ignored', () => {
    const p = page(undefined, `${SHOP}/pagar?saldo_result=..%2Fadmin`);
    p.run(p.document.querySelector('script'));
    expect(p.frame()?.getAttribute('src')).toBe(
      `${PORTAL}/acme?embed=1&origin=${encodeURIComponent(SHOP)}&page=${encodeURIComponent('/pagar')}`,
    );
  });

  test('without document.currentScript it finds its tag by src, once', () => {
    const p = page();
    p.run(null);
    p.run(null);
    expect(p.document.querySelectorAll('iframe')).toHaveLength(1);
  });

  test('a merchant id that is not one does not mount', () => {
    const p = page(
      `<div id="saldo-portal"></div><script src="${PORTAL}/embed.js" data-merchant="../admin" async></script>`,
    );
    p.run(p.document.querySelector('script'));
    expect(p.frame()).toBeNull();
    expect(p.errors[0]).toMatch(/not a merchant id/);
  });

  test("resizes on the portal's resize message and re-dispatches every message as a bubbling DOM event", () => {
    const p = page();
    p.run(p.document.querySelector('script'));
    const iframe = p.attach();
    const seen: { type: string; detail: unknown; target: unknown }[] = [];
    for (const type of ['saldo:ready', 'saldo:resize', 'saldo:payment_result']) {
      p.document.addEventListener(type, (e) => {
        seen.push({ type: e.type, detail: (e as unknown as { detail: unknown }).detail, target: e.target });
      });
    }
    p.post({ source: 'saldo', v: 1, type: 'ready' });
    p.post({ source: 'saldo', v: 1, type: 'resize', height: 812.4 });
    expect(iframe.style.height).toBe('813px');
    p.post({ source: 'saldo', v: 1, type: 'payment_result', reference: 'R1', status: 'approved' });
    expect(seen.map((s) => s.type)).toEqual(['saldo:ready', 'saldo:resize', 'saldo:payment_result']);
    expect(seen[2]?.detail).toEqual({
      source: 'saldo',
      v: 1,
      type: 'payment_result',
      reference: 'R1',
      status: 'approved',
    });
    expect(seen[0]?.target).toBe(iframe.parentElement);
  });

  test('heights are clamped', () => {
    const p = page();
    p.run(p.document.querySelector('script'));
    const iframe = p.attach();
    p.post({ source: 'saldo', v: 1, type: 'resize', height: 1e9 });
    expect(iframe.style.height).toBe('20000px');
    p.post({ source: 'saldo', v: 1, type: 'resize', height: -5 });
    expect(iframe.style.height).toBe('120px');
    p.post({ source: 'saldo', v: 1, type: 'resize', height: 500 });
    p.post({ source: 'saldo', v: 1, type: 'resize', height: Number.NaN });
    p.post({ source: 'saldo', v: 1, type: 'resize', height: '9000' });
    expect(iframe.style.height).toBe('500px');
  });

  test.each([
    ['another origin', { source: 'saldo', v: 1, type: 'resize', height: 900 }, 'https://evil.example', true],
    [
      'the portal origin but another window',
      { source: 'saldo', v: 1, type: 'resize', height: 900 },
      PORTAL,
      false,
    ],
    ['no saldo envelope', { v: 1, type: 'resize', height: 900 }, PORTAL, true],
    ['another version', { source: 'saldo', v: 2, type: 'resize', height: 900 }, PORTAL, true],
    ['a string', 'resize', PORTAL, true],
    ['an odd type', { source: 'saldo', v: 1, type: 'x y"<' }, PORTAL, true],
  ])('ignores messages from %s', (_name, data, origin, fromIframe) => {
    const p = page();
    p.run(p.document.querySelector('script'));
    const iframe = p.attach();
    let events = 0;
    p.document.addEventListener('saldo:resize', () => events++);
    p.post(data, origin, fromIframe ? undefined : { name: 'other frame' });
    expect(events).toBe(0);
    expect(iframe.style.height).toBe('');
  });
});
