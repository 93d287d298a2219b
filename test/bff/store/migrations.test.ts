import { expect, test } from 'vitest';
import { MIGRATIONS, pendingMigrations } from '../../../bff/store/migrations';

test('migration versions are unique, positive and listed in order', () => {
  const versions = MIGRATIONS.map((m) => m.version);
  expect(versions.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  for (const m of MIGRATIONS) {
    expect(m.sqlite.trim()).not.toBe('');
    expect(m.postgres.trim()).not.toBe('');
  }
});

test('pendingMigrations lists what a database lacks, in order, and ignores versions it does not know', () => {
  const list = [
    { version: 2, name: 'two', sqlite: 'x', postgres: 'x' },
    { version: 1, name: 'one', sqlite: 'x', postgres: 'x' },
    { version: 3, name: 'three', sqlite: 'x', postgres: 'x' },
  ];
  expect(pendingMigrations(new Set(), list).map((m) => m.version)).toEqual([1, 2, 3]);
  expect(pendingMigrations(new Set([1, 3]), list).map((m) => m.version)).toEqual([2]);
  expect(pendingMigrations(new Set([1, 2, 3, 4]), list)).toEqual([]);
});
