import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { MerchantConfig } from '../config/config-schema';
import { PAYU_CHECKOUT_URLS, type PayuMode } from '../payu/form';
import { isFinished } from './finished-answer';

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

/** Browser features the portal never uses, switched off (Permissions-Policy `name=()`). */
const PERMISSIONS_OFF = {
  accelerometer: false,
  camera: false,
  geolocation: false,
  gyroscope: false,
  magnetometer: false,
  microphone: false,
  // The portal never uses the Payment Request API: PayU's WebCheckout is a top-level form post.
  payment: false,
  usb: false,
};

/**
 * Headers on every response (API, static files, SPA pages, redirects, errors, 404s), set after the handler
 * so nothing escapes them. A header the handler set itself is kept: that is a deliberate choice of that
 * route (e.g. `/public`'s cache, or a mounted demo page with its own CSP). Hono's `secureHeaders` writes
 * them (`overwrite: false`), one instance per merchant page and one for every other response, so nothing
 * is rebuilt per request; X-Frame-Options and Cache-Control are set here.
 *
 * - CSP without inline script or style; the SPA (vite build) loads everything from /assets.
 * - `form-action`: the SPA submits the signed PayU form with `target="_top"`, so the PayU origin of the
 *   merchant must be listed (production or sandbox checkout, or the same-origin simulator). Chrome also
 *   checks form-action on the redirects after the post; PayU's gateway redirects within its own origin.
 * - `frame-ancestors`: only the merchant's own SPA pages may be framed, and only by its
 *   `embed.allowedOrigins` (docs/spec/channels.md); every other response says 'none' and
 *   X-Frame-Options: DENY. Embeddable pages send no X-Frame-Options: DENY there would override
 *   frame-ancestors in old browsers.
 * - `Referrer-Policy: no-referrer`: statement links carry their token in the path, and any Referer (to
 *   PayU, to an image host, even to our own access logs) would leak it. The PayU form post then carries no
 *   Referer and `Origin: null`; the WebCheckout integration (docs/spec/payu-webcheckout.md) depends on
 *   neither: the signed fields are the whole contract. A `<meta name="referrer">` in index.html would
 *   override this.
 * - No Cross-Origin-Opener-Policy: the embedded page navigates the top window to PayU and a merchant may
 *   open the portal in a popup and keep its handle; COOP would cut that, and payer data is only in no-store
 *   API responses anyway. No Cross-Origin-Resource-Policy either: merchants' sites load /embed.js.
 * - `Cache-Control: no-store` on every /api/ response that did not choose otherwise, errors included
 *   (a 400 from a validator never reaches the route's own no-store).
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : null;
  const formAction = (origins: string[]) => ["'self'", ...new Set(origins)].join(' ');
  const allPayu = formAction(
    [...options.merchants.values()].flatMap((m) => payuOrigins(m.payu.mode, publicOrigin)),
  );

  // The headers depend only on the merchant whose page a request is for (none for every other request),
  // and the config is fixed: one secureHeaders per merchant page and one for the rest, built once, instead
  // of CSP callbacks that rebuilt the policy on every request (README "Performance").
  const build = (formActionValue: string, frameAncestors: string) =>
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: [formActionValue],
        frameAncestors: [frameAncestors],
      },
      xContentTypeOptions: true,
      referrerPolicy: true,
      permissionsPolicy: PERMISSIONS_OFF,
      strictTransportSecurity: options.production ? 'max-age=31536000; includeSubDomains' : false,
      xFrameOptions: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: false,
      crossOriginEmbedderPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
      overwrite: false,
    });
  interface Policy {
    readonly headers: MiddlewareHandler;
    /** Framable by the merchant's embed origins: no X-Frame-Options: DENY. */
    readonly framable: boolean;
  }
  const other: Policy = { headers: build(allPayu, "'none'"), framable: false };
  const pages = new Map<MerchantConfig, Policy>();
  const pageOf = (merchant: MerchantConfig): Policy => {
    let policy = pages.get(merchant);
    if (!policy) {
      const ancestors = embedOrigins(merchant);
      policy = {
        headers: build(
          formAction(payuOrigins(merchant.payu.mode, publicOrigin)),
          ancestors.length > 0 ? ancestors.join(' ') : "'none'",
        ),
        framable: ancestors.length > 0,
      };
      pages.set(merchant, policy);
    }
    return policy;
  };
  /** The policy of a request: of the merchant whose framable SPA page it is for (GET and HEAD only), or the rest's. */
  const policyOf = (c: Context): Policy => {
    const method = c.req.method;
    const merchant =
      method === 'GET' || method === 'HEAD' ? merchantOfPage(c.req.path, options.merchants) : null;
    return merchant ? pageOf(merchant) : other;
  };

  // The headers of an API answer (the rest's policy, X-Frame-Options, no-store), read once from a dry run
  // of the same secureHeaders, for answers built whole (finished-answer.ts). Until it has run (the first
  // microtasks after start), API answers get their headers afterwards like any other.
  let apiHeaders: Readonly<Record<string, string>> | null = null;
  void headersSetBy(other.headers).then(
    (set) => {
      apiHeaders = Object.freeze({ ...set, 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    },
    () => undefined,
  );

  return async (c, next) => {
    const policy = policyOf(c);
    const path = c.req.path;
    const api = path === '/api' || path.startsWith('/api/');
    if (api && apiHeaders && policy === other) c.set('answerHeaders', apiHeaders);
    await next();
    // An answer built whole already carries every header below.
    if (isFinished(c.res)) return;
    // Headers of a Response obtained from fetch() or Response.redirect() (a mounted app) are immutable:
    // re-wrap it once so the headers below and secureHeaders' can be set. delete() checks the guard
    // before looking for the name, so it throws exactly when the headers are immutable.
    try {
      c.res.headers.delete('X-Saldo-Mutable-Probe');
    } catch {
      c.res = new Response(c.res.body, c.res);
    }
    // secureHeaders does all of its work after next(): run now, it sets its headers on this answer.
    await policy.headers(c, noop);
    if (!policy.framable && !c.res.headers.has('X-Frame-Options')) {
      c.res.headers.set('X-Frame-Options', 'DENY');
    }
    if (api && !c.res.headers.has('Cache-Control')) {
      c.res.headers.set('Cache-Control', 'no-store');
    }
  };
}

const noop = async () => {};

/** The headers a secureHeaders instance sets on an answer that has none, as a plain record. */
async function headersSetBy(headers: MiddlewareHandler): Promise<Record<string, string>> {
  const res = new Response(null);
  await headers({ res } as unknown as Context, noop);
  return Object.fromEntries(res.headers);
}
