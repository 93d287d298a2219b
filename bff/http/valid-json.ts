import type { Context } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/api/schemas';
import { apiError, type FieldError } from './api-error';

export interface ValidJsonOptions {
  /**
   * 400 (default) or 422 (the merchant API's rule: docs/spec/merchant-charges.md), or a choice by the
   * refused fields.
   */
  readonly status?: 400 | 422 | ((fields: readonly FieldError[]) => 400 | 422);
  /**
   * A route-specific reading of the issues, e.g. "a body without a usable idNumber is a malformed id
   * number"; undefined keeps the default `invalid_request` listing the fields.
   */
  readonly refine?: (fields: readonly FieldError[]) => { status: 400 | 422; code: ErrorCode } | undefined;
}

/** `items.0.amount` style: the JSON path of the issue. */
function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

/**
 * The one JSON body validator of the API: the body parsed with `schema`, or `{ error: { code, message,
 * fields: [{ path, message }] } }` naming every bad field (the first 20). `c.req.valid('json')` is then the
 * schema's output type. A body that is not JSON at all is Hono's 400, mapped by app.onError.
 */
export function validJson<S extends z.ZodType>(schema: S, options: ValidJsonOptions = {}) {
  return validator('json', (value, c: Context) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<S>;
    const fields = fieldErrors(parsed.error.issues);
    const refined = options.refine?.(fields);
    if (refined) return apiError(c, refined.status, refined.code);
    const names = [...new Set(fields.map((f) => f.path))].slice(0, 5);
    const status = typeof options.status === 'function' ? options.status(fields) : (options.status ?? 400);
    return apiError(c, status, 'invalid_request', `Invalid field(s): ${names.join(', ')}`, {}, fields);
  });
}

/**
 * One entry per bad field, as JSON paths rather than zod's structure; of a union of object shapes
 * (idNumber | token) only the branch the body came closest to is reported.
 */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const out: FieldError[] = [];
  const visit = (list: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]) => {
    for (const issue of list) {
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        // The branch the body came closest to (fewest issues) says what the caller meant.
        const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
        visit(closest, [...prefix, ...issue.path]);
        continue;
      }
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          out.push({ path: [...prefix, ...issue.path, key].map(String).join('.'), message: 'unknown field' });
        }
        continue;
      }
      out.push({
        path: [...prefix.map(String), pathOf(issue)].filter(Boolean).join('.'),
        message: issue.message,
      });
    }
  };
  visit(issues, []);
  const seen = new Set<string>();
  return out
    .filter((f) => !seen.has(`${f.path}\0${f.message}`) && seen.add(`${f.path}\0${f.message}`))
    .slice(0, 20);
}
