import type { MiddlewareHandler } from 'hono';
import type { MerchantConfig } from '../config/config-schema';
import { PAYU_CHECKOUT_URLS, type PayuMode } from '../payu/form';

export interface SecurityHeadersOptions {
  /** NODE_ENV=production: adds HSTS (the portal is https-only there). */
  readonly production: boolean;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  /**
   * config.publicUrl: the PayU simulator listens at `${publicUrl}/payu-sim/…`, which is 'self' when the page
   * is served on publicUrl's origin; naming the origin too keeps the demo working when it is reached through
   * another host name (127.0.0.1 vs localhost).
   */
  readonly publicUrl?: string;
}

/** SPA routes of a merchant (the routes web/ serves): the only documents that may be framed. */
const MERCHANT_PAGE = /^\/([a-z0-9-]{2,40})(?:\/s\/[^/]+|\/pay|\/pay\/result\/[^/]+)?\/?$/;

/** The merchant whose SPA page this path is, or null (API, assets, callbacks, unknown first segment). */
export function merchantOfPage(
  path: string,
  merchants: ReadonlyMap<string, MerchantConfig>,
): MerchantConfig | null {
  const id = MERCHANT_PAGE.exec(path)?.[1];
  return (id && merchants.get(id)) || null;
}

/**
 * A merchant's embed origins as serialized origins. The config accepts URLs, so `https://www.acme.co/` or a
 * URL with a path becomes `https://www.acme.co`: that is what a browser compares against frame-ancestors,
 * `event.origin` and `targetOrigin`.
 */
export function embedOrigins(merchant: MerchantConfig): string[] {
  const origins = merchant.embed.allowedOrigins
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        return 'null';
      }
    })
    .filter((o) => o !== 'null');
  return [...new Set(origins)];
}

function payuOrigins(mode: PayuMode, publicOrigin: string | null): string[] {
  if (mode === 'simulator') return publicOrigin ? [publicOrigin] : [];
  return [new URL(PAYU_CHECKOUT_URLS[mode]).origin];
}

const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  // The portal never uses the Payment Request API: PayU's WebCheckout is a top-level form post.
  'payment=()',
  'usb=()',
].join(', ');

/**
 * Headers on every response (API, static files, SPA pages, redirects, errors, 404s), set after the handler
 * so nothing escapes them. A header the handler set itself is kept: that is a deliberate choice of that
 * route (e.g. `/public`'s cache, or a mounted demo page with its own CSP).
 *
 * - CSP without inline script or style; the SPA (vite build) loads everything from /assets.
 * - `form-action`: the SPA submits the signed PayU form with `target="_top"`, so the PayU origin of the
 *   merchant must be listed (production or sandbox checkout, or the same-origin simulator). Chrome also
 *   checks form-action on the redirects after the post; PayU's gateway redirects within its own origin.
 * - `frame-ancestors`: only the merchant's own SPA pages may be framed, and only by its
 *   `embed.allowedOrigins` (channels.md); every other response says 'none' and X-Frame-Options: DENY.
 *   Embeddable pages send no X-Frame-Options: DENY there would override frame-ancestors in old browsers.
 * - `Referrer-Policy: no-referrer`: statement links carry their token in the path, and any Referer (to
 *   PayU, to an image host, even to our own access logs) would leak it. The PayU form post then carries no
 *   Referer and `Origin: null`; the WebCheckout integration (payu-webcheckout.md) depends on neither: the
 *   signed fields are the whole contract. A `<meta name="referrer">` in index.html would override this.
 * - No Cross-Origin-Opener-Policy: the embedded page navigates the top window to PayU and a merchant may
 *   open the portal in a popup and keep its handle; COOP would cut that, and payer data is only in no-store
 *   API responses anyway.
 * - `Cache-Control: no-store` on every /api/ response that did not choose otherwise, errors included
 *   (a 400 from a validator never reaches the route's own no-store).
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : null;
  const formAction = (origins: string[]) => ["'self'", ...new Set(origins)].join(' ');
  const allPayu = formAction(
    [...options.merchants.values()].flatMap((m) => payuOrigins(m.payu.mode, publicOrigin)),
  );

  const csp = (frameAncestors: string, formActions: string) =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' https: data:",
      "connect-src 'self'",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      `form-action ${formActions}`,
      `frame-ancestors ${frameAncestors}`,
    ].join('; ');

  return async (c, next) => {
    await next();
    const path = c.req.path;
    const merchant =
      c.req.method === 'GET' || c.req.method === 'HEAD' ? merchantOfPage(path, options.merchants) : null;
    const ancestors = merchant ? embedOrigins(merchant) : [];
    const embeddable = ancestors.length > 0;

    const headers: Record<string, string> = {
      'Content-Security-Policy': csp(
        embeddable ? ancestors.join(' ') : "'none'",
        merchant ? formAction(payuOrigins(merchant.payu.mode, publicOrigin)) : allPayu,
      ),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Permissions-Policy': PERMISSIONS_POLICY,
    };
    if (!embeddable) headers['X-Frame-Options'] = 'DENY';
    if (options.production) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
    if (path === '/api' || path.startsWith('/api/')) headers['Cache-Control'] = 'no-store';

    let res = c.res;
    const missing = Object.entries(headers).filter(([name]) => !res.headers.has(name));
    if (missing.length === 0) return;
    try {
      for (const [name, value] of missing) res.headers.set(name, value);
    } catch {
      // Headers of a Response obtained from fetch() are immutable: re-wrap it once, then set.
      c.res = new Response(res.body, res);
      res = c.res;
      for (const [name, value] of missing) res.headers.set(name, value);
    }
  };
}
