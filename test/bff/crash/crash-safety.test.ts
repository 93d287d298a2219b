import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Webhook } from 'standardwebhooks';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { PG_URL, postgresUnreachable } from '../../support/engines';
import { TEST_WEBHOOK_SECRET } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { json, startLoopback } from '../erp/loopback';
import { killAll, processConfig, startServer, tempWorkspace, type ServerProcess } from './server-process';

/**
 * Crash safety of the whole server on each engine: approvals streamed the way PayU sends them (retried until
 * a 200) while the server is SIGKILLed at random points and restarted on the same database. Whatever
 * was in flight when a kill landed — a confirmation mid-transaction, a 200 not yet written, a webhook
 * claimed but not sent — each approval must be recorded exactly once and its event delivered at least once.
 */

const N = Number(process.env.CRASH_CHECKOUTS ?? 30);
const KILLS = 3;
const PAYU_WORKERS = 5;
const SEED = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
const PAYER_ID = '52123456';

/** mulberry32: the kill points and duplicate resends follow from SEED, printed on failure. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const pgUnreachable = await postgresUnreachable();
if (pgUnreachable && process.env.CI === 'true')
  throw new Error(`PostgreSQL must be reachable in CI: ${pgUnreachable}`);

/** A schema of its own on the test server, named in the URL the server gets, dropped afterwards. */
async function postgresDatabase(): Promise<string> {
  const schema = `saldo_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  cleanups.push(async () => {
    const drop = new pg.Client({ connectionString: PG_URL });
    await drop.connect();
    await drop.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await drop.end();
  });
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  killAll();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe.each([
  { engine: 'sqlite', skip: null },
  { engine: 'postgres', skip: pgUnreachable },
])('on $engine', ({ engine, skip }) => {
  (skip ? test.skip : test)(
    `${N} approvals survive ${KILLS} SIGKILLs: each recorded once, each event delivered at least once`,
    async () => {
      const t0 = Date.now();
      const random = prng(SEED);
      const context = `CRASH_SEED=${SEED}`;

      const items = Array.from({ length: N }, (_, i) => ({
        ref: `INV-${String(i + 1).padStart(3, '0')}`,
        amount: 10_000 + 100 * i,
      }));
      const erp = await startLoopback((_req, res) =>
        json(res, 200, {
          payments: items.map((item) => ({
            recauda_information: {
              description: `Factura ${item.ref}`,
              amount: String(item.amount),
              currency_type: 'COP',
              id_number: PAYER_ID,
              ref_payment: item.ref,
            },
            advanced_options: { limit_date: '2099-12-31' },
          })),
        }),
      );
      cleanups.push(() => erp.close());

      // The merchant's webhook receiver: verifies each delivery and keeps every webhook-id per reference.
      const verifier = new Webhook(TEST_WEBHOOK_SECRET);
      const events = new Map<string, Set<string>>();
      const badDeliveries: string[] = [];
      let deliveries = 0;
      const receiver = await startLoopback((req, res) => {
        void readBody(req).then((body) => {
          try {
            const event = verifier.verify(body, req.headers as Record<string, string>) as {
              type: string;
              data: { reference: string };
            };
            if (event.type !== 'payment.approved') badDeliveries.push(`unexpected ${event.type}`);
            const ids = events.get(event.data.reference) ?? new Set<string>();
            ids.add(String(req.headers['webhook-id']));
            events.set(event.data.reference, ids);
            deliveries++;
            json(res, 200, { ok: true });
          } catch (err) {
            badDeliveries.push((err as Error).message);
            json(res, 400, { ok: false });
          }
        });
      });
      cleanups.push(() => receiver.close());

      const workspace = tempWorkspace(
        processConfig({
          erpUrl: `${erp.origin}/get-recaudas`,
          webhookUrl: `${receiver.origin}/saldo-events`,
        }),
        engine === 'postgres' ? await postgresDatabase() : undefined,
      );
      cleanups.push(() => workspace.cleanup());

      let server: ServerProcess = await startServer(workspace);

      // 1. N checkouts, one item each, for its whole balance.
      const checkouts: { reference: string; ref: string; amount: number; transactionId: string }[] = [];
      for (const item of items) {
        const res = await fetch(`${server.origin}/api/v1/merchants/acme/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            idNumber: PAYER_ID,
            items: [{ ref: item.ref, amount: String(item.amount) }],
            buyer: { email: 'payer@example.co', fullName: 'Payer Test', phone: '3001234567' },
          }),
        });
        expect(res.status, `${context}: ${await res.clone().text()}`).toBe(201);
        const { reference } = (await res.json()) as { reference: string };
        // PayU keeps one transaction_id for all retries of one notification.
        checkouts.push({ reference, ref: item.ref, amount: item.amount, transactionId: randomUUID() });
      }

      // 2. "PayU": a few workers POST the signed approvals, retrying each until it gets a 200, and sometimes
      //    sending one again after the 200 (PayU does not always know its notification got through).
      let acknowledged = 0;
      const refused: string[] = [];
      let attempts = 0;
      const queue = [...checkouts];
      const payu = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const form = confirmationForm(
            {
              reference: c.reference,
              value: `${c.amount}.00`,
              currency: 'COP',
              statePol: '4',
              transactionId: c.transactionId,
            },
            { reference_pol: String(840_000_000 + randomInt(1_000_000)) },
          );
          let sends = random() < 0.3 ? 2 : 1;
          while (sends > 0) {
            if (Date.now() - t0 > 40_000) throw new Error(`${context}: PayU gave up on ${c.reference}`);
            attempts++;
            const status = await fetch(`${server.origin}/payu/acme/confirmation`, {
              method: 'POST',
              body: form,
              signal: AbortSignal.timeout(5000),
            }).then(
              async (res) => {
                await res.body?.cancel();
                return res.status;
              },
              () => null,
            );
            if (status === 200) {
              sends--;
              if (sends === 0) acknowledged++;
            } else if (status !== null && status < 500) {
              refused.push(`${c.reference}: ${status}`);
              return;
            } else {
              await sleep(20 + random() * 30);
            }
          }
        }
      };

      // 3. Kills at random points of the stream, each at a random moment with confirmations in flight.
      const killPoints = Array.from({ length: KILLS }, (_, k) =>
        Math.floor(((k + random() * 0.8 + 0.1) * N) / (KILLS + 1)),
      );
      const killer = async () => {
        for (const point of killPoints) {
          while (acknowledged < point) await sleep(2);
          await sleep(random() * 15);
          server.child.kill('SIGKILL');
          const exit = await server.exited;
          expect(exit.signal, context).toBe('SIGKILL');
          server = await startServer(workspace);
        }
      };

      await Promise.all([killer(), ...Array.from({ length: PAYU_WORKERS }, payu)]);
      const streamed = Date.now();
      expect(refused, context).toEqual([]);
      expect(acknowledged).toBe(N);

      // 4. Every event reaches the receiver at least once. A message claimed by a killed process waits out its
      //    lease (30 s) before the next process sends it, so allow for that, within the test's budget.
      const deadline = t0 + 55_000;
      while (checkouts.some((c) => !events.has(c.reference)) && Date.now() < deadline) await sleep(100);

      const missing = checkouts.filter((c) => !events.has(c.reference)).map((c) => c.reference);
      expect(missing, `${context}: events never delivered`).toEqual([]);
      expect(badDeliveries, context).toEqual([]);
      // Exactly one event per approval (one state change, one webhook-id), however often it was delivered.
      for (const c of checkouts)
        expect([...events.get(c.reference)!], `${context}: ${c.reference}`).toHaveLength(1);

      // 5. The portal recorded each approval once: every payment approved, every item paid exactly its amount.
      for (const c of checkouts) {
        const res = await fetch(`${server.origin}/api/v1/merchants/acme/payments/${c.reference}`);
        expect(((await res.json()) as { status: string }).status, `${context}: ${c.reference}`).toBe(
          'approved',
        );
      }
      const lookup = await fetch(`${server.origin}/api/v1/merchants/acme/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idNumber: PAYER_ID }),
      });
      expect(lookup.status).toBe(200);
      const looked = (await lookup.json()) as { items: { ref: string; paid: string; balance: string }[] };
      for (const item of items) {
        expect(
          looked.items.find((i) => i.ref === item.ref),
          `${context}: ${item.ref}`,
        ).toMatchObject({
          paid: String(item.amount),
          balance: '0',
        });
      }

      // Clean stop of the last process.
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      console.info(
        `crash-safety on ${engine}: ${N} approvals, ${KILLS} kills at ${killPoints.join('/')}, ${attempts} confirmation POSTs, ` +
          `${deliveries} webhook deliveries; stream ${streamed - t0} ms, total ${Date.now() - t0} ms (${context})`,
      );
    },
    60_000,
  );
});
