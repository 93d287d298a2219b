import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { engines } from '../../support/engines';
import { fakeDeps, fakeErp } from '../../support/fake-deps';

/**
 * Issue 9 item 2: concurrent checkouts with one Idempotency-Key are one checkout. Before the fix, on
 * PostgreSQL, a request whose first idempotency look-up ran before its twin committed then saw the twin's
 * hold in the lookup and answered 409 payment_pending (about 1 in 30 requests here).
 */

const ID = '12345678';
const ROUNDS = 15;
const AT_ONCE = 20;
const refOf = (round: number) => `ADM-${String(round).padStart(2, '0')}`;
const erpBody = {
  payments: Array.from({ length: ROUNDS }, (_, round) => ({
    recauda_information: {
      description: `Cuota ${round}`,
      amount: 20000,
      currency_type: 'COP',
      id_number: ID,
      ref_payment: refOf(round),
    },
  })),
};

const allEngines = await engines();
afterAll(async () => {
  for (const e of allEngines) await e.dropAll();
});

describe.each(allEngines)('checkout idempotency on $name', (engine) => {
  const run = engine.skipReason ? test.skip : test;

  run(
    `${AT_ONCE} concurrent checkouts with one key, ${ROUNDS} times: all 201 with one reference, never 409`,
    async () => {
      const store = await engine.create();
      const app = createApp(await fakeDeps({ store, erp: fakeErp({ [ID]: erpBody }).port }));
      const statuses: Record<number, number> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const key = `round-${round}-key`;
        const body = JSON.stringify({
          idNumber: ID,
          items: [{ ref: refOf(round), amount: '20000' }],
          buyer: { email: 'pagador@example.co', fullName: 'Ana Pérez', phone: '3001234567' },
        });
        const responses = await Promise.all(
          Array.from({ length: AT_ONCE }, () =>
            app.request('/api/v1/merchants/acme/checkout', {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': key },
              body,
            }),
          ),
        );
        const references = new Set<string>();
        for (const res of responses) {
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 201) references.add(((await res.json()) as { reference: string }).reference);
        }
        const stored = await store.findByIdempotencyKey('acme', key);
        expect([...references]).toEqual([stored?.reference]);
      }
      expect(statuses).toEqual({ 201: ROUNDS * AT_ONCE });
    },
  );
});
