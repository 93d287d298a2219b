import { serve } from '@hono/node-server';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { createMoneyBackSimulator } from '../../../bff/demo/payu-money-back/simulator';
import { createReturnLinks } from '../../../bff/money-back/return-link';
import { isColombianHoliday } from '../../../shared/calendar/colombian-holidays';
import { PG_URL, postgresUnreachable } from '../../support/engines';
import { TEST_PAYU } from '../../support/fake-deps';
import { confirmationForm } from '../../support/payu-confirmation';
import { json, startLoopback } from '../erp/loopback';
import { killAll, processConfig, startServer, tempWorkspace, type ServerProcess } from './server-process';

/**
 * kill -9 during a PayU payout request (docs/spec/money-back.md "Payouts" 3): the real server as a child
 * process, on a SQLite file and on PostgreSQL, with PayU's Payouts API simulated on loopback. The test waits
 * for the transfer request to reach "PayU", SIGKILLs the server, restarts it on the same database and checks
 * the return: it ends in `needs_review` (nobody knows whether PayU created the payout) or, when PayU's answer
 * was committed before the kill, it completes on PayU's notices — and PayU never receives a second transfer.
 */

const PAYER_ID = '52123456';
const TOKEN = 'acme-api-token-0123456789';
const HOOK_SECRET = 'payout-hook-secret-0123456789abcdef';
const PUBLIC_KEY = 'sim-public-key';
const LINK_SECRET = 'crash-test-link-secret-0123456789abcdef';

const pgUnreachable = await postgresUnreachable();
if (pgUnreachable && process.env.CI === 'true')
  throw new Error(`PostgreSQL must be reachable in CI: ${pgUnreachable}`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  killAll();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A schema of its own on the test server, named in the URL the server gets, dropped afterwards. */
async function postgresDatabase(): Promise<{ url: string; schema: string }> {
  const schema = `saldo_payout_kill_${process.pid}_${randomBytes(4).toString('hex')}`;
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
  return { url: url.toString(), schema };
}

/** One promise per occurrence of an event, resolved when it happens (no polling, no sleeps). */
function signal() {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

type Mode = 'hold' | 'answer';

/**
 * PayU's Payouts API (the project's simulator) on loopback. Every transfer request is counted and announced
 * once PayU has created the payout; in `hold` mode the answer is then held back (it is still on its way when
 * the kill lands: PayU has the payout, the portal does not know), in `answer` mode PayU answers.
 */
async function startPayouts(mode: Mode) {
  let now = new Date();
  const notices: { url: string; body: string }[] = [];
  const sim = createMoneyBackSimulator({
    now: () => now,
    isHoliday: isColombianHoliday,
    apiKey: TEST_PAYU.apiKey,
    apiLogin: TEST_PAYU.apiLogin,
    publicKey: PUBLIC_KEY,
    findOrder: () => null,
    deliver: async (url, body) => {
      notices.push({ url, body });
    },
  });
  let transfers = 0;
  const arrived = signal();
  const server = serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (req) => {
      const transfer = req.method === 'POST' && new URL(req.url).pathname.includes('/supplier-transfers/');
      if (!transfer) return sim.app.fetch(req);
      transfers++;
      const res = await sim.app.fetch(req);
      arrived.fire();
      return mode === 'hold' ? new Promise<Response>(() => undefined) : res;
    },
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    transfers: () => transfers,
    arrived: arrived.promise,
    sim,
    notices,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** The database the server uses, read and written directly while the server is down. */
interface Db {
  row(id: string): Promise<{ state: string; payment_order_id: string | null; attempts: number }>;
  /** Ten minutes pass for the return (the server reads the real clock): its deadlines move back 11 minutes. */
  rewind(id: string): Promise<void>;
  close(): Promise<void>;
}

function sqliteDb(path: string): Db {
  const db = new Database(path);
  return {
    async row(id) {
      const r = db.prepare('SELECT state, payment_order_id, attempts FROM returns WHERE id = ?').get(id) as {
        state: string;
        payment_order_id: string | null;
        attempts: bigint | number;
      };
      return { ...r, attempts: Number(r.attempts) };
    },
    async rewind(id) {
      db.prepare(
        'UPDATE returns SET next_action_at = next_action_at - 660000, locked_until = NULL WHERE id = ?',
      ).run(id);
    },
    async close() {
      db.close();
    },
  };
}

async function postgresDb(schema: string): Promise<Db> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`SET search_path TO ${schema}`);
  return {
    async row(id) {
      const r = await client.query<{ state: string; payment_order_id: string | null; attempts: number }>(
        'SELECT state, payment_order_id, attempts FROM returns WHERE id = $1',
        [id],
      );
      return r.rows[0]!;
    },
    async rewind(id) {
      await client.query(
        `UPDATE returns SET next_action_at = next_action_at - interval '11 minutes', locked_until = NULL
         WHERE id = $1`,
        [id],
      );
    },
    close: () => client.end(),
  };
}

describe.each([
  { engine: 'sqlite', skip: null },
  { engine: 'postgres', skip: pgUnreachable },
] as const)('payout request killed mid-flight, on $engine', ({ engine, skip }) => {
  async function setup(mode: Mode) {
    const erp = await startLoopback((_req, res) =>
      json(res, 200, {
        payments: [
          {
            recauda_information: {
              description: 'Factura FE-2001',
              amount: '20000',
              currency_type: 'COP',
              id_number: PAYER_ID,
              ref_payment: 'FE-2001',
            },
            advanced_options: { limit_date: '2099-12-31' },
          },
        ],
      }),
    );
    cleanups.push(() => erp.close());
    const receiver = await startLoopback((_req, res) => json(res, 200, { ok: true }));
    cleanups.push(() => receiver.close());
    const payouts = await startPayouts(mode);
    const config = processConfig({
      erpUrl: `${erp.origin}/get-recaudas`,
      webhookUrl: `${receiver.origin}/saldo-events`,
    }) as { merchants: Record<string, unknown>[] };
    config.merchants[0]!.payouts = {
      publicKey: PUBLIC_KEY,
      webhookSecret: HOOK_SECRET,
      apiUrl: payouts.origin,
    };
    const database = engine === 'postgres' ? await postgresDatabase() : null;
    const workspace = tempWorkspace(config, database?.url);
    cleanups.push(() => workspace.cleanup());
    const db = async () =>
      database ? postgresDb(database.schema) : sqliteDb(join(workspace.dir, 'saldo.db'));
    return { payouts, workspace, db };
  }

  /** Through the server's own API: an approved PSE payment, a merchant return of it approved, bank details given. */
  async function returnWithDetails(server: ServerProcess): Promise<string> {
    const checkout = await fetch(`${server.origin}/api/v1/merchants/acme/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        idNumber: PAYER_ID,
        items: [{ ref: 'FE-2001', amount: '20000' }],
        buyer: { email: 'payer@example.co', fullName: 'Payer Test', phone: '3001234567' },
      }),
    });
    expect(checkout.status).toBe(201);
    const { reference } = (await checkout.json()) as { reference: string };
    const confirmed = await fetch(`${server.origin}/payu/acme/confirmation`, {
      method: 'POST',
      body: confirmationForm(
        { reference, value: '20000.00', currency: 'COP', statePol: '4' },
        { payment_method_type: '4' },
      ),
    });
    expect(confirmed.status).toBe(200);
    const merchant = (path: string, body?: unknown) =>
      fetch(`${server.origin}${path}`, {
        method: 'POST',
        headers: { 'x-auth-token': TOKEN, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const created = await merchant('/v1/merchant/returns', {
      reference,
      amount: '20000',
      reason: 'Producto devuelto',
      type: 'pending',
    });
    expect(created.status).toBe(201);
    const { id, route } = ((await created.json()) as { return: { id: string; route: string } }).return;
    expect(route).toBe('payout');
    const awaiting = server.waitForOutput('"to":"awaiting_details"');
    expect((await merchant(`/v1/merchant/returns/${id}/approve`)).status).toBe(200);
    await awaiting;
    const link = createReturnLinks(LINK_SECRET, 'http://127.0.0.1:9').url('acme', id, new Date());
    const token = new URL(link.url).pathname.split('/').pop()!;
    const given = await fetch(`${server.origin}/api/v1/merchants/acme/returns/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fullName: 'Payer Test',
        documentType: 'CC',
        documentNumber: PAYER_ID,
        bankCode: '007',
        accountType: 'CA',
        accountNumber: '2198922910000',
      }),
    });
    expect(given.status).toBe(200);
    return id;
  }

  const getReturn = async (server: ServerProcess, id: string) => {
    const res = await fetch(`${server.origin}/v1/merchant/returns/${id}`, {
      headers: { 'x-auth-token': TOKEN },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { return: { state: string }; audit: { action: string }[] };
    return { state: body.return.state, audit: body.audit };
  };

  (skip ? test.skip : test)(
    'PayU created the payout but its answer is held, the server dies: after a restart needs_review, never sent again',
    async () => {
      const { payouts, workspace, db } = await setup('hold');
      const first = await startServer(workspace);
      const id = await returnWithDetails(first);
      // PayU created the payout; its answer never comes back before the kill.
      await payouts.arrived;
      expect(payouts.sim.payouts.size).toBe(1);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const store = await db();
      // The intent was committed before PayU was called: attempt 1, sending, no PayU id.
      expect(await store.row(id)).toEqual({ state: 'sending', payment_order_id: null, attempts: 1 });
      await store.rewind(id);
      await store.close();

      const second = await startServer(workspace);
      await second.waitForOutput('"to":"needs_review"');
      const ret = await getReturn(second, id);
      expect(ret.state).toBe('needs_review');
      expect(ret.audit.filter((e) => e.action === 'payout_requested')).toHaveLength(1);
      expect(ret.audit.map((e) => e.action)).toContain('payout_outcome_unknown');
      // A second job run finds nothing to do: still one transfer at PayU.
      expect(payouts.transfers()).toBe(1);
    },
    60_000,
  );

  (skip ? test.skip : test)(
    "killed after PayU's answer was committed: after a restart PayU's notices complete it once; one transfer",
    async () => {
      const { payouts, workspace, db } = await setup('answer');
      const first = await startServer(workspace);
      // The move that records PayU's paymentOrderId (sending → sending) is logged once it committed.
      const recorded = first.waitForOutput('"from":"sending","to":"sending"');
      const id = await returnWithDetails(first);
      await recorded;
      first.child.kill('SIGKILL');
      await first.exited;

      const store = await db();
      const afterKill = await store.row(id);
      expect(afterKill).toMatchObject({ state: 'sending', attempts: 1 });
      expect(afterKill.payment_order_id).toBe([...payouts.sim.payouts.keys()][0]);
      await store.rewind(id);
      await store.close();

      const second = await startServer(workspace);
      // PayU's notices (to the restarted server) walk the payout to the bank and to paid.
      const paid = second.waitForOutput('"to":"paid"');
      for (let day = 0; day < 5; day++) {
        payouts.advance(24 * 3600_000);
        await payouts.sim.tick();
      }
      expect(payouts.notices.length).toBeGreaterThan(0);
      for (const n of payouts.notices.splice(0)) {
        const res = await fetch(`${second.origin}${new URL(n.url).pathname}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: n.body,
        });
        expect(res.status).toBe(200);
      }
      await paid;
      const ret = await getReturn(second, id);
      expect(ret.state).toBe('paid');
      expect(ret.audit.filter((e) => e.action === 'payout_requested')).toHaveLength(1);
      expect(payouts.transfers()).toBe(1);
    },
    60_000,
  );
});
