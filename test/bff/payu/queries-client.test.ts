import { describe, expect, test } from 'vitest';
import { orderStatus, payuQueriesUrl, queryOrderByReference } from '../../../bff/payu/queries-client';

type Tx = { id: string; state: string; operationDate?: number };

function payload(orders: { id: number; status?: string; transactions: Tx[] }[] | null) {
  return {
    code: 'SUCCESS',
    error: null,
    result: {
      payload:
        orders?.map((o) => ({
          id: o.id,
          accountId: 512321,
          status: o.status ?? 'IN_PROGRESS',
          referenceCode: 'SLD-ref',
          transactions: o.transactions.map((t) => ({
            id: t.id,
            type: 'AUTHORIZATION_AND_CAPTURE',
            transactionResponse: {
              state: t.state,
              operationDate: t.operationDate ?? null,
              responseCode: 'X',
            },
          })),
        })) ?? null,
    },
  };
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return answer();
  }) as typeof fetch;
  return { fetchImpl, calls };
}

function run(fetchImpl: typeof fetch, extra: { timeoutMs?: number; mode?: 'production' | 'sandbox' } = {}) {
  return queryOrderByReference({
    mode: extra.mode ?? 'sandbox',
    apiLogin: 'pRRXKOl8ikMmt9u',
    apiKey: '4Vj8eK4rloUd272L48hsrarnUA',
    reference: 'SLD-ref',
    fetch: fetchImpl,
    timeoutMs: extra.timeoutMs ?? 1_000,
  });
}

test('posts the documented body to the URL of the mode, asking for JSON', async () => {
  const { fetchImpl, calls } = fakeFetch(() => Response.json(payload(null)));
  await run(fetchImpl);
  expect(calls[0]?.url).toBe('https://sandbox.api.payulatam.com/reports-api/4.0/service.cgi');
  expect(calls[0]?.init?.method).toBe('POST');
  const headers = new Headers(calls[0]?.init?.headers);
  expect(headers.get('accept')).toBe('application/json');
  expect(headers.get('content-type')).toContain('application/json');
  expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({
    test: false,
    language: 'en',
    command: 'ORDER_DETAIL_BY_REFERENCE_CODE',
    merchant: { apiLogin: 'pRRXKOl8ikMmt9u', apiKey: '4Vj8eK4rloUd272L48hsrarnUA' },
    details: { referenceCode: 'SLD-ref' },
  });
  await run(fetchImpl, { mode: 'production' });
  expect(calls[1]?.url).toBe('https://api.payulatam.com/reports-api/4.0/service.cgi');
});

test('simulator mode needs its URL', () => {
  expect(payuQueriesUrl('simulator', 'http://127.0.0.1:1/x')).toBe('http://127.0.0.1:1/x');
  expect(() => payuQueriesUrl('simulator')).toThrow();
});

describe('status of a reference', () => {
  test.each([
    ['no payload', null, 'not_found'],
    ['an empty payload', [], 'not_found'],
    ['an approved transaction', [{ id: 1, transactions: [{ id: 'a', state: 'APPROVED' }] }], 'approved'],
    [
      'a decline followed by an approval',
      [
        {
          id: 1,
          transactions: [
            { id: 'a', state: 'DECLINED' },
            { id: 'b', state: 'APPROVED' },
          ],
        },
      ],
      'approved',
    ],
    [
      'approval in another order of the same reference',
      [
        { id: 1, transactions: [{ id: 'a', state: 'DECLINED' }] },
        { id: 2, transactions: [{ id: 'b', state: 'APPROVED' }] },
      ],
      'approved',
    ],
    ['a pending transaction', [{ id: 1, transactions: [{ id: 'a', state: 'PENDING' }] }], 'pending'],
    ['a submitted transaction', [{ id: 1, transactions: [{ id: 'a', state: 'SUBMITTED' }] }], 'pending'],
    ['an order without transactions', [{ id: 1, status: 'NEW', transactions: [] }], 'pending'],
    ['a declined transaction', [{ id: 1, transactions: [{ id: 'a', state: 'DECLINED' }] }], 'declined'],
    ['an expired transaction', [{ id: 1, transactions: [{ id: 'a', state: 'EXPIRED' }] }], 'expired'],
    ['an error', [{ id: 1, transactions: [{ id: 'a', state: 'ERROR' }] }], 'error'],
    [
      'the latest final transaction by date',
      [
        {
          id: 1,
          transactions: [
            { id: 'a', state: 'EXPIRED', operationDate: 2000 },
            { id: 'b', state: 'DECLINED', operationDate: 1000 },
          ],
        },
      ],
      'expired',
    ],
  ] as const)('%s → %s', async (_name, orders, expected) => {
    const { fetchImpl } = fakeFetch(() =>
      Response.json(payload(orders as unknown as { id: number; transactions: Tx[] }[] | null)),
    );
    await expect(run(fetchImpl)).resolves.toMatchObject({ ok: true, status: expected });
  });

  test('names the order and the deciding transaction', async () => {
    const { fetchImpl } = fakeFetch(() =>
      Response.json(payload([{ id: 844, transactions: [{ id: 'tx-1', state: 'APPROVED' }] }])),
    );
    await expect(run(fetchImpl)).resolves.toEqual({
      ok: true,
      status: 'approved',
      orderId: '844',
      transactionId: 'tx-1',
    });
  });

  test('an unknown transaction state is an invalid response, not a guess', async () => {
    const { fetchImpl } = fakeFetch(() =>
      Response.json(payload([{ id: 1, transactions: [{ id: 'a', state: 'MYSTERY' }] }])),
    );
    await expect(run(fetchImpl)).resolves.toMatchObject({ ok: false, error: 'invalid_response' });
  });

  test('orderStatus alone: an empty list is not found', () => {
    expect(orderStatus([])).toEqual({ ok: true, status: 'not_found', orderId: null, transactionId: null });
  });
});

describe('failures are values', () => {
  test('PayU error code', async () => {
    const { fetchImpl } = fakeFetch(() =>
      Response.json({ code: 'ERROR', error: 'Invalid credentials', result: null }),
    );
    await expect(run(fetchImpl)).resolves.toEqual({
      ok: false,
      error: 'api_error',
      message: 'Invalid credentials',
    });
  });

  test('HTTP status other than 200', async () => {
    const { fetchImpl } = fakeFetch(() => new Response('oops', { status: 502 }));
    await expect(run(fetchImpl)).resolves.toMatchObject({ ok: false, error: 'http_status', httpStatus: 502 });
  });

  test('XML or other non-JSON body', async () => {
    const { fetchImpl } = fakeFetch(() => new Response('<reportingResponse/>', { status: 200 }));
    await expect(run(fetchImpl)).resolves.toMatchObject({ ok: false, error: 'invalid_response' });
  });

  test('JSON of the wrong shape', async () => {
    const { fetchImpl } = fakeFetch(() => Response.json({ code: 'SUCCESS', result: { payload: 'nope' } }));
    await expect(run(fetchImpl)).resolves.toMatchObject({ ok: false, error: 'invalid_response' });
  });

  test('network error', async () => {
    const { fetchImpl } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(run(fetchImpl)).resolves.toEqual({ ok: false, error: 'network', message: 'fetch failed' });
  });

  test('timeout', async () => {
    const fetchImpl = ((_url: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as unknown as typeof fetch;
    await expect(run(fetchImpl, { timeoutMs: 20 })).resolves.toMatchObject({ ok: false, error: 'timeout' });
  });
});
