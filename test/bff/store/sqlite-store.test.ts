import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { MIGRATIONS } from '../../../bff/store/migrations';
import { PAYER_CHARGES_SQL } from '../../../bff/store/sqlite-charges';
import { createSqliteStore } from '../../../bff/store/sqlite-store';
import type { Store } from '../../../bff/store/store';
import { returnsSuite } from './returns-suite';
import { storeSuite } from './store-suite';

const dir = mkdtempSync(join(tmpdir(), 'saldo-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openFile(path: string): Promise<Store> {
  const store = createSqliteStore(path);
  await store.migrate();
  return store;
}

describe('SQLite store on a file', () => {
  storeSuite(async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = await openFile(path);
    return { store, openAnother: () => openFile(path), dispose: () => store.close() };
  });
});

describe('SQLite returns on a file', () => {
  returnsSuite(async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = await openFile(path);
    return { store, openAnother: () => openFile(path), dispose: () => store.close() };
  });
});

describe('SQLite store in memory', () => {
  storeSuite(async () => {
    const store = await openFile(':memory:');
    return { store, openAnother: null, dispose: () => store.close() };
  });
});

describe('SQLite engine specifics', () => {
  test("a payer's charges are read through the payer index, not by walking the merchant's charges", async () => {
    const path = join(dir, `${randomUUID()}.db`);
    await (await openFile(path)).close();
    const db = new Database(path, { readonly: true });
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${PAYER_CHARGES_SQL}`).all('m', '1') as {
        detail: string;
      }[];
      expect(plan.map((p) => p.detail)).toEqual([
        'SEARCH charges USING INDEX charges_payer (merchant_id=? AND payer_id_number=?)',
      ]);
    } finally {
      db.close();
    }
  });

  test('creates the parent directory and opens the file in WAL mode with every migration recorded', async () => {
    const path = join(dir, 'nested', 'deeper', 'saldo.db');
    const store = await openFile(path);
    await store.migrate();
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      db.close();
    }
  });

  test('instances starting together on one file migrate it once', async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const stores = [createSqliteStore(path), createSqliteStore(path), createSqliteStore(path)];
    await Promise.all(stores.map((s) => s.migrate()));
    await Promise.all(stores.map((s) => s.close()));
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({
        n: MIGRATIONS.length,
      });
    } finally {
      db.close();
    }
  });

  test('foreign keys are enforced', async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = await openFile(path);
    await store.close();
    // The store's own connection turns them on; a raw one proves the schema declares them.
    const db = new Database(path);
    try {
      db.pragma('foreign_keys = ON');
      expect(() =>
        db
          .prepare(
            `INSERT INTO item_holds (merchant_id, ref, reference, hold_until) VALUES ('m', 'r', 'nope', 0)`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });
});
