import { Hono } from 'hono';
import { errorBodySchema } from '../../shared/api/schemas';
import { businessOperations } from './openapi/business-operations';
import { chargeOperations } from './openapi/charge-operations';
import { merchantOperations } from './openapi/merchant-operations';
import { notificationOperations } from './openapi/notification-operations';
import { toOpenApiOperation, type ApiOperation } from './openapi/operation';
import { payerOperations } from './openapi/payer-operations';
import { payuOperations } from './openapi/payu-operations';
import { returnOperations } from './openapi/return-operations';
import { REFERENCE_CSS, renderReferencePage } from './openapi/reference-page';
import { z } from 'zod';

/**
 * The OpenAPI 3.1 document of the portal's API (`GET /api/v1/openapi.json`, the page at `/api/docs`),
 * built from the same zod schemas the routes validate with.
 *
 * Adding an endpoint:
 * 1. describe it as an `ApiOperation` in its feature's file under `openapi/` (a new file for a new feature,
 *    e.g. `openapi/charge-operations.ts`) and add that list to OPERATIONS below;
 * 2. `npm run openapi` rewrites docs/api/openapi.json and the typed client's types;
 * 3. `npm run lint:openapi` (part of `npm run check`) must stay at 0 errors and 0 warnings.
 * test/bff/http/openapi.test.ts fails while a route of the app is neither here nor in NOT_IN_API_DOCUMENT.
 */
export const OPERATIONS: readonly ApiOperation[] = [
  ...payerOperations,
  ...businessOperations,
  ...merchantOperations,
  ...notificationOperations,
  ...chargeOperations,
  ...payuOperations,
  ...returnOperations,
];

export const TAGS = [
  {
    name: 'Payer',
    description: "What the payer's browser calls: no credential, limited per IP and id number.",
  },
  {
    name: 'Merchant',
    description: "The merchant's own systems, with the merchant's apiToken (Bearer or `x-auth-token`).",
  },
  {
    name: 'PayU callbacks',
    description:
      'Called by PayU, never by merchants: authenticated by the PayU signature each request carries.',
  },
] as const;

/**
 * Routes of the app that are not part of the API document, each with the reason. Anything else the app
 * serves must be an operation above (the contract test walks the app's routes).
 */
export const NOT_IN_API_DOCUMENT: Readonly<Record<string, string>> = {
  'GET /api/v1/openapi.json': 'this document',
  'GET /api/docs': 'its reference page',
  'GET /api/docs/reference.css': "the reference page's stylesheet",
  'GET /healthz': 'operations (README "Operations"): liveness',
  'GET /readyz': 'operations: readiness',
  'GET /metrics': 'operations: Prometheus, for the scraper only',
  'GET /embed.js': 'the embedding script for merchant pages (README "Embedding")',
  'GET /whatsapp/{merchantId}/webhook':
    'Meta\'s WhatsApp webhook verification handshake (docs/spec/notifications.md "WhatsApp")',
  'POST /whatsapp/{merchantId}/webhook':
    "Meta's WhatsApp delivery statuses, verified by X-Hub-Signature-256 (docs/spec/notifications.md)",
  'GET /*': "the SPA's pages and static files (/{merchantId}, statement links, the result page)",
  'GET /{merchantId}/receipts/{token}':
    'the printable receipt, an HTML page for people (docs/spec/business-payments.md §3)',
  'GET /{merchantId}/receipts/{token}/receipt.pdf': 'the receipt as a PDF (A4 or Letter), for people',
  'GET /{merchantId}/receipts/{token}/verify': "the verification page the receipt's QR code opens",
  'GET /receipt.css': "the receipt pages' stylesheet",
};

export function openApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] = { ...paths[op.path], [op.method]: toOpenApiOperation(op) };
  }
  const error = z.toJSONSchema(errorBodySchema, { io: 'output' }) as Record<string, unknown>;
  delete error.$schema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Saldo payment portal API',
      version: '1.0.0',
      description:
        "Pending charges read from the merchant's Recauda ERP, priced for today, paid through PayU WebCheckout; " +
        "statement links for merchants. JSON; amounts are decimal strings with exactly the currency's precision " +
        '(COP `"25000"`, USD `"25.50"`); errors are `{ "error": { "code", "message" } }` with a stable code.',
      license: { name: 'Proprietary', url: `${publicUrl}/api/docs` },
    },
    servers: [{ url: publicUrl }],
    tags: TAGS,
    components: {
      schemas: { Error: error },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            "`Authorization: Bearer <apiToken>`, the merchant's apiToken from the portal's config.",
        },
        apiKeyAuth: {
          type: 'apiKey',
          in: 'header',
          name: 'x-auth-token',
          description: 'The same apiToken in an `x-auth-token` header, for tools that cannot send Bearer.',
        },
      },
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

/** The document and its reference page; a page with no script at all, so the CSP stays as strict as anywhere. */
export function openApiRoutes(publicUrl: string) {
  // Built on the first request, not at start-up: zod was ~130 ms of the start-up profile.
  let built: { document: OpenApiDocument; page: string } | null = null;
  const docs = () => {
    if (!built) {
      const document = openApiDocument(publicUrl);
      built = { document, page: renderReferencePage(document) };
    }
    return built;
  };
  return new Hono()
    .get('/api/v1/openapi.json', (c) => c.json(docs().document, 200))
    .get('/api/docs', (c) => c.html(docs().page, 200))
    .get('/api/docs/reference.css', (c) =>
      c.body(REFERENCE_CSS, 200, {
        'Content-Type': 'text/css; charset=utf-8',
        'Cache-Control': 'public, max-age=3600',
      }),
    );
}
