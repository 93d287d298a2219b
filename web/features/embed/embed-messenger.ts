import type { PaymentStatus } from '../../../shared/api/schemas';
import type { ApiErrorCode } from '../../lib/api-client';

/**
 * Messages to the merchant page that frames the portal (docs/spec/channels.md "Merchant iframe"). They carry no
 * personal data: counts, references, statuses and error codes only.
 */
export type EmbedEvent =
  | { type: 'ready' }
  | { type: 'resize'; height: number }
  | { type: 'lookup_completed'; itemCount: number }
  | { type: 'payment_started'; reference: string }
  | { type: 'payment_result'; reference: string; status: PaymentStatus }
  | { type: 'error'; code: ApiErrorCode };

export interface EmbedMessenger {
  /** The page was asked for with ?embed=1: no portal header or footer. */
  readonly embedded: boolean;
  /** Messages will actually be posted (embedded, framed, and the server named the parent's origin). */
  readonly active: boolean;
  /**
   * The query that made the page embedded (`embed=1`, and `origin=` when the merchant allows several
   * parents), kept on the portal's own links so a reload inside the iframe is still embedded.
   */
  readonly query: string;
  /**
   * The merchant page that frames the portal (its origin, checked by the server, + the path embed.js
   * passed as `page`): where PayU sends the payer back, with the result shown in the iframe there.
   */
  readonly returnTo: string | null;
  post(event: EmbedEvent): void;
}

/**
 * The server puts `<meta name="saldo-embed-origin" content="https://www.acme.co">` in the page it serves
 * with ?embed=1, after checking the framing origin against the merchant's `embed.allowedOrigins`. That
 * exact origin is the only targetOrigin ever used; without the meta nothing is posted (never "*").
 */
export const EMBED_ORIGIN_META = 'saldo-embed-origin';

export function readEmbedOrigin(doc: Document): string | null {
  const content = doc.querySelector(`meta[name="${EMBED_ORIGIN_META}"]`)?.getAttribute('content')?.trim();
  if (!content) return null;
  try {
    const url = new URL(content);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === content) return content;
  } catch {
    return null;
  }
  return null;
}

export function isEmbedRequested(search: string): boolean {
  return new URLSearchParams(search).get('embed') === '1';
}

export function embedQuery(search: string): string {
  const params = new URLSearchParams(search);
  if (params.get('embed') !== '1') return '';
  const kept = new URLSearchParams({ embed: '1' });
  const origin = params.get('origin');
  if (origin) kept.set('origin', origin);
  const page = embedPage(search);
  if (page) kept.set('page', page);
  return kept.toString();
}

/** The path of the framing page (`page=` from embed.js): absolute, no query or fragment, bounded. */
export function embedPage(search: string): string | null {
  const page = new URLSearchParams(search).get('page');
  if (!page || !/^\/[^?#\s]{0,200}$/.test(page) || page.startsWith('//')) return null;
  return page;
}

export interface EmbedMessengerOptions {
  /** `location.search` of the page. */
  search: string;
  document: Document;
  /** The framing window, or null when the page is top-level. */
  parent: Pick<Window, 'postMessage'> | null;
}

export function createEmbedMessenger({ search, document, parent }: EmbedMessengerOptions): EmbedMessenger {
  const embedded = isEmbedRequested(search);
  const targetOrigin = embedded ? readEmbedOrigin(document) : null;
  const active = targetOrigin !== null && parent !== null;
  return {
    embedded,
    active,
    query: embedQuery(search),
    returnTo: active && targetOrigin !== null ? `${targetOrigin}${embedPage(search) ?? '/'}` : null,
    post(event) {
      if (!active || targetOrigin === null || parent === null) return;
      parent.postMessage({ source: 'saldo', v: 1, ...event }, targetOrigin);
    },
  };
}

/** For pages that are not embedded, and for tests that do not care. */
export const noEmbed: EmbedMessenger = {
  embedded: false,
  active: false,
  query: '',
  returnTo: null,
  post: () => undefined,
};
