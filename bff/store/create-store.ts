import { createPostgresStore, type PostgresStoreOptions } from './postgres-store';
import { createSqliteStore } from './sqlite-store';
import type { Store } from './store';

export const DEFAULT_SQLITE_PATH = './data/saldo.db';

/**
 * The store named by DATABASE_URL: absent (or empty) or `sqlite:<path>` → the embedded SQLite file,
 * `postgres://` or `postgresql://` → PostgreSQL. The caller runs `migrate()` before serving.
 */
export function createStore(
  databaseUrl: string | undefined,
  postgresOptions: PostgresStoreOptions = {},
): Store {
  const url = databaseUrl?.trim() ?? '';
  if (url === '') return createSqliteStore(DEFAULT_SQLITE_PATH);
  if (url.startsWith('sqlite:')) return createSqliteStore(sqlitePath(url));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return createPostgresStore(url, postgresOptions);
  // Never echo the URL: it may carry a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `DATABASE_URL: unsupported scheme${scheme ? ` "${scheme}:"` : ''}; use sqlite:<path>, postgres:// or postgresql://`,
  );
}

/** `sqlite:data/x.db`, `sqlite:./x.db`, `sqlite:/abs/x.db`, `sqlite:///abs/x.db`, `sqlite::memory:`. */
export function sqlitePath(url: string): string {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  return path === '' ? DEFAULT_SQLITE_PATH : path;
}
