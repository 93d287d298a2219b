import fc from 'fast-check';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { MemoryCounters } from '../../../bff/http/memory-counters';

/** A clock the test moves (milliseconds, never backwards). */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('MemoryCounters', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a key gets `points` hits per window; the next is refused with the time left in its window', () => {
    const t = clock();
    const counters = new MemoryCounters(3, 60_000, t.now);
    expect(counters.hit('a')).toBeNull();
    t.advance(10_000);
    expect(counters.hit('a')).toBeNull();
    expect(counters.hit('a')).toBeNull();
    expect(counters.hit('a')).toEqual({ msBeforeNext: 50_000 });
    // Other keys have windows of their own.
    expect(counters.hit('b')).toBeNull();
    expect(counters.peek('a')).toEqual({ hits: 4, msBeforeNext: 50_000 });
    // The window opened at the first hit: it ends 60 s after it, and then the key starts afresh.
    t.advance(49_999);
    expect(counters.hit('a')).toEqual({ msBeforeNext: 1 });
    t.advance(1);
    expect(counters.peek('a')).toBeNull();
    expect(counters.hit('a')).toBeNull();
    expect(counters.peek('a')).toEqual({ hits: 1, msBeforeNext: 60_000 });
  });

  test('ended windows are forgotten by later hits, so memory holds only live keys', () => {
    const t = clock();
    const counters = new MemoryCounters(10, 1_000, t.now);
    for (let i = 0; i < 500; i++) {
      counters.hit(`id-${i}`);
      t.advance(10);
    }
    // 500 keys, one every 10 ms over 5 s: only those of the last second are live.
    expect(counters.size).toBeLessThanOrEqual(101);
    expect(counters.peek('id-0')).toBeNull();
    expect(counters.peek('id-499')).toEqual({ hits: 1, msBeforeNext: 990 });
  });

  test('nothing is left behind to keep the process busy or alive (no timer per key)', () => {
    vi.useFakeTimers();
    const counters = new MemoryCounters(5, 600_000);
    for (let i = 0; i < 100; i++) counters.hit(`id-${i}`);
    expect(vi.getTimerCount()).toBe(0);
    expect(counters.size).toBe(100);
  });

  test('agrees with rate-limiter-flexible RateLimiterMemory on every hit (random keys and pauses)', async () => {
    // The library's limiter reads Date.now(): both run on the same faked clock.
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ key: fc.constantFrom('a', 'b', 'c'), pause: fc.integer({ min: 0, max: 700 }) }),
          {
            maxLength: 60,
          },
        ),
        async (steps) => {
          const points = 4;
          const durationSeconds = 1;
          const ours = new MemoryCounters(points, durationSeconds * 1000, () => Date.now());
          const theirs = new RateLimiterMemory({ points, duration: durationSeconds });
          for (const { key, pause } of steps) {
            vi.advanceTimersByTime(pause);
            const mine = ours.hit(key);
            const verdict = await theirs.consume(key).then(
              () => null,
              (r: unknown) => {
                if (!(r instanceof RateLimiterRes)) throw r;
                return { msBeforeNext: r.msBeforeNext };
              },
            );
            expect(mine).toEqual(verdict);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
