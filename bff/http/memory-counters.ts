/**
 * Hit counters per key for the in-memory rate limits (one instance, no REDIS_URL; decision 0005). A key's
 * window opens at its first hit and lasts `durationMs`; a hit past `points` is refused with the time left in
 * the window. These are rate-limiter-flexible's RateLimiterMemory semantics (points, duration, no block
 * duration), which the Redis limits keep.
 *
 * Why not RateLimiterMemory itself: it arms a timer per key to forget the key. The lookup limit is kept per
 * id number for 10 minutes, so every payer looked up left a Timeout, its closure and a record, ~545 B, in
 * the old generation for 10 minutes, and a full GC went from 9 to 40 ms with 50,000 of them (README
 * "Performance"). Here a key costs its entry in one Map and nothing else. Every window of one set of
 * counters lasts the same time and the clock is monotonic, so the Map's insertion order is the order in
 * which windows end: each hit forgets the ended windows at the front and stops at the first live one.
 */
export class MemoryCounters {
  readonly #windows = new Map<string, { hits: number; readonly endsAt: number }>();

  constructor(
    readonly points: number,
    readonly durationMs: number,
    /** Milliseconds on a monotonic clock. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one hit of `key`: null while within `points`, else the milliseconds until its window ends. */
  hit(key: string): { msBeforeNext: number } | null {
    const now = this.now();
    this.#forgetEnded(now);
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = { hits: 0, endsAt: now + this.durationMs };
      this.#windows.set(key, window);
    }
    window.hits++;
    return window.hits > this.points ? { msBeforeNext: window.endsAt - now } : null;
  }

  /** The hits counted for `key` in its live window and the milliseconds it has left; null when none. */
  peek(key: string): { hits: number; msBeforeNext: number } | null {
    const now = this.now();
    const window = this.#windows.get(key);
    if (window === undefined || window.endsAt <= now) return null;
    return { hits: window.hits, msBeforeNext: window.endsAt - now };
  }

  /** Keys remembered (live windows, and ended ones not yet passed by a hit). */
  get size(): number {
    return this.#windows.size;
  }

  #forgetEnded(now: number): void {
    for (const [key, window] of this.#windows) {
      if (window.endsAt > now) return;
      this.#windows.delete(key);
    }
  }
}
