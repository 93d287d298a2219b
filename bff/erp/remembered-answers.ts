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
    /** The ring's size: the remembered answers' bytes together never exceed it. */
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.slots.size;
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
    this.ring ??= Buffer.allocUnsafeSlow(this.capacity);
    const wraps = this.head + length > this.capacity;
    const start = wraps ? 0 : this.head;
    const end = start + length;
    const from = this.head;
    // Oldest first: the answers in the way are the oldest ones (when wrapping, also those between the
    // newest answer's end and the ring's end, which this write skips).
    for (const [k, s] of this.slots) {
      const inTheWay = wraps ? s.start >= from || s.start < end : s.start < end && s.start + s.length > start;
      if (!inTheWay) break;
      this.slots.delete(k);
    }
    this.ring.set(bytes, start);
    this.head = end;
    this.slots.set(key, { start, length, at, keepUntil });
  }

  /** Forgets the oldest answers beyond the count bound, and those expired at `now` up to the first that is not. */
  trim(now: number): void {
    for (const [k, s] of this.slots) {
      if (this.slots.size <= this.maxEntries && s.keepUntil >= now) break;
      this.slots.delete(k);
    }
  }
}
