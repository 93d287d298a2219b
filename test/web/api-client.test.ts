import { describe, expect, test } from 'vitest';
import { ApiError, createApiClient } from '../../web/lib/api-client';
import { apiError, fakeApi, json } from './support/fake-api';
import { lookupResponse, payment } from './support/fixtures';

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('api client', () => {
  test('lookup posts JSON to the merchant path and returns the validated response', async () => {
    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const client = createApiClient({ fetch: api.fetch });
    const data = await client.lookup('demo', { idNumber: '12345678' });
    expect(data.items).toHaveLength(7);
    const [call] = api.callsTo('lookup');
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/api/v1/merchants/demo/lookup');
    expect(call?.headers.get('Content-Type')).toBe('application/json');
    expect(call?.body).toEqual({ idNumber: '12345678' });
  });

  test('checkout sends the Idempotency-Key header', async () => {
    const api = fakeApi({
      checkout: () =>
        json({ reference: 'R1', action: 'https://pay.example/', method: 'POST', fields: {} }, 201),
    });
    const client = createApiClient({ fetch: api.fetch });
    const body = {
      idNumber: '12345678',
      items: [{ ref: '1234567', amount: '25000' }],
      buyer: { email: 'a@b.co', fullName: 'Ana Gómez', phone: '3001234567' },
    };
    await client.checkout('demo', body, 'key-1234567890');
    const [call] = api.callsTo('checkout');
    expect(call?.headers.get('Idempotency-Key')).toBe('key-1234567890');
    expect(call?.body).toEqual(body);
  });

  test("the checkout's view token is kept for the tab and sent when that payment is asked for", async () => {
    sessionStorage.clear();
    const api = fakeApi({
      checkout: () =>
        json(
          {
            reference: 'R-9',
            action: 'https://pay.example/',
            method: 'POST',
            fields: {},
            viewToken: 'v'.repeat(43),
          },
          201,
        ),
      payment: () => json(payment()),
    });
    const body = {
      idNumber: '12345678',
      items: [{ ref: '1234567', amount: '25000' }],
      buyer: { email: 'a@b.co', fullName: 'Ana Gómez', phone: '3001234567' },
    };
    await createApiClient({ fetch: api.fetch }).checkout('demo', body, 'key-1');
    // A new client, as after the trip to PayU and back: the token comes from sessionStorage.
    const client = createApiClient({ fetch: api.fetch });
    await client.payment('demo', 'R-9');
    await client.payment('demo', 'R-other');
    const [own, other] = api.callsTo('payment');
    expect(own?.headers.get('X-Payment-View-Token')).toBe('v'.repeat(43));
    expect(other?.headers.get('X-Payment-View-Token')).toBeNull();
  });

  test('payment references are path-encoded', async () => {
    const api = fakeApi({ payment: () => json(payment()) });
    await createApiClient({ fetch: api.fetch }).payment('demo', 'a/b c');
    expect(api.callsTo('payment')[0]?.path).toBe('/api/v1/merchants/demo/payments/a%2Fb%20c');
  });

  test.each([
    [400, 'invalid_id_number'],
    [404, 'unknown_merchant'],
    [502, 'erp_unavailable'],
    [502, 'erp_bad_response'],
    [504, 'erp_timeout'],
    [422, 'amount_out_of_range'],
    [409, 'payment_pending'],
  ])('a %i with code %s becomes an ApiError with that code', async (status, code) => {
    const api = fakeApi({ lookup: () => apiError(status, code) });
    const error = await failure(
      createApiClient({ fetch: api.fetch }).lookup('demo', { idNumber: '12345678' }),
    );
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('server text');
  });

  test('429 carries Retry-After in seconds', async () => {
    const api = fakeApi({ lookup: () => apiError(429, 'rate_limited', { 'Retry-After': '42' }) });
    const error = await failure(
      createApiClient({ fetch: api.fetch }).lookup('demo', { idNumber: '12345678' }),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(42);
  });

  test('an answer without our error shape still gets a code from its status', async () => {
    const api = fakeApi({ lookup: () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    const error = await failure(
      createApiClient({ fetch: api.fetch }).lookup('demo', { idNumber: '12345678' }),
    );
    expect(error.code).toBe('erp_unavailable');
    const unknown = fakeApi({ lookup: () => json({ error: { code: 'made_up', message: 'x' } }, 504) });
    expect(
      (await failure(createApiClient({ fetch: unknown.fetch }).lookup('demo', { idNumber: '1' }))).code,
    ).toBe('erp_timeout');
  });

  test('a failed fetch is a network_error', async () => {
    const client = createApiClient({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const error = await failure(client.lookup('demo', { idNumber: '12345678' }));
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });

  test('a 200 that breaks the contract is an invalid_response', async () => {
    const api = fakeApi({ lookup: () => json({ items: 'nope' }) });
    const error = await failure(
      createApiClient({ fetch: api.fetch }).lookup('demo', { idNumber: '12345678' }),
    );
    expect(error.code).toBe('invalid_response');
  });

  test('the merchant page data is read leniently and typed', async () => {
    const api = fakeApi({ public: () => json({ id: 'acme', name: 'ACME', locale: 'en-US', branding: {} }) });
    expect(await createApiClient({ fetch: api.fetch }).merchant('acme')).toEqual({
      id: 'acme',
      name: 'ACME',
      locale: 'en-US',
      returnUrl: null,
      branding: { logoUrl: null, color: null },
      embed: false,
      support: { email: null, phone: null, url: null },
      termsUrl: null,
      privacyUrl: null,
    });
  });

  test('remainder_below_minimum carries the item and the largest partial amount', async () => {
    const api = fakeApi({
      checkout: () =>
        json(
          { error: { code: 'remainder_below_minimum', message: 'x', ref: '1234567', maxAmount: '10000' } },
          422,
        ),
    });
    const error = await createApiClient({ fetch: api.fetch })
      .checkout(
        'demo',
        { idNumber: '12345678', items: [], buyer: { email: 'a@b.co', fullName: 'Ana', phone: '3001234567' } },
        'key-12345678',
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 422,
      code: 'remainder_below_minimum',
      details: { ref: '1234567', maxAmount: '10000' },
    });
  });

  test('an aborted request rejects with the abort, not an ApiError', async () => {
    const controller = new AbortController();
    const client = createApiClient({
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    });
    const pending = client.lookup('demo', { idNumber: '12345678' }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('a prefetched lookup is taken by the next lookup with the same merchant and body, once', async () => {
    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const client = createApiClient({ fetch: api.fetch });
    client.prefetchLookup('demo', { token: 'T1' });
    expect(api.callsTo('lookup')).toHaveLength(1);
    expect((await client.lookup('demo', { token: 'T1' })).items).toHaveLength(7);
    expect(api.callsTo('lookup')).toHaveLength(1);
    // Taken once: a retry asks again.
    await client.lookup('demo', { token: 'T1' });
    expect(api.callsTo('lookup')).toHaveLength(2);
  });

  test('a prefetch is not used for another body, and is not made once the page has looked up', async () => {
    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const client = createApiClient({ fetch: api.fetch });
    client.prefetchLookup('demo', { token: 'T1' });
    await client.lookup('demo', { token: 'T2' });
    expect(api.callsTo('lookup').map((c) => c.body)).toEqual([{ token: 'T1' }, { token: 'T2' }]);
    client.prefetchLookup('demo', { token: 'T3' });
    expect(api.callsTo('lookup')).toHaveLength(2);
  });

  test('a prefetched failure reaches whoever takes it; an abort gives it up', async () => {
    const failing = fakeApi({ lookup: () => apiError(400, 'invalid_token') });
    const client = createApiClient({ fetch: failing.fetch });
    client.prefetchLookup('demo', { token: 'T1' });
    expect((await failure(client.lookup('demo', { token: 'T1' }))).code).toBe('invalid_token');

    const api = fakeApi({ lookup: () => json(lookupResponse()) });
    const other = createApiClient({ fetch: api.fetch });
    other.prefetchLookup('demo', { token: 'T1' });
    const controller = new AbortController();
    const pending = other.lookup('demo', { token: 'T1' }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
