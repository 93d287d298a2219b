import { describe, expect, test } from 'vitest';
import { InFlight } from '../../../bff/process/in-flight';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  test('a flight is found by its key while it runs and is gone once it settles', async () => {
    const flights = new InFlight<number>();
    const d = deferred<number>();
    expect(flights.track('a', d.promise)).toBe(d.promise);
    expect(flights.get('a')).toBe(d.promise);
    expect(flights.get('b')).toBeUndefined();
    d.resolve(1);
    await d.promise;
    await Promise.resolve();
    expect(flights.get('a')).toBeUndefined();
  });

  test('a rejected flight is removed too, and the rejection stays the caller’s', async () => {
    const flights = new InFlight<number>();
    const d = deferred<number>();
    const tracked = flights.track('a', d.promise);
    d.reject(new Error('boom'));
    await expect(tracked).rejects.toThrow('boom');
    await Promise.resolve();
    expect(flights.get('a')).toBeUndefined();
  });

  test('an older flight settling leaves a newer flight of the same key in place', async () => {
    const flights = new InFlight<number>();
    const older = deferred<number>();
    const newer = deferred<number>();
    flights.track('k', older.promise);
    flights.track('k', newer.promise);
    older.resolve(1);
    await older.promise;
    await Promise.resolve();
    expect(flights.get('k')).toBe(newer.promise);
  });

  test('keys that name Object.prototype members are ordinary keys', () => {
    const flights = new InFlight<number>();
    expect(flights.get('constructor')).toBeUndefined();
    expect(flights.get('__proto__')).toBeUndefined();
    const d = deferred<number>();
    flights.track('__proto__', d.promise);
    expect(flights.get('__proto__')).toBe(d.promise);
  });
});
