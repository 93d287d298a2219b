/**
 * The ERP answers the cached client remembers (its 2 s answer cache and its stale-if-error fallback), as raw
 * bytes copied into one ring buffer allocated once, not one Buffer per answer.
 *
 * Why a ring: each remembered answer outlives a few young-generation GCs, so one ArrayBuffer per answer was
 * promoted and freed only by mark-compact GCs, whose count followed the churn (every lookup of a new payer
 * remembers one). Measured at 300 lookups/s (issue 11): 22 mark-compacts in 20 s and a p99 of ~35 ms with a
 * Buffer per answer; 5 and ~5 ms with this ring (3 and ~6–7 ms with no cache at all).
 *
 * Space is taken in order and the oldest answers go first: an answer is written after the newest one (or at
 * the start when it does not fit before the end) and every older answer whose bytes lie where it goes is
 * forgotten. The map's insertion order is that age order, since every write re-inserts its key.
 *
 * The ring starts small and doubles, up to `capacity`, whenever a write would forget an answer while fewer
 * than `maxEntries` are held (the ring, not the count, was in the way): it settles at what the answers kept
 * take (8 MiB for the default 200 answers of 33 KB, not the 32 MiB bound). Each page of the ring is touched
 * for the first time by a write, and on this VM that is expensive: with a 32 MiB ring allocated whole, the
 * writes of the first ~1,100 answers after a start took ~116 µs each (~8 page faults each), later ones ~4 µs
 * (issue 11). The BFF's resident memory is ~15 MB lower with the growing ring.
 */
export interface Remembered {
  /** A view into the ring: valid until the entry is forgotten; copy it to keep it longer. */
  readonly bytes: Uint8Array;
  readonly at: number;
  readonly keepUntil: number;
}

interface Slot {
  readonly start: number;
  readonly length: number;
  readonly at: number;
  readonly keepUntil: number;
}

export class RememberedAnswers {
  private ring: Buffer | null = null;
  private head = 0;
  private readonly slots = new Map<string, Slot>();

  constructor(
    /** At most this many answers. */
    private readonly maxEntries: number,
    /** The ring's largest size: the remembered answers' bytes together never exceed it. */
    private readonly capacity: number,
    /** The ring's first size (it grows from there, see above). */
    private readonly initialBytes = 1024 * 1024,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** The ring's current size in bytes (0 before the first answer). */
  get ringBytes(): number {
    return this.ring?.byteLength ?? 0;
  }

  get(key: string): Remembered | undefined {
    const slot = this.slots.get(key);
    if (!slot || !this.ring) return undefined;
    return {
      bytes: this.ring.subarray(slot.start, slot.start + slot.length),
      at: slot.at,
      keepUntil: slot.keepUntil,
    };
  }

  delete(key: string): void {
    this.slots.delete(key);
  }

  clear(): void {
    this.slots.clear();
    this.ring = null;
    this.head = 0;
  }

  /** Remembers a copy of `bytes` (nothing when they exceed the ring); forgets what must go to make room. */
  set(key: string, bytes: Uint8Array, at: number, keepUntil: number): void {
    this.slots.delete(key);
    const length = bytes.byteLength;
    if (length > this.capacity) return;
    this.ring ??= Buffer.allocUnsafeSlow(Math.min(this.capacity, Math.max(this.initialBytes, length)));
    const small = this.ring.byteLength < this.capacity;
    if (
      small &&
      (length > this.ring.byteLength || (this.slots.size < this.maxEntries && this.mustForget(length)))
    ) {
      this.grow(length);
    }
    const { start, end } = this.placeOf(length);
    // Oldest first: the answers in the way are the oldest ones.
    for (const [k, s] of this.slots) {
      if (!this.inTheWay(s, length)) break;
      this.slots.delete(k);
    }
    this.ring.set(bytes, start);
    this.head = end;
    this.slots.set(key, { start, length, at, keepUntil });
  }

  /** Where the next `length` bytes go: after the newest answer, or at the start when they do not fit there. */
  private placeOf(length: number): { start: number; end: number; wraps: boolean } {
    const wraps = this.head + length > (this.ring?.byteLength ?? 0);
    const start = wraps ? 0 : this.head;
    return { start, end: start + length, wraps };
  }

  /**
   * Whether the next `length` bytes would overwrite answer `s` (when wrapping, also an answer between the
   * newest answer's end and the ring's end, which the write skips).
   */
  private inTheWay(s: Slot, length: number): boolean {
    const { start, end, wraps } = this.placeOf(length);
    return wraps ? s.start >= this.head || s.start < end : s.start < end && s.start + s.length > start;
  }

  /** Whether writing `length` bytes now would forget a remembered answer (the oldest is the first in the way). */
  private mustForget(length: number): boolean {
    const oldest = this.slots.values().next();
    return !oldest.done && this.inTheWay(oldest.value, length);
  }

  /** A ring twice as large (or as large as needed, at most `capacity`), the answers copied in age order. */
  private grow(length: number): void {
    const old = this.ring!;
    let held = length;
    for (const s of this.slots.values()) held += s.length;
    const size = Math.min(this.capacity, Math.max(old.byteLength * 2, held));
    const ring = Buffer.allocUnsafeSlow(size);
    let head = 0;
    for (const [key, s] of this.slots) {
      // An answer that no longer fits (only when `capacity` was reached) is forgotten, oldest first.
      if (held > size) {
        held -= s.length;
        this.slots.delete(key);
        continue;
      }
      old.copy(ring, head, s.start, s.start + s.length);
      this.slots.set(key, { ...s, start: head });
      head += s.length;
    }
    this.ring = ring;
    this.head = head;
  }

  /** Forgets the oldest answers beyond the count bound, and those expired at `now` up to the first that is not. */
  trim(now: number): void {
    for (const [k, s] of this.slots) {
      if (this.slots.size <= this.maxEntries && s.keepUntil >= now) break;
      this.slots.delete(k);
    }
  }
}
