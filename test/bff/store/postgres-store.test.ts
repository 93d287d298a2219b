import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MIGRATIONS } from '../../../bff/store/migrations';
import { createPostgresStore } from '../../../bff/store/postgres-store';
import type { Store } from '../../../bff/store/store';
import { returnsSuite } from './returns-suite';
import { storeSuite } from './store-suite';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const inCi = process.env.CI === 'true';

async function unreachableReason(): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const reason = await unreachableReason();
const where = url.replace(/\/\/[^@/]*@/, '//');

if (reason !== null && inCi) {
  test(`PostgreSQL at ${where} is reachable (required when CI=true)`, () => {
    throw new Error(`PostgreSQL at ${where} is not reachable: ${reason}`);
  });
}

const skipped = reason !== null && !inCi;
const label = skipped
  ? `PostgreSQL store — skipped, server not reachable at ${where}: ${reason}`
  : 'PostgreSQL store';

describe.skipIf(reason !== null)(label, () => {
  // One schema per test file: files run in parallel against the same database.
  const schema = `saldo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let admin: pg.Pool;
  const open: Store[] = [];

  async function openStore(name = schema): Promise<Store> {
    const store = createPostgresStore(url, { schema: name });
    open.push(store);
    await store.migrate();
    return store;
  }

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
    await openStore();
  });

  afterAll(async () => {
    await Promise.allSettled(open.map((s) => s.close()));
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  describe('behaviour', () => {
    storeSuite(async () => {
      await admin.query(
        `TRUNCATE ${[
          'collection_contacts',
          'notifications',
          'charges',
          'outbox',
          'payu_transactions',
          'item_holds',
          'checkout_items',
          'checkouts',
        ]
          .map((t) => `${schema}.${t}`)
          .join(', ')} RESTART IDENTITY CASCADE`,
      );
      const store = await openStore();
      return { store, openAnother: () => openStore(), dispose: () => store.close() };
    });
    returnsSuite(async () => {
      const store = await openStore();
      return { store, openAnother: () => openStore(), dispose: () => store.close() };
    });
  });

  describe('engine specifics', () => {
    test('every migration is recorded once', async () => {
      const rows = await admin.query(
        `SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`,
      );
      expect(rows.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    });

    test('instances starting together on a fresh schema migrate it once', async () => {
      const fresh = `${schema}_fresh`;
      try {
        const stores = Array.from({ length: 4 }, () => createPostgresStore(url, { schema: fresh }));
        open.push(...stores);
        await Promise.all(stores.map((s) => s.migrate()));
        const count = await admin.query(`SELECT COUNT(*)::int AS n FROM ${fresh}.schema_migrations`);
        expect(count.rows[0]).toEqual({ n: MIGRATIONS.length });
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
      }
    });

    test('a schema name that is not a plain identifier is refused', () => {
      expect(() => createPostgresStore(url, { schema: 'x; DROP TABLE y' })).toThrow(
        /invalid PostgreSQL schema name/,
      );
    });

    test('ping answers false when the server cannot be reached', async () => {
      const store = createPostgresStore('postgres://postgres@127.0.0.1:1/test');
      try {
        expect(await store.ping()).toBe(false);
      } finally {
        await store.close();
      }
    });
  });
});
