import { Hono, type Context } from 'hono';
import { CHARGE_STATUSES, readStrictDate } from '../../shared/charges/charge-fields';
import { normalizePayerId } from '../../shared/charges/charge-input';
import type { AppDeps } from '../app-deps';
import { createCharge, fullView, updateCharge, type ChargeFailure } from '../charges/charge-service';
import { chargeView } from '../charges/charge-view';
import { startOfDayIn } from '../charges/time-zone';
import { apiError } from '../http/api-error';
import { BODY_LIMITS, limitBody } from '../http/body-limit';
import type { MerchantEnv } from '../http/merchant';
import { merchantAuth } from '../http/merchant-auth';
import { requestLog } from '../observability/request-log';

/**
 * The merchant charge API of seeds 002 and 004 (docs/spec/merchant-charges.md), at the seeds' own paths so an
 * integration written for them only changes its base URL: /v1/merchant/transaction[/{external_reference}].
 */

type Env = MerchantEnv;

const PAGE = 50;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,255}$/;
const EXTERNAL_REFERENCE = /^[A-Za-z0-9_-]{8,64}$/;

function fail(c: Context, f: ChargeFailure) {
  if (f.fields) return apiError(c, f.status, f.code, 'Some fields are not valid.', {}, f.fields);
  return apiError(c, f.status, f.code, f.message);
}

/** JSON body, or null when it is not JSON (answered 400 by the caller). */
async function jsonBody(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await c.req.json() };
  } catch {
    return { ok: false };
  }
}

function unknownFields(body: unknown, known: readonly string[]): string[] {
  if (typeof body !== 'object' || body === null) return [];
  return Object.keys(body).filter((k) => !known.includes(k));
}

const KNOWN = [
  'status',
  'currency',
  'amount',
  'description',
  'reference_one',
  'reference_two',
  'reference_three',
  'reference_four',
  'reference_five',
  'reference_six',
  'reference_seven',
  'reference_eight',
  'channel',
  'user_notification',
  'expected_amount',
  'expected_date',
  'reminder_date',
  'limit_date',
  'merchant_id_number',
  'merchant_phone',
  'merchant_email',
  'return_url',
  'expiration',
  'attachment',
  'comments',
  'payer',
  'affiliate',
  'invoice',
  'late_fees',
  'advance_payment',
  'process_type',
  'return',
  'express',
  'external',
  'split',
];

function encodeCursor(createdAt: Date, externalReference: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), externalReference])).toString('base64url');
}

function decodeCursor(text: string): { createdAt: Date; externalReference: string } | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'string') return null;
    return { createdAt: new Date(v[0]), externalReference: v[1] };
  } catch {
    return null;
  }
}

export function merchantChargeRoutes(deps: AppDeps) {
  // The body limit first (it reads no more than its limit), then who is asking, then the body.
  const limit = limitBody(BODY_LIMITS.merchantApi);
  const auth = merchantAuth(deps);
  const logUnknown = (c: Context<Env>, body: unknown) => {
    const unknown = unknownFields(body, KNOWN);
    // Names only: a value could be personal data.
    if (unknown.length > 0)
      requestLog(c, deps.logger).info({ merchant: c.var.merchant.id, unknown }, 'charge fields ignored');
  };

  return new Hono<Env>()
    .post('/merchant/transaction', limit, auth, async (c) => {
      const key = c.req.header('Idempotency-Key') ?? null;
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
        return apiError(
          c,
          400,
          'invalid_request',
          'Idempotency-Key: 8–255 characters of A-Z a-z 0-9 _ . : -',
        );
      }
      const body = await jsonBody(c);
      if (!body.ok) return apiError(c, 400, 'invalid_request', 'The request body is not valid JSON.');
      logUnknown(c, body.value);
      const merchant = c.var.merchant;
      const outcome = await createCharge(deps, merchant, body.value, key);
      if (!outcome.ok) return fail(c, outcome);
      if (!outcome.replay) {
        requestLog(c, deps.logger).info(
          { merchant: merchant.id, external_reference: outcome.body.external_reference },
          'charge created',
        );
      }
      return c.json(outcome.body, 201);
    })
    .patch('/merchant/transaction/:external_reference', limit, auth, async (c) => {
      const ref = c.req.param('external_reference');
      if (!EXTERNAL_REFERENCE.test(ref)) return apiError(c, 404, 'not_found');
      const body = await jsonBody(c);
      if (!body.ok) return apiError(c, 400, 'invalid_request', 'The request body is not valid JSON.');
      logUnknown(c, body.value);
      const outcome = await updateCharge(deps, c.var.merchant, ref, body.value);
      if (!outcome.ok) return fail(c, outcome);
      requestLog(c, deps.logger).info(
        { merchant: c.var.merchant.id, external_reference: ref },
        'charge updated',
      );
      return c.json(outcome.body, 200);
    })
    .get('/merchant/transaction/:external_reference', auth, async (c) => {
      const ref = c.req.param('external_reference');
      const merchant = c.var.merchant;
      const charge = EXTERNAL_REFERENCE.test(ref) ? await deps.store.getCharge(merchant.id, ref) : null;
      if (!charge) return apiError(c, 404, 'not_found', 'There is no charge with this reference.');
      return c.json(await fullView(deps, merchant, charge), 200);
    })
    .get('/merchant/transaction', auth, async (c) => {
      const merchant = c.var.merchant;
      const q = c.req.query();
      const fields: { path: string; message: string }[] = [];
      const status = q.status?.trim().toLowerCase();
      if (status !== undefined && !(CHARGE_STATUSES as readonly string[]).includes(status)) {
        fields.push({ path: 'status', message: `one of ${CHARGE_STATUSES.join(', ')}` });
      }
      let payer: string | undefined;
      if (q.payer !== undefined) {
        const normal = normalizePayerId('CC', q.payer) ?? normalizePayerId('PASAPORTE', q.payer);
        if (normal === null) fields.push({ path: 'payer', message: 'an id number' });
        else payer = normal;
      }
      const bound = (name: 'from' | 'to') => {
        const text = q[name];
        if (text === undefined) return undefined;
        const d = readStrictDate(text);
        if (!d) {
          fields.push({ path: name, message: 'use YYYY/MM/DD' });
          return undefined;
        }
        // Days are the merchant's: `to` is inclusive, so the bound is the start of the next day.
        return startOfDayIn(merchant.timezone, d, name === 'to' ? 1 : 0);
      };
      const from = bound('from');
      const to = bound('to');
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (after === null) fields.push({ path: 'cursor', message: 'not a cursor of this list' });
      if (fields.length > 0) {
        return c.json(
          { error: { code: 'invalid_request', message: 'Some parameters are not valid.', fields } },
          422,
        );
      }
      const rows = await deps.store.listCharges(merchant.id, {
        ...(status ? { status: status as (typeof CHARGE_STATUSES)[number] } : {}),
        ...(payer ? { payerIdNumber: payer } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(after ? { after } : {}),
        limit: PAGE + 1,
      });
      const page = rows.slice(0, PAGE);
      const last = page[page.length - 1];
      return c.json(
        {
          items: page.map((charge) => chargeView(deps.config.publicUrl, charge)),
          next_cursor:
            rows.length > PAGE && last ? encodeCursor(last.createdAt, last.externalReference) : null,
        },
        200,
      );
    });
}
