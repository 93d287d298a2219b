import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import { expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { fakeDeps, fakeErp, testConfig } from '../../support/fake-deps';
import { schemaProblems } from '../../support/json-schema-check';
import type { paths } from '../../support/openapi-types';

/**
 * A client generated from the document (openapi-typescript types + openapi-fetch), as a merchant's tooling
 * would build it, against the real app: what the document says is what the server does. A path, a method,
 * a field or a status that differs between the two fails here, at compile time or at run time.
 */

const seed003 = JSON.parse(
  readFileSync(new URL('../../fixtures/seed-003.json', import.meta.url), 'utf8'),
) as unknown;
const TOKEN = testConfig().merchants[0]!.apiToken;

async function client() {
  const app = createApp(await fakeDeps({ erp: fakeErp({ '12345678': seed003 }).port }));
  const api = createClient<paths>({
    baseUrl: 'http://127.0.0.1:8787',
    fetch: (request: Request) => Promise.resolve(app.fetch(request)),
  });
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as Record<string, unknown>;
  /** The documented schema of one answer, checked against what the app sent. */
  const conforms = (path: string, method: string, status: number, body: unknown) => {
    const op = (doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[path]?.[
      method
    ];
    const res = op?.responses[String(status)] as
      { content: { 'application/json': { schema: Record<string, unknown> } } } | undefined;
    expect(res, `${method.toUpperCase()} ${path} ${status} is documented`).toBeDefined();
    return schemaProblems(body, res!.content['application/json'].schema, doc);
  };
  return { api, conforms };
}

test('the generated client creates a statement link (Bearer) and opens it with a lookup', async () => {
  const { api, conforms } = await client();
  const link = await api.POST('/api/v1/merchants/{merchantId}/links', {
    params: { path: { merchantId: 'acme' } },
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: { idNumber: '12.345.678', ref: '7654321', expiresInDays: 7 },
  });
  expect(link.response.status).toBe(201);
  expect(conforms('/api/v1/merchants/{merchantId}/links', 'post', 201, link.data)).toEqual([]);
  const token = new URL(link.data!.url).pathname.split('/').pop()!;
  expect(link.data!.url).toBe(`http://127.0.0.1:8787/acme/s/${token}`);

  const lookup = await api.POST('/api/v1/merchants/{merchantId}/lookup', {
    params: { path: { merchantId: 'acme' } },
    body: { token },
  });
  expect(lookup.response.status).toBe(200);
  expect(conforms('/api/v1/merchants/{merchantId}/lookup', 'post', 200, lookup.data)).toEqual([]);
  expect(lookup.data!.linkedRef).toBe('7654321');
  expect(lookup.data!.items.map((i) => i.ref)).toContain('7654321');
});

test('the other documented credential, x-auth-token, is accepted too; a wrong one is the documented 401', async () => {
  const { api, conforms } = await client();
  const ok = await api.POST('/api/v1/merchants/{merchantId}/links', {
    params: { path: { merchantId: 'acme' } },
    headers: { 'x-auth-token': TOKEN },
    body: { idNumber: '12345678' },
  });
  expect(ok.response.status).toBe(201);

  const refused = await api.POST('/api/v1/merchants/{merchantId}/links', {
    params: { path: { merchantId: 'acme' } },
    headers: { Authorization: 'Bearer not-the-token' },
    body: { idNumber: '12345678' },
  });
  expect(refused.response.status).toBe(401);
  expect(refused.error?.error.code).toBe('unauthorized');
  expect(conforms('/api/v1/merchants/{merchantId}/links', 'post', 401, refused.error)).toEqual([]);
});

test('errors come back typed and documented: a bad id number, an unknown merchant, the public chrome', async () => {
  const { api, conforms } = await client();
  const bad = await api.POST('/api/v1/merchants/{merchantId}/lookup', {
    params: { path: { merchantId: 'acme' } },
    body: { idNumber: '12' },
  });
  expect(bad.response.status).toBe(400);
  expect(bad.error?.error.code).toBe('invalid_id_number');
  expect(conforms('/api/v1/merchants/{merchantId}/lookup', 'post', 400, bad.error)).toEqual([]);

  const unknown = await api.GET('/api/v1/merchants/{merchantId}/public', {
    params: { path: { merchantId: 'nobody' } },
  });
  expect(unknown.response.status).toBe(404);
  expect(unknown.error?.error.code).toBe('unknown_merchant');

  const chrome = await api.GET('/api/v1/merchants/{merchantId}/public', {
    params: { path: { merchantId: 'acme' } },
  });
  expect(chrome.response.status).toBe(200);
  expect(chrome.data?.name).toBe('ACME S.A.S.');
  expect(conforms('/api/v1/merchants/{merchantId}/public', 'get', 200, chrome.data)).toEqual([]);
});
