import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createApp } from '../../bff/app';
import { signConfirmation } from '../../bff/payu/signature';
import type { ErpPort } from '../../bff/services/ports';
import { createPostgresStore } from '../../bff/store/postgres-store';
import { createSqliteStore } from '../../bff/store/sqlite-store';
import type { Store } from '../../bff/store/store';
import { BENCH_MERCHANT, BENCH_PAYU, PG_URL, benchDeps } from './bff';
import { pool } from './pool';

/**
 * The server of the confirmations benchmark (row 4), in a process of its own: the BFF as createApp builds it,
 * served by @hono/node-server on a loopback port (the path PayU's POSTs take in production), over SQLite (a
 * temp file, WAL, the store's own pragmas) or PostgreSQL (a schema of its own, dropped on close). It creates
 * `count` checkouts, one payer and one pending item each, and hands back the signed approval form of each;
 * the load generator then sends each form 10 times at once. The verdict comes from the database (paid per
 * item, the status of each checkout) and from what the store answered to each confirmation.
 */

const payerId = (n: number) => String(30_000_000 + n);
const itemRef = (n: number) => `CONF-${String(n).padStart(5, '0')}`;
const amountOf = (n: number) => 20_000n + BigInt(n % 97) * 500n;

/** One payer per checkout, each with one pending item (a distinct ref, so no hold blocks another). */
const erp: ErpPort = {
  async fetchPendingPayments(_m, idNumber) {
    const n = Number(idNumber) - 30_000_000;
    return {
      ok: true,
      body: {
        payments: [
          {
            recauda_information: {
              description: `Cuota de administración ${n}`,
              amount: Number(amountOf(n)),
              currency_type: 'COP',
              id_number: idNumber,
              payer_name: 'Camila Andrea Rojas Pérez',
              ref_payment: itemRef(n),
            },
            advanced_options: { has_comments: false },
          },
        ],
      },
    };
  },
};

export interface ConfirmVerdict {
  readonly doubleCredits: number;
  readonly notCredited: number;
  readonly notApproved: number;
  /** Store outcomes of the confirmations (applied, duplicate, final…). */
  readonly kinds: Record<string, number>;
}

export interface ConfirmServer {
  readonly port: number;
  /** The path the forms are posted to. */
  readonly path: string;
  /** One signed approval form (urlencoded) per checkout. */
  readonly forms: string[];
  readonly checkoutMs: number;
  verdict(): Promise<ConfirmVerdict>;
  close(): Promise<void>;
}

export async function startConfirmServer(
  engine: 'sqlite' | 'postgres',
  count: number,
): Promise<ConfirmServer> {
  const dir = engine === 'sqlite' ? mkdtempSync(join(os.tmpdir(), 'saldo-bench-sqlite-')) : null;
  const schema = `saldo_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store =
    engine === 'postgres'
      ? createPostgresStore(PG_URL, { schema })
      : createSqliteStore(join(dir!, 'bench.db'));
  // Counts what each confirmation did, per reference, straight from the store's answer.
  const appliedApproved = new Map<string, number>();
  const kinds: Record<string, number> = {};
  const counted: Store = Object.assign(Object.create(store) as Store, {
    async applyConfirmation(input: Parameters<Store['applyConfirmation']>[0]) {
      const result = await store.applyConfirmation(input);
      kinds[result.kind] = (kinds[result.kind] ?? 0) + 1;
      if (result.kind === 'applied' && input.status === 'approved') {
        appliedApproved.set(input.reference, (appliedApproved.get(input.reference) ?? 0) + 1);
      }
      return result;
    },
  });
  const { deps, close } = await benchDeps({ erpUrl: 'http://127.0.0.1:9/unused', store: counted, erp });
  const app = createApp(deps);

  const references: string[] = new Array<string>(count);
  const t0 = performance.now();
  await pool(count, 5, Number.POSITIVE_INFINITY, async (n) => {
    const res = await app.request(`/api/v1/merchants/${BENCH_MERCHANT}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}` },
      body: JSON.stringify({
        idNumber: payerId(n),
        items: [{ ref: itemRef(n), amount: amountOf(n).toString() }],
        buyer: { email: 'pagador@example.co', fullName: 'Camila Rojas', phone: '3001234567' },
      }),
    });
    const body = (await res.json()) as { reference?: string };
    if (res.status !== 201 || !body.reference) throw new Error(`checkout ${n}: ${res.status}`);
    references[n] = body.reference;
  });
  const checkoutMs = performance.now() - t0;

  const forms = references.map((reference, n) => {
    const value = `${amountOf(n)}.00`;
    return new URLSearchParams({
      merchant_id: BENCH_PAYU.merchantId,
      reference_sale: reference,
      value,
      currency: 'COP',
      state_pol: '4',
      sign: signConfirmation({
        apiKey: BENCH_PAYU.apiKey,
        merchantId: BENCH_PAYU.merchantId,
        referenceSale: reference,
        value,
        currency: 'COP',
        statePol: '4',
        algorithm: 'SHA256',
      }),
      transaction_id: randomUUID(),
      reference_pol: String(845_600_000 + n),
      response_message_pol: 'APPROVED',
      payment_method_type: '2',
      test: '1',
    }).toString();
  });

  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  server.keepAliveTimeout = 30_000;

  return {
    port: (server.address() as AddressInfo).port,
    path: `/payu/${BENCH_MERCHANT}/confirmation`,
    forms,
    checkoutMs,
    async verdict() {
      const states = await store.itemStates(
        BENCH_MERCHANT,
        Array.from({ length: count }, (_, n) => itemRef(n)),
        new Date(),
      );
      let doubleCredits = 0;
      let notCredited = 0;
      let notApproved = 0;
      for (let n = 0; n < count; n++) {
        const reference = references[n] as string;
        const applied = appliedApproved.get(reference) ?? 0;
        const paid = states.get(itemRef(n))?.paid ?? 0n;
        if (applied > 1 || paid > amountOf(n)) doubleCredits++;
        else if (applied !== 1 || paid !== amountOf(n)) notCredited++;
        if ((await store.getCheckout(BENCH_MERCHANT, reference))?.status !== 'approved') notApproved++;
      }
      return { doubleCredits, notCredited, notApproved, kinds: { ...kinds } };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (engine === 'postgres') {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        try {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await admin.end();
        }
      }
    },
  };
}
