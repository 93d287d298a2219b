import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresStore } from '../../bff/store/postgres-store';
import { createSqliteStore } from '../../bff/store/sqlite-store';
import type { Store } from '../../bff/store/store';

/**
 * The two store engines for suites that must pass on both. PostgreSQL comes from TEST_DATABASE_URL (default:
 * this machine kind's local server); each store gets its own schema, dropped by `dropAll`. When the server is
 * unreachable the engine is reported as skipped with the reason — except under CI=true, where it must run.
 */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresUnreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
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

export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  /** Null when the engine can run; otherwise why it is skipped. */
  readonly skipReason: string | null;
  create(): Promise<Store>;
  dropAll(): Promise<void>;
}

export async function engines(): Promise<Engine[]> {
  const pgReason = await postgresUnreachable();
  if (pgReason && process.env.CI === 'true') {
    throw new Error(
      `PostgreSQL must be reachable in CI (${PG_URL.replace(/\/\/[^@/]*@/, '//')}): ${pgReason}`,
    );
  }
  const schemas: string[] = [];
  const stores: Store[] = [];
  return [
    {
      name: 'sqlite',
      skipReason: null,
      async create() {
        const s = createSqliteStore(':memory:');
        await s.migrate();
        stores.push(s);
        return s;
      },
      async dropAll() {
        await Promise.allSettled(stores.filter((s) => s.engine === 'sqlite').map((s) => s.close()));
      },
    },
    {
      name: 'postgres',
      skipReason: pgReason ? `PostgreSQL not reachable: ${pgReason}` : null,
      async create() {
        const schema = `saldo_t_${process.pid}_${randomBytes(4).toString('hex')}`;
        schemas.push(schema);
        const s = createPostgresStore(PG_URL, { schema });
        await s.migrate();
        stores.push(s);
        return s;
      },
      async dropAll() {
        await Promise.allSettled(stores.filter((s) => s.engine === 'postgres').map((s) => s.close()));
        if (schemas.length === 0) return;
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    },
  ];
}
