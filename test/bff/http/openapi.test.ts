import { expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { fakeDeps } from '../../support/fake-deps';

test('the OpenAPI document is served, describes every public route, and carries the shared schemas', async () => {
  const app = createApp(await fakeDeps());
  const res = await app.request('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  const doc = (await res.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
  };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths).sort()).toEqual([
    '/api/v1/merchants/{merchantId}/checkout',
    '/api/v1/merchants/{merchantId}/links',
    '/api/v1/merchants/{merchantId}/lookup',
    '/api/v1/merchants/{merchantId}/payments/{reference}',
    '/healthz',
    '/payu/{merchantId}/confirmation',
    '/payu/{merchantId}/response',
    '/readyz',
  ]);
  const lookup = doc.paths['/api/v1/merchants/{merchantId}/lookup']?.post;
  expect(Object.keys(lookup?.responses ?? {})).toEqual(
    expect.arrayContaining(['200', '400', '404', '429', '502', '504']),
  );
  const itemProps = (
    lookup?.responses['200'] as {
      content: {
        'application/json': { schema: { properties: { items: { items: { properties: object } } } } };
      };
    }
  ).content['application/json'].schema.properties.items.items.properties;
  expect(Object.keys(itemProps)).toEqual(
    expect.arrayContaining(['ref', 'balance', 'minimum', 'blockedReason', 'payable']),
  );
});
