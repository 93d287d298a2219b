import type { MerchantConfig } from '../config/config-schema';
import { embedOrigins, merchantOfPage } from './security-headers';

export interface SpaHtmlOptions {
  /** The exact parent origin the embedded SPA may post to; null → no meta, and the SPA never posts. */
  readonly embedOrigin: string | null;
  readonly lang: string;
}

const DEFAULT_LANG = 'es-CO';

export function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * index.html for one request: `<html lang>` and, for an embedded page, the parent's origin in
 * `<meta name="saldo-embed-origin">`. The SPA reads the meta for postMessage's targetOrigin, so it never
 * has to guess (or use "*") and never trusts `document.referrer` or a query string it cannot verify.
 */
export function renderSpaHtml(indexHtml: string, options: SpaHtmlOptions): string {
  const lang = escapeAttribute(options.lang);
  let html = /<html\b[^>]*\blang\s*=/i.test(indexHtml)
    ? indexHtml.replace(
        /(<html\b[^>]*?\blang\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)/i,
        (_, start: string) => `${start}"${lang}"`,
      )
    : indexHtml.replace(/<html\b/i, () => `<html lang="${lang}"`);
  if (options.embedOrigin !== null) {
    const meta = `<meta name="saldo-embed-origin" content="${escapeAttribute(options.embedOrigin)}">`;
    html = /<head\b[^>]*>/i.test(html)
      ? html.replace(/<head\b[^>]*>/i, (head) => `${head}${meta}`)
      : `${meta}${html}`;
  }
  return html;
}

/**
 * The parent origin of an embedded page (`?embed=1&origin=<parent origin>`), accepted only when it is one of
 * the merchant's `embed.allowedOrigins` exactly; with a single allowed origin the parameter may be omitted.
 * Anything else → null, so a page framed by a stranger (which frame-ancestors blocks anyway) never posts.
 */
export function embedOriginFor(merchant: MerchantConfig, query: URLSearchParams): string | null {
  if (query.get('embed') !== '1') return null;
  const allowed = embedOrigins(merchant);
  const requested = query.get('origin');
  if (requested === null) return allowed.length === 1 ? (allowed[0] ?? null) : null;
  return allowed.includes(requested) ? requested : null;
}

/** Renders the SPA shell for a request URL (the SPA fallback of bff/app.ts). */
export function createSpaRenderer(indexHtml: string, merchants: ReadonlyMap<string, MerchantConfig>) {
  return (requestUrl: string): string => {
    const url = new URL(requestUrl);
    const merchant = merchantOfPage(url.pathname, merchants);
    return renderSpaHtml(indexHtml, {
      embedOrigin: merchant ? embedOriginFor(merchant, url.searchParams) : null,
      lang: merchant?.locale ?? DEFAULT_LANG,
    });
  };
}
