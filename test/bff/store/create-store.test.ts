import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, DEFAULT_SQLITE_PATH, sqlitePath } from '../../../bff/store/create-store';

const dir = mkdtempSync(join(tmpdir(), 'saldo-create-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ['sqlite:./data/x.db', './data/x.db'],
  ['sqlite:data/x.db', 'data/x.db'],
  ['sqlite:/var/lib/saldo.db', '/var/lib/saldo.db'],
  ['sqlite:///var/lib/saldo.db', '/var/lib/saldo.db'],
  ['sqlite::memory:', ':memory:'],
  ['sqlite:', DEFAULT_SQLITE_PATH],
])('sqlitePath(%s) is %s', (url, path) => {
  expect(sqlitePath(url)).toBe(path);
});

test('sqlite: URLs open the SQLite engine', async () => {
  const store = createStore(`sqlite:${join(dir, 'a', 'saldo.db')}`);
  try {
    expect(store.engine).toBe('sqlite');
    await store.migrate();
    expect(await store.ping()).toBe(true);
  } finally {
    await store.close();
  }
});

test.each(['postgres://u@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db'])(
  '%s opens the PostgreSQL engine without connecting yet',
  async (url) => {
    const store = createStore(url);
    expect(store.engine).toBe('postgres');
    await store.close();
  },
);

test('an unknown scheme is refused with a clear message that does not echo the URL', () => {
  expect(() => createStore('mysql://root:s3cret@db/saldo')).toThrow(
    'DATABASE_URL: unsupported scheme "mysql:"; use sqlite:<path>, postgres:// or postgresql://',
  );
  expect(() => createStore('./saldo.db')).toThrow(/unsupported scheme;/);
});
