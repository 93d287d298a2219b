import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { anyCodePoint } from '../../support/arbitraries';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { confirmationStatus, parseConfirmation } from '../../../bff/payu/confirmation';
import { signConfirmation } from '../../../bff/payu/signature';
import { fakeDeps, fakeErp, TEST_PAYU, type FakeDeps } from '../../support/fake-deps';

/**
 * PayU's confirmation URL is public and unauthenticated but for the signature: anyone can POST anything to
 * it. Whatever arrives that is not a genuine, matching notification must be answered 400, 401, 404 or 422 —
 * never 500, never 200 — and must change nothing: no state, no outbox row, no dispatcher wake-up.
 */

const ID = '52123456';
const FIELD_NAMES = [
  'merchant_id',
  'reference_sale',
  'value',
  'currency',
  'state_pol',
  'sign',
  'transaction_id',
  'reference_pol',
  'response_code_pol',
  'response_message_pol',
  'payment_method_type',
  'email_buyer',
  'description',
  'test',
  'extra1',
  '__proto__',
  'constructor',
  'toString',
  '',
];

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: anyCodePoint, maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '~',
    '4',
    '20000.00',
    '20000',
    'COP',
    'USD',
    TEST_PAYU.merchantId,
    'a'.repeat(64),
    '0'.repeat(300),
    '../../etc/passwd',
    '<script>',
    '%00',
    '\u0000',
    '\r\n',
    'null',
    '[]',
    '{}',
  ),
);

describe('parseConfirmation', () => {
  test('never throws, and what it accepts satisfies the schema', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()),
          fc.oneof(anyText, fc.anything()),
          {
            maxKeys: 25,
          },
        ),
        (form) => {
          const result = parseConfirmation(form);
          if (!result.ok) {
            expect(result.issues.length).toBeGreaterThan(0);
            return;
          }
          const v = result.value;
          expect(v.transactionId).toMatch(/^[A-Za-z0-9-]{1,64}$/);
          expect(v.value).toMatch(/^\d{1,15}(?:\.\d{1,2})?$/);
          expect(v.referenceSale).not.toMatch(/[~\p{Cc}]/u);
          expect(v.status).toBe(confirmationStatus(v.statePol, v.responseMessagePol));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('POST /payu/:merchantId/confirmation with hostile bodies', () => {
  let deps: FakeDeps;
  let app: ReturnType<typeof createApp>;
  let reference: string;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    deps = await fakeDeps({
      erp: fakeErp({
        [ID]: {
          payments: [
            {
              recauda_information: {
                description: 'Cuota marzo',
                amount: 20000,
                currency_type: 'COP',
                id_number: ID,
                ref_payment: 'ADM-03',
              },
            },
          ],
        },
      }).port,
    });
    app = createApp(deps);
    const res = await app.request('/api/v1/merchants/acme/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        idNumber: ID,
        items: [{ ref: 'ADM-03', amount: '20000' }],
        buyer: { email: 'a@b.co', fullName: 'Ana Pérez', phone: '3001234567' },
      }),
    });
    expect(res.status).toBe(201);
    reference = ((await res.json()) as { reference: string }).reference;
  });
  afterAll(async () => {
    await deps.store.close();
  });

  /** A confirmation signed with the merchant's real key, for a value/currency/state the caller picks. */
  function signed(fields: { reference: string; value: string; currency: string; statePol: string }) {
    return {
      merchant_id: TEST_PAYU.merchantId,
      reference_sale: fields.reference,
      value: fields.value,
      currency: fields.currency,
      state_pol: fields.statePol,
      sign: signConfirmation({
        apiKey: TEST_PAYU.apiKey,
        merchantId: TEST_PAYU.merchantId,
        referenceSale: fields.reference,
        value: fields.value,
        currency: fields.currency,
        statePol: fields.statePol,
        algorithm: 'SHA256',
      }),
      transaction_id: randomUUID(),
      reference_pol: '845612378',
      response_message_pol: 'APPROVED',
    };
  }

  // Genuinely signed notifications that must still be refused: another amount (a captured cheaper payment
  // replayed), another currency, a state PayU never confirms, a reference the portal never created.
  const signedButWrong = fc.oneof(
    fc
      .oneof(
        fc.constantFrom('19999.00', '20000.01', '2000.00', '200000', '0.00', '1'),
        fc.stringMatching(/^\d{1,15}(\.\d{1,2})?$/),
      )
      .filter((v) => Number(v) !== 20000)
      .map((value) => ({ kind: 'value', value, currency: 'COP', statePol: '4' })),
    fc
      .constantFrom('USD', 'EUR', 'MXN', 'cop')
      .map((currency) => ({ kind: 'currency', value: '20000.00', currency, statePol: '4' })),
    fc
      .oneof(fc.constantFrom('7', '14', '0', '1', '99', '9999'), fc.stringMatching(/^\d{1,4}$/))
      .filter((s) => !['4', '5', '6', '104'].includes(s))
      .map((statePol) => ({ kind: 'state', value: '20000.00', currency: 'COP', statePol })),
    fc
      .stringMatching(/^[A-Za-z0-9_-]{1,40}$/)
      .map((ref) => ({ kind: 'reference', ref, value: '20000.00', currency: 'COP', statePol: '4' })),
  );

  type Mutation =
    | { op: 'delete'; key: string }
    | { op: 'set'; key: string; value: string }
    | { op: 'duplicate'; key: string };
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...FIELD_NAMES) }),
    fc.record({
      op: fc.constant('set' as const),
      key: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()),
      value: anyText,
    }),
    fc.record({ op: fc.constant('duplicate' as const), key: fc.constantFrom(...FIELD_NAMES) }),
  );

  function encode(fields: Record<string, string>, mutations: readonly Mutation[]): URLSearchParams {
    const form = new URLSearchParams(fields);
    for (const m of mutations) {
      if (m.op === 'delete') form.delete(m.key);
      else if (m.op === 'set') form.set(m.key, m.value);
      else form.append(m.key, form.get(m.key) ?? 'x');
    }
    return form;
  }

  const CONTENT_TYPES = [
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=iso-8859-1',
    'multipart/form-data; boundary=xyz',
    'multipart/form-data',
    'application/json',
    'text/plain',
    'application/octet-stream',
  ];

  // A notification that would be accepted, but forged: signed with a guessed key, or a made-up signature.
  const forged = fc
    .tuple(
      fc.oneof(
        fc
          .string({ minLength: 1, maxLength: 30 })
          .filter((k) => k !== TEST_PAYU.apiKey)
          .map((apiKey) => ({ apiKey })),
        fc.stringMatching(/^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/).map((sign) => ({ sign })),
      ),
      fc.constantFrom('MD5', 'SHA', 'SHA256') as fc.Arbitrary<'MD5' | 'SHA' | 'SHA256'>,
      fc.constantFrom('4', '5', '6'),
    )
    .map(([how, algorithm, statePol]) => {
      const fields = signed({ reference, value: '20000.00', currency: 'COP', statePol });
      fields.sign =
        'sign' in how
          ? how.sign
          : signConfirmation({
              apiKey: how.apiKey,
              merchantId: TEST_PAYU.merchantId,
              referenceSale: reference,
              value: '20000.00',
              currency: 'COP',
              statePol,
              algorithm,
            });
      return {
        path: '/payu/acme/confirmation',
        contentType: 'application/x-www-form-urlencoded' as string | null,
        body: new URLSearchParams(fields).toString() as string | Uint8Array,
      };
    });

  const request = fc.oneof(
    forged,
    // A signed-but-wrong notification, mutated or not.
    fc.tuple(signedButWrong, fc.array(mutation, { maxLength: 3 })).map(([s, mutations]) => ({
      path: '/payu/acme/confirmation',
      contentType: 'application/x-www-form-urlencoded' as string | null,
      body: encode(
        signed({
          reference: 'ref' in s ? s.ref : reference,
          value: s.value,
          currency: s.currency,
          statePol: s.statePol,
        }),
        mutations,
      ).toString() as string | Uint8Array,
    })),
    // Random form fields, with or without our reference.
    fc
      .tuple(
        fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 10 })), anyText, {
          maxKeys: 20,
        }),
        fc.boolean(),
      )
      .map(([fields, ours]) => ({
        path: '/payu/acme/confirmation',
        contentType: 'application/x-www-form-urlencoded' as string | null,
        body: new URLSearchParams(ours ? { ...fields, reference_sale: reference } : fields).toString() as
          string | Uint8Array,
      })),
    // Anything at all under any content type, or none; and other merchants' paths.
    fc.record({
      path: fc.oneof(
        fc.constant('/payu/acme/confirmation'),
        fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((m) => `/payu/${m}/confirmation`),
      ),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: null }),
      body: fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constant(
          `--xyz\r\nContent-Disposition: form-data; name="sign"\r\n\r\n${'a'.repeat(64)}\r\n--xyz--\r\n`,
        ),
      ),
    }),
  );

  test('only 400, 401, 404 or 422 — never 500, never 200 — and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.contentType) headers['content-type'] = r.contentType;
        const body = typeof r.body === 'string' ? r.body : new Uint8Array(r.body);
        const res = await app.request(r.path, { method: 'POST', headers, body });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([400, 401, 404, 422]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
    const checkout = await deps.store.getCheckout('acme', reference);
    expect(checkout).toMatchObject({ status: 'pending', transactionId: null, payuReference: null });
    expect(await deps.store.outboxBacklog()).toBe(0);
    expect(deps.outboxKicks.count).toBe(0);
    // The generators reach every refusal, not just the first one.
    expect([...statuses.keys()].sort()).toEqual([400, 401, 404, 422]);
  });

  test('after all that, the genuine confirmation is still accepted, once', async () => {
    const form = new URLSearchParams(
      signed({ reference, value: '20000.00', currency: 'COP', statePol: '4' }),
    );
    expect((await app.request('/payu/acme/confirmation', { method: 'POST', body: form })).status).toBe(200);
    expect((await app.request('/payu/acme/confirmation', { method: 'POST', body: form })).status).toBe(200);
    expect(deps.outboxKicks.count).toBe(1);
    expect((await deps.store.getCheckout('acme', reference))?.status).toBe('approved');
  });
});
