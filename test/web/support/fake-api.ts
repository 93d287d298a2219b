import type { FetchLike } from '../../../web/lib/api-client';
import { demoMerchant } from './fixtures';

export interface RecordedCall {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

type Handler = (call: RecordedCall) => Response | Promise<Response>;

export interface FakeRoutes {
  public?: Handler;
  lookup?: Handler;
  /** GET of a charge link's one charge (`/charges/{linkId}`). */
  charge?: Handler;
  checkout?: Handler;
  payment?: Handler;
  /** POST …/allocate: the spread preview (docs/spec/business-payments.md §1). */
  allocate?: Handler;
  /** GET and POST of the payer's money-back link (`call.method` tells them apart). */
  returns?: Handler;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function apiError(status: number, code: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message: 'server text the SPA must never show' } }, status, headers);
}

const ROUTES: [keyof FakeRoutes, RegExp][] = [
  ['public', /^\/api\/v1\/merchants\/[^/]+\/public$/],
  ['lookup', /^\/api\/v1\/merchants\/[^/]+\/lookup$/],
  ['charge', /^\/api\/v1\/merchants\/[^/]+\/charges\/[^/]+$/],
  ['checkout', /^\/api\/v1\/merchants\/[^/]+\/checkout$/],
  ['payment', /^\/api\/v1\/merchants\/[^/]+\/payments\/[^/]+$/],
  ['allocate', /^\/api\/v1\/merchants\/[^/]+\/allocate$/],
  ['returns', /^\/api\/v1\/merchants\/[^/]+\/returns\/[^/]+$/],
];

/** A fake BFF behind the client's injectable fetch; it records every call it gets. */
export function fakeApi(routes: FakeRoutes = {}) {
  const calls: RecordedCall[] = [];
  const handlers: Required<FakeRoutes> = {
    public: () => json(demoMerchant),
    lookup: () => apiError(500, 'internal_error'),
    charge: () => apiError(404, 'not_found'),
    checkout: () => apiError(500, 'internal_error'),
    payment: () => apiError(404, 'not_found'),
    allocate: () => apiError(500, 'internal_error'),
    returns: () => apiError(400, 'invalid_token'),
    ...routes,
  };
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://portal.test');
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers: new Headers(init?.headers),
      body,
    };
    calls.push(call);
    const route = ROUTES.find(([, pattern]) => pattern.test(url.pathname));
    if (!route) return apiError(404, 'not_found');
    return handlers[route[0]](call);
  };
  const callsTo = (name: keyof FakeRoutes) =>
    calls.filter((c) => ROUTES.find(([n]) => n === name)?.[1].test(c.path));
  return { fetch, calls, callsTo };
}
