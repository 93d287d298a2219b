import { z } from 'zod';
import type { ErrorCode } from '../../../shared/api/schemas';
import { ERROR_MESSAGES } from '../api-error';

/**
 * One API operation as the OpenAPI document describes it, in the few words that vary between operations.
 * `toOpenApiOperation` turns it into OpenAPI 3.1 with what every operation must carry (Redocly's recommended
 * rules): operationId, summary, tag, security, every status with its error codes, examples.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call it. `merchant`: the merchant's apiToken as `Authorization: Bearer` or `x-auth-token`.
 * `public`: the payer's browser, no credential. `payu`: PayU's servers, authenticated by the signature in
 * the request itself (no credential in the OpenAPI sense).
 */
export type Access = 'public' | 'merchant' | 'payu';

/** A JSON Schema written by hand, for bodies that have no zod schema (plain text, redirects). */
export type JsonSchema = Record<string, unknown>;

export interface ApiBody {
  /** zod schemas are converted (request bodies as input, responses as output); JSON Schema is kept. */
  readonly schema: z.ZodType | JsonSchema;
  readonly example: unknown;
  /** Default application/json. */
  readonly contentType?: string;
}

export interface ApiResponse {
  readonly description: string;
  readonly body?: ApiBody;
  readonly headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface ApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
  readonly example?: unknown;
}

export interface ApiOperation {
  readonly method: HttpMethod;
  /** OpenAPI style (`/api/v1/merchants/{merchantId}/links`), the same path the Hono route has. */
  readonly path: string;
  /** Client generators name their methods after it: a verb and a noun, unique in the document. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly parameters?: readonly ApiParameter[];
  readonly request?: ApiBody;
  /** The success answers (2xx, or 3xx for redirects). */
  readonly responses: Readonly<Record<number, ApiResponse>>;
  /** Every error status the operation can answer with, and its `error.code`s. */
  readonly errors: Readonly<Partial<Record<number, readonly ErrorCode[]>>>;
}

function jsonSchema(schema: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema;
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  // The document declares its dialect once; a $schema inside a schema object is noise to OpenAPI tools.
  delete out.$schema;
  return out;
}

function content(body: ApiBody, io: 'input' | 'output') {
  return {
    [body.contentType ?? 'application/json']: {
      schema: jsonSchema(body.schema, io),
      example: body.example,
    },
  };
}

const ACCESS_SECURITY: Record<Access, Record<string, string[]>[]> = {
  merchant: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
  public: [],
  payu: [],
};

export function toOpenApiOperation(op: ApiOperation) {
  const responses: Record<string, unknown> = {};
  for (const [status, res] of Object.entries(op.responses)) {
    responses[status] = {
      description: res.description,
      ...(res.headers ? { headers: res.headers } : {}),
      ...(res.body ? { content: content(res.body, 'output') } : {}),
    };
  }
  for (const [status, codes] of Object.entries(op.errors)) {
    if (!codes || codes.length === 0) continue;
    const examples = Object.fromEntries(
      codes.map((code) => [
        code,
        { summary: code, value: { error: { code, message: ERROR_MESSAGES[code] } } },
      ]),
    );
    responses[status] = {
      description: `\`error.code\`: ${codes.map((c) => `\`${c}\``).join(', ')}`,
      ...(Number(status) === 429
        ? {
            headers: {
              'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } },
            },
          }
        : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, examples } },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    security: ACCESS_SECURITY[op.access],
    ...(op.parameters ? { parameters: op.parameters } : {}),
    ...(op.request ? { requestBody: { required: true, content: content(op.request, 'input') } } : {}),
    responses,
  };
}

/** The query parameters of a zod object schema (PayU's response page), each with its example value. */
export function queryParameters(
  schema: z.ZodObject,
  examples: Readonly<Record<string, string>>,
): ApiParameter[] {
  const json = jsonSchema(schema, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties).map(([name, s]) => ({
    name,
    in: 'query' as const,
    required: json.required?.includes(name) ?? false,
    schema: s,
    ...(name in examples ? { example: examples[name] } : {}),
  }));
}
