import fc from 'fast-check';
import { anyCodePoint } from '../../support/arbitraries';
import { describe, expect, test } from 'vitest';
import {
  erpEnvelopeSchema,
  readErpPayload,
  readRecaudaInformation,
  recaudaInformationSchema,
} from '../../../shared/erp/read-payload';
import { lateFeePolicySchema } from '../../../shared/pricing/late-fee-policy';

/**
 * The reader checks `recaudaInformationSchema`, `erpEnvelopeSchema` and the metadata size rule by hand on
 * its hot path, and memoises `lateFeePolicySchema` (shared/erp/read-payload.ts says why). The zod schemas
 * stay the contract: these properties fail as soon as the hand-written path and the schema disagree on
 * what is accepted or on the values it normalises to.
 */

const PAYER = '52123456';

/** Whitespace that String.prototype.trim removes, and look-alikes it does not. */
const padding = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', '\u200b', '\u0085');
const padded = (core: fc.Arbitrary<string>) =>
  fc.tuple(padding, core, padding).map(([a, s, b]) => `${a}${s}${b}`);

/** Strings around zod's 191 code-point limit, with surrogate pairs (one code point) and lone surrogates. */
const nearLimit = fc
  .tuple(
    fc.integer({ min: 0, max: 200 }),
    fc.integer({ min: 0, max: 200 }),
    fc.constantFrom('x', '😀', '\ud83d', '\ude00', 'é', ' '),
  )
  .map(([plain, special, s]) => 'a'.repeat(plain) + s.repeat(special));

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, Number.MAX_SAFE_INTEGER + 2),
);

const text = fc.oneof(
  fc.string({ unit: anyCodePoint, maxLength: 8 }),
  padded(fc.constantFrom('FE-1', 'Factura', 'x', '', '😀', '\ud83d')),
  nearLimit,
);

const anyValue = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, 12n) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** Each field near-valid most of the time, anything some of the time. */
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: anyValue });

const information = fc.record(
  {
    ref_payment: field(fc.oneof(text, fc.integer(), hostileNumber)),
    amount: field(fc.oneof(fc.constantFrom('20000', ' 54000.85 ', 'abc', ''), hostileNumber)),
    currency_type: field(
      fc.oneof(
        padded(fc.constantFrom('COP', 'USD', 'EUR', 'cop', 'usd', 'Eur', 'ARS', 'uſd', 'ｃop', 'CO P')),
        fc.string({ maxLength: 4 }),
      ),
    ),
    description: field(text),
    id_number: field(fc.oneof(fc.constantFrom(PAYER, '52.123.456', '', null), hostileNumber)),
    payer_name: anyValue,
    advance: anyValue,
    metadata: anyValue,
    other: anyValue,
  },
  { requiredKeys: [] },
);

/** Some fields moved to the prototype: zod reads inherited properties, so the hand-written check must too. */
const withInherited = fc
  .tuple(information, fc.subarray(['ref_payment', 'amount', 'currency_type', 'description', 'id_number']))
  .map(([info, inherited]) => {
    const proto: Record<string, unknown> = {};
    const own: Record<string, unknown> = Object.create(proto) as Record<string, unknown>;
    for (const [k, v] of Object.entries(info)) (inherited.includes(k) ? proto : own)[k] = v;
    return own;
  });

describe('readRecaudaInformation agrees with recaudaInformationSchema', () => {
  test('on arbitrary and near-valid recauda_information objects: accepted alike, normalised alike', () => {
    fc.assert(
      fc.property(fc.oneof(information, withInherited, fc.anything()), (info) => {
        const zod = recaudaInformationSchema.safeParse(info);
        // toEqual: an absent optional key (zod leaves it out) reads like one set to undefined.
        expect(readRecaudaInformation(info)).toEqual(zod.success ? zod.data : null);
      }),
      { numRuns: 5_000 },
    );
  });

  test('around the 191 code-point limit and with every kind of padding', () => {
    fc.assert(
      fc.property(padded(nearLimit), padded(nearLimit), (ref, description) => {
        const info = { ref_payment: ref, amount: 1, currency_type: 'COP', description };
        const zod = recaudaInformationSchema.safeParse(info);
        expect(readRecaudaInformation(info)).toEqual(zod.success ? zod.data : null);
      }),
      { numRuns: 2_000 },
    );
  });

  test('a payload is read item by item as the schema decides (invalid_fields exactly where it fails)', () => {
    fc.assert(
      fc.property(fc.array(information, { maxLength: 10 }), (infos) => {
        const outcome = readErpPayload(
          { payments: infos.map((info) => ({ recauda_information: info })) },
          PAYER,
        );
        const failing = infos.filter((info) => !recaudaInformationSchema.safeParse(info).success).length;
        expect(outcome.ok && (outcome.value.skipReasons.invalid_fields ?? 0)).toBe(failing);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the envelope check agrees with erpEnvelopeSchema', () => {
  test('a body is refused exactly when the schema refuses it', () => {
    const body = fc.oneof(
      fc.anything(),
      fc.record({ payments: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.anything()) }),
      fc.anything().map((payments) => Object.create({ payments }) as unknown),
    );
    fc.assert(
      fc.property(body, (b) => {
        expect(readErpPayload(b, PAYER).ok).toBe(erpEnvelopeSchema.safeParse(b).success);
      }),
      { numRuns: 3_000 },
    );
  });
});

/** A valid COP item for PAYER with the given options. */
function item(ref: string, options: Record<string, unknown>, metadata?: unknown) {
  return {
    recauda_information: {
      ref_payment: ref,
      amount: 20000,
      currency_type: 'COP',
      description: 'Factura',
      id_number: PAYER,
      metadata,
    },
    advanced_options: options,
  };
}

describe('memoised late-fee policies', () => {
  const policyValue = fc.oneof(
    fc.constantFrom('0.05', '5000', ' 2 ', '0', '-1', '1.5', 'abc', 0.02, 5000, 1, 1.0001, -0, NaN, null),
    hostileNumber,
  );
  const dayCount = fc.oneof(fc.integer({ min: -1, max: 32 }), fc.constantFrom(1.5, NaN, '3', -0, null));
  const lateFees = fc.oneof(
    fc.record(
      {
        condition_type: fc.constantFrom('automated', 'fixed', 'other'),
        type: fc.constantFrom('amount', 'percentage', 'x'),
        value: policyValue,
        frequency: dayCount,
        limit: dayCount,
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        condition_type: fc.constantFrom('fixed', 'automated'),
        fixed: fc.oneof(
          fc.array(
            fc.record(
              {
                date: fc.constantFrom('2025-03-01', '2025/03/01', '2025-02-30', ' 2025-03-01 ', 20250301),
                value: policyValue,
              },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
          fc.constantFrom(
            null,
            'x',
            [1],
            Array.from({ length: 101 }, () => ({ date: '2025-03-01', value: 1 })),
          ),
        ),
      },
      { requiredKeys: [] },
    ),
    fc.anything({ maxDepth: 2 }),
  );

  test('every item gets what lateFeePolicySchema makes of its policy, in an object of its own', () => {
    fc.assert(
      fc.property(fc.array(lateFees, { minLength: 1, maxLength: 4 }), (policies) => {
        // Every policy twice (the second read comes from the memo) and in a JSON round trip.
        const sources = [
          ...policies,
          ...policies,
          ...policies.map((p) => JSON.parse(JSON.stringify(p) ?? 'null')),
        ];
        const outcome = readErpPayload(
          { payments: sources.map((p, i) => item(`R${i}`, { late_fees: p })) },
          PAYER,
        );
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const items = outcome.value.items;
        let refused = 0;
        sources.forEach((p, i) => {
          const zod = p === null || p === undefined ? null : lateFeePolicySchema.safeParse(p);
          if (zod && !zod.success) refused++;
          expect(items[i]?.lateFees).toEqual(zod?.success ? zod.data : null);
        });
        expect(outcome.value.warnings.late_fees ?? 0).toBe(refused);
        const objects = items.map((i) => i.lateFees).filter((p) => p !== null);
        expect(new Set(objects).size).toBe(objects.length);
      }),
      { numRuns: 1_000 },
    );
  });

  test('policies that differ in one field are never taken for one another', () => {
    const automated = fc.record({
      condition_type: fc.constant('automated'),
      type: fc.constantFrom('amount', 'percentage'),
      value: fc.constantFrom('0.05', '0.5', '1', 0.02, 5000, '5000'),
      frequency: fc.integer({ min: 1, max: 30 }),
      limit: fc.integer({ min: 1, max: 30 }),
    });
    const fixed = fc.record({
      condition_type: fc.constant('fixed'),
      fixed: fc.array(
        fc.record({
          date: fc.constantFrom('2025-03-01', '2025/03/02', '2025-03-03'),
          value: fc.constantFrom('1000', 2000, '0.5'),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(automated, fixed), { minLength: 2, maxLength: 6 }), (policies) => {
        const outcome = readErpPayload(
          { payments: policies.map((p, i) => item(`R${i}`, { late_fees: p })) },
          PAYER,
        );
        const items = outcome.ok ? outcome.value.items : [];
        policies.forEach((p, i) => {
          const zod = lateFeePolicySchema.safeParse(p);
          expect(items[i]?.lateFees).toEqual(zod.success ? zod.data : null);
        });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('metadata accepted without serialising it', () => {
  const LIMIT = 16 * 1024;
  const metadata = fc.oneof(
    fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }),
    fc.jsonValue({ maxDepth: 4 }),
    fc.integer({ min: Math.floor(LIMIT / 6) - 20, max: LIMIT }).map((n) => ({ note: 'x'.repeat(n) })),
    fc.integer({ min: LIMIT - 40, max: LIMIT + 10 }).map((n) => ['"'.repeat(Math.floor(n / 2))]),
    // The longest number texts (25 characters and 23), about as many as fit.
    fc
      .tuple(fc.integer({ min: 600, max: 700 }), fc.constantFrom(-1 / 3e5, -Math.PI * 1e-300))
      .map(([n, x]) => Array.from({ length: n }, () => x)),
    fc
      .integer({ min: 1_300, max: 1_400 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
    fc.integer({ min: 1, max: 60 }).map((depth) => {
      let v: unknown = 1;
      for (let i = 0; i < depth; i++) v = [v];
      return v;
    }),
    // Keys of control characters (6 characters each once escaped), with short values, about as many as fit.
    fc
      .integer({ min: 250, max: 300 })
      .map((n) =>
        Object.fromEntries(Array.from({ length: n }, (_, i) => [`${'\u0001'.repeat(8)}${i}`, null])),
      ),
    fc.constantFrom(
      { toJSON: () => 'x'.repeat(LIMIT + 1) },
      { when: new Date(0) },
      { n: 1n },
      () => 1,
      Symbol('s'),
    ),
  );

  /** The rule as it is written: kept when JSON.stringify gives at most 16 KiB, dropped otherwise. */
  function kept(v: unknown): boolean {
    if (v === undefined || v === null) return false;
    try {
      return JSON.stringify(v).length <= LIMIT;
    } catch {
      return false;
    }
  }

  test('metadata is kept exactly when its JSON text fits', () => {
    fc.assert(
      fc.property(metadata, (v) => {
        const outcome = readErpPayload({ payments: [item('M', {}, v)] }, PAYER);
        const read = outcome.ok ? outcome.value.items[0] : undefined;
        expect(read?.metadata).toBe(kept(v) ? v : null);
        expect(outcome.ok && (outcome.value.warnings.metadata ?? 0)).toBe(
          kept(v) || v === undefined || v === null ? 0 : 1,
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
