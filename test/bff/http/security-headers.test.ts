import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { json, makeStaticDir, PAYER_ID, PUBLIC_URL, seedErp, testApp } from './support/app-fixture';

type App = Awaited<ReturnType<typeof testApp>>;

const PAYU = 'https://checkout.payulatam.com';
const PAYU_SANDBOX = 'https://sandbox.checkout.payulatam.com';

function directives(res: Response): Map<string, string> {
  const csp = res.headers.get('Content-Security-Policy') ?? '';
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const space = d.indexOf(' ');
        return [d.slice(0, space), d.slice(space + 1)] as [string, string];
      }),
  );
}

function expectBaseHeaders(res: Response) {
  const csp = directives(res);
  expect(csp.get('default-src')).toBe("'self'");
  expect(csp.get('script-src')).toBe("'self'");
  expect(csp.get('style-src')).toBe("'self'");
  expect(csp.get('img-src')).toBe("'self' https: data:");
  expect(csp.get('connect-src')).toBe("'self'");
  expect(csp.get('font-src')).toBe("'self'");
  expect(csp.get('object-src')).toBe("'none'");
  expect(csp.get('base-uri')).toBe("'none'");
  expect(csp.get('form-action')).toMatch(/^'self'/);
  expect(csp.has('frame-ancestors')).toBe(true);
  expect(res.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline');
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
  expect(res.headers.get('Permissions-Policy')).toContain('camera=()');
  expect(res.headers.get('Permissions-Policy')).toContain('microphone=()');
  expect(res.headers.get('Permissions-Policy')).toContain('geolocation=()');
  expect(res.headers.get('Permissions-Policy')).toContain('payment=()');
  expect(res.headers.get('Cross-Origin-Opener-Policy')).toBeNull();
}

describe('every kind of response carries the security headers', () => {
  let t: App;
  let failing: App;
  let staticDir: ReturnType<typeof makeStaticDir>;
  beforeAll(async () => {
    staticDir = makeStaticDir();
    t = await testApp({ staticDir: staticDir.dir });
    failing = await testApp({ erp: seedErp({ fail: true }) });
  });
  afterAll(async () => {
    await t.close();
    await failing.close();
    staticDir.cleanup();
  });

  const cases: [string, () => Response | Promise<Response>, number][] = [
    ['GET /healthz', () => t.app.request('/healthz'), 200],
    [
      'API 200 (lookup)',
      () => t.app.request('/api/v1/merchants/acme/lookup', json({ idNumber: PAYER_ID })),
      200,
    ],
    ['API 400 (validator)', () => t.app.request('/api/v1/merchants/acme/lookup', json({ nope: 1 })), 400],
    [
      'API 404 (unknown merchant)',
      () => t.app.request('/api/v1/merchants/zz/lookup', json({ idNumber: PAYER_ID })),
      404,
    ],
    [
      'API 500 (unexpected fault)',
      () => failing.app.request('/api/v1/merchants/acme/lookup', json({ idNumber: PAYER_ID })),
      500,
    ],
    ['API 404 (no such API route)', () => t.app.request('/api/v1/nothing'), 404],
    ['static asset', () => t.app.request('/assets/index-abc.js'), 200],
    ['SPA page of a merchant', () => t.app.request('/acme'), 200],
    ['SPA fallback for an unknown path', () => t.app.request('/somewhere/else'), 200],
    ['unknown route without a SPA', () => failing.app.request('/somewhere/else'), 404],
    ['/embed.js', () => t.app.request('/embed.js'), 200],
    ['PayU response redirect', () => t.app.request('/payu/acme/response?x=1'), 303],
    ['POST to an unknown route', () => t.app.request('/nowhere', { method: 'POST' }), 404],
  ];

  test.each(cases)('%s', async (_name, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expectBaseHeaders(res);
  });

  test('API responses are no-store, errors included, unless the route chose otherwise', async () => {
    for (const [, send] of cases.slice(1, 6)) {
      expect((await send()).headers.get('Cache-Control')).toBe('no-store');
    }
    const pub = await t.app.request('/api/v1/merchants/acme/public');
    expect(pub.status).toBe(200);
    expect(pub.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect((await t.app.request('/assets/index-abc.js')).headers.get('Cache-Control')).toContain('immutable');
  });

  test('a merchant with embed origins may be framed by exactly those origins on its SPA pages', async () => {
    for (const path of ['/acme', '/acme/', '/acme/s/some-token', '/acme/pay/result/REF-1', '/acme?embed=1']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(directives(res).get('frame-ancestors'), path).toBe('https://www.acme.co');
      expect(res.headers.get('X-Frame-Options'), path).toBeNull();
    }
    const beta = await t.app.request('/beta');
    expect(directives(beta).get('frame-ancestors')).toBe('https://shop.beta.co https://beta.co');
    expect(beta.headers.get('X-Frame-Options')).toBeNull();
  });

  test('everything else may not be framed', async () => {
    const paths = [
      '/demo', // no embed origins
      '/acme/other/page',
      '/unknown-merchant',
      '/',
      '/healthz',
      '/embed.js',
      '/assets/index-abc.js',
      '/api/v1/merchants/acme/public',
      '/payu/acme/response',
    ];
    for (const path of paths) {
      const res = await t.app.request(path);
      expect(directives(res).get('frame-ancestors'), path).toBe("'none'");
      expect(res.headers.get('X-Frame-Options'), path).toBe('DENY');
    }
    const post = await t.app.request('/acme', { method: 'POST' });
    expect(directives(post).get('frame-ancestors')).toBe("'none'");
  });

  test("form-action allows the merchant's PayU checkout, and on other pages every merchant's", async () => {
    expect(directives(await t.app.request('/acme')).get('form-action')).toBe(`'self' ${PAYU}`);
    expect(directives(await t.app.request('/beta/pay/result/R')).get('form-action')).toBe(
      `'self' ${PAYU_SANDBOX}`,
    );
    // The simulator is same-origin; the configured public origin is named too (127.0.0.1 vs localhost).
    expect(directives(await t.app.request('/demo')).get('form-action')).toBe(`'self' ${PUBLIC_URL}`);
    expect(directives(await t.app.request('/healthz')).get('form-action')).toBe(
      `'self' ${PAYU} ${PAYU_SANDBOX} ${PUBLIC_URL}`,
    );
  });

  test('mounted apps get the headers too, even on immutable responses, and keep a CSP of their own', async () => {
    const sub = new Hono()
      .get('/sim/redirect', () => Response.redirect('https://pagos.example.co/acme', 302))
      .get('/sim/page', (c) =>
        c.html('<p>sim</p>', 200, { 'Content-Security-Policy': "default-src 'none'" }),
      );
    const app = createApp({ ...t.deps, mounts: [{ path: '/sim', app: sub }] });
    const redirect = await app.request('/sim/redirect');
    expect(redirect.status).toBe(302);
    expectBaseHeaders(redirect);
    const page = await app.request('/sim/page');
    expect(page.headers.get('Content-Security-Policy')).toBe("default-src 'none'");
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
  });

  test('HSTS is sent only in production', async () => {
    expect((await t.app.request('/healthz')).headers.get('Strict-Transport-Security')).toBeNull();
    const prod = await testApp({ production: true });
    try {
      for (const path of ['/healthz', '/acme', '/nowhere']) {
        expect((await prod.app.request(path)).headers.get('Strict-Transport-Security')).toBe(
          'max-age=31536000; includeSubDomains',
        );
      }
    } finally {
      await prod.close();
    }
  });
});
