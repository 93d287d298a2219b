import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { demoConfig } from '../../../bff/config/demo-config';
import { NOT_IN_API_DOCUMENT, OPERATIONS, openApiDocument } from '../../../bff/http/openapi';
import { DEMO_API_TOKEN, DEMO_URL } from '../../../bff/http/openapi/examples';
import { createPayerKeys } from '../../../bff/notifications/payer-key';
import { DOCUMENT_FILE, TYPES_FILE, renderOpenApiFiles } from '../../../scripts/openapi';
import { fakeDeps, fakeErp } from '../../support/fake-deps';
import { schemaProblems } from '../../support/json-schema-check';

/**
 * The OpenAPI document against the app itself: its paths against the routes the app really registers, and
 * every documented example sent to the app, whose answer must be one the document lists, in its shape.
 */

const seed003 = JSON.parse(
  readFileSync(new URL('../../fixtures/seed-003.json', import.meta.url), 'utf8'),
) as unknown;
const staticDir = mkdtempSync(join(tmpdir(), 'saldo-openapi-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

/** The demo merchant (what the examples name), the seed 003 payer, the SPA built. */
async function demoApp() {
  const deps = await fakeDeps({
    config: demoConfig({ publicUrl: DEMO_URL }),
    erp: fakeErp({ '12345678': seed003 }).port,
  });
  // Statements are queued (202) but not sent: the job is not running here.
  const notifications = {
    payerKeys: createPayerKeys(deps.config.linkSecret),
    available: () => true,
    kick: () => undefined,
  };
  return createApp({ ...deps, staticDir, notifications });
}

type Doc = ReturnType<typeof openApiDocument>;
interface DocOperation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, { example: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

test("every route the app registers is in the document (or named as not part of it), and every documented path is one of the app's routes", async () => {
  const app = await demoApp();
  // Middleware (`use`) registers method ALL; routes have their verb. Hono's `:param` is OpenAPI's `{param}`.
  const routes = new Set(
    app.routes
      .filter((r) => METHODS.has(r.method))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
  );
  const documented = new Set(OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`));
  const excluded = new Set(Object.keys(NOT_IN_API_DOCUMENT));

  expect(
    [...routes].filter((r) => !documented.has(r) && !excluded.has(r)).sort(),
    'routes missing from the document',
  ).toEqual([]);
  expect(
    [...documented].filter((d) => !routes.has(d)).sort(),
    'documented operations the app does not serve',
  ).toEqual([]);
  expect([...excluded].filter((e) => !routes.has(e)).sort(), 'exclusions that are no route').toEqual([]);
  expect([...documented].filter((d) => excluded.has(d))).toEqual([]);
  // GET …/public was once missing: the walk found it.
  expect(documented).toContain('GET /api/v1/merchants/{merchantId}/public');
});

test('operationIds are unique, every operation declares its security, merchant ones accept both schemes', () => {
  const doc = openApiDocument(DEMO_URL);
  const ops = Object.values(doc.paths).flatMap((m) => Object.values(m)) as DocOperation[];
  const ids = ops.map((o) => o.operationId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const op of OPERATIONS) {
    const documented = (doc.paths[op.path] as Record<string, DocOperation>)[op.method]!;
    expect(documented.security, op.operationId).toEqual(
      op.access === 'merchant' ? [{ bearerAuth: [] }, { apiKeyAuth: [] }] : [],
    );
  }
  expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKeyAuth', 'bearerAuth']);
});

test('every documented example, sent to the app, gets an answer the document lists, in the documented shape', async () => {
  const app = await demoApp();
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as Doc;
  const seen: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as DocOperation;
      let url = path;
      const query = new URLSearchParams();
      const headers = new Headers();
      for (const p of op.parameters ?? []) {
        if (p.example === undefined) continue;
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
        if (p.in === 'query') query.set(p.name, String(p.example));
        if (p.in === 'header') headers.set(p.name, String(p.example));
      }
      if (op.security.length > 0) headers.set('Authorization', `Bearer ${DEMO_API_TOKEN}`);
      let body: string | undefined;
      const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      if (contentType && media) {
        headers.set('content-type', contentType);
        body =
          contentType === 'application/json'
            ? JSON.stringify(media.example)
            : new URLSearchParams(media.example as Record<string, string>).toString();
      }
      const res = await app.request(`${url}${query.size ? `?${query}` : ''}`, {
        method: method.toUpperCase(),
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const status = String(res.status);
      seen.push(`${op.operationId} ${status}`);
      expect(Object.keys(op.responses), `${op.operationId} answered ${status}`).toContain(status);
      const schema = op.responses[status]?.content?.['application/json']?.schema;
      if (schema) expect(schemaProblems(await res.json(), schema, doc), op.operationId).toEqual([]);
    }
  }
  // The examples are a working set: the demo answers them with success, except those that name a payment,
  // a return, a charge or a sealed link this fresh app has never seen (each answer is one the document lists).
  expect(seen.sort()).toEqual([
    'approveReturn 404',
    'cancelCheckout 404',
    'cancelReturn 404',
    'chargeQrCode 404',
    'createCharge 201',
    'createCheckout 201',
    'createReturn 404',
    'createStatementLink 201',
    'getCharge 404',
    'getMerchantPublic 200',
    'getPayerReturn 400',
    'getPayment 404',
    'getReturn 404',
    'giveBankDetails 400',
    'listCharges 200',
    'listNotifications 200',
    'listReturns 200',
    'lookupPayer 200',
    'openChargeLink 404',
    'previewAllocation 200',
    'receivePayuConfirmation 404',
    'receivePayuPayoutNotice 404',
    'receivePayuResponsePage 303',
    'rejectReturn 404',
    'resumeCheckout 404',
    'retryReturn 404',
    'sendStatement 202',
    'updateCharge 404',
  ]);
});

test('the served document is the one in the repo (docs/api/openapi.json) and its generated client types are current', async () => {
  const app = await demoApp();
  const served = await (await app.request('/api/v1/openapi.json')).json();
  expect(served).toEqual(JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')));
  const { document, types } = await renderOpenApiFiles();
  expect(readFileSync(DOCUMENT_FILE, 'utf8'), 'run npm run openapi').toBe(document);
  expect(readFileSync(TYPES_FILE, 'utf8'), 'run npm run openapi').toBe(types);
});

test('the reference page at /api/docs: every operation, no script at all, the CSP unchanged, its stylesheet same-origin', async () => {
  const app = await demoApp();
  const res = await app.request('/api/docs');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  const html = await res.text();
  for (const op of OPERATIONS) expect(html).toContain(`id="${op.operationId}"`);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\sstyle=/i);
  // Nothing loaded from elsewhere: every src and href is a path on this portal or an anchor.
  expect(html).not.toMatch(/(?:src|href)="(?!\/|#)/);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  const css = await app.request('/api/docs/reference.css');
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toContain('text/css');
  // What a payer or merchant typed never reaches the page: it is the document, escaped.
  expect(html).toContain('&lt;apiToken&gt;');
});
