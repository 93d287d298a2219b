import { describe, expect, test } from 'vitest';
import { RememberedAnswers } from '../../../bff/erp/remembered-answers';

const bytesOf = (seed: number, length: number) =>
  Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) % 251);

/**
 * 2,000 writes of pseudo-random keys and sizes (a deterministic sequence from `seed`: bounded), trimmed every
 * `trimEvery` writes. After each write every answer still remembered reads back exactly, together they take at
 * most `capacity` bytes, and the newest is kept (it fits). `step` adds a test's own checks after each write,
 * given the count held before it (the replaced key not counted). Returns how many answers were forgotten.
 */
function writeAtRandom(
  answers: RememberedAnswers,
  o: {
    seed: number;
    keys: number;
    maxLength: number;
    keepMs: number;
    trimEvery: number;
    capacity: number;
    step?: (i: number, before: number) => void;
  },
): number {
  let x = o.seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  const expected = new Map<string, number[]>();
  let lost = 0;
  for (let i = 0; i < 2_000; i++) {
    const key = `k${next() % o.keys}`;
    const data = bytesOf(i, 1 + (next() % o.maxLength));
    const before = answers.size - (expected.has(key) ? 1 : 0);
    answers.set(key, data, i, i + o.keepMs);
    expected.set(key, Array.from(data));
    if (i % o.trimEvery === 0) answers.trim(i);
    let held = 0;
    for (const [k, want] of expected) {
      const got = answers.get(k);
      if (!got) {
        expected.delete(k);
        lost++;
        continue;
      }
      held += got.bytes.byteLength;
      expect(Array.from(got.bytes)).toEqual(want);
    }
    expect(held).toBeLessThanOrEqual(o.capacity);
    expect(answers.get(key)).toBeDefined();
    o.step?.(i, before);
  }
  return lost;
}

describe('RememberedAnswers', () => {
  test('an answer comes back byte for byte, with its times; a copy is kept, not the caller’s buffer', () => {
    const answers = new RememberedAnswers(10, 100);
    const given = bytesOf(1, 40);
    answers.set('a', given, 1_000, 61_000);
    given.fill(0);
    const got = answers.get('a');
    expect(got && Array.from(got.bytes)).toEqual(Array.from(bytesOf(1, 40)));
    expect(got).toMatchObject({ at: 1_000, keepUntil: 61_000 });
    expect(answers.get('b')).toBeUndefined();
  });

  test('the oldest answers make room; an answer larger than the ring is not kept', () => {
    const answers = new RememberedAnswers(10, 100);
    answers.set('a', bytesOf(1, 40), 0, 10);
    answers.set('b', bytesOf(2, 40), 0, 10);
    answers.set('c', bytesOf(3, 30), 0, 10); // does not fit after b: written at the start, over a
    expect(answers.get('a')).toBeUndefined();
    expect(Array.from(answers.get('b')!.bytes)).toEqual(Array.from(bytesOf(2, 40)));
    expect(Array.from(answers.get('c')!.bytes)).toEqual(Array.from(bytesOf(3, 30)));
    answers.set('huge', bytesOf(4, 101), 0, 10);
    expect(answers.get('huge')).toBeUndefined();
    expect(answers.size).toBe(2);
  });

  test('trim forgets beyond the count and what has expired, oldest first', () => {
    const answers = new RememberedAnswers(2, 1_000);
    answers.set('a', bytesOf(1, 10), 0, 5);
    answers.set('b', bytesOf(2, 10), 0, 50);
    answers.set('c', bytesOf(3, 10), 0, 50);
    answers.trim(10);
    expect(answers.get('a')).toBeUndefined();
    expect(answers.size).toBe(2);
    answers.delete('b');
    expect(answers.get('b')).toBeUndefined();
    expect(answers.get('c')).toBeDefined();
  });

  test('whatever the sizes and order of writes, every answer still remembered reads back exactly', () => {
    // 12 keys, answers of up to 400 bytes, into a 1,000-byte ring.
    const answers = new RememberedAnswers(8, 1_000);
    writeAtRandom(answers, {
      seed: 12345,
      keys: 12,
      maxLength: 400,
      keepMs: 100,
      trimEvery: 7,
      capacity: 1_000,
    });
  });
});

describe('RememberedAnswers growing its ring', () => {
  test('with room under the count, the ring grows instead of forgetting; it stops at the byte bound', () => {
    const answers = new RememberedAnswers(8, 1_000, 100);
    for (let i = 0; i < 8; i++) answers.set(`k${i}`, bytesOf(i, 60), i, 1_000);
    // 8 × 60 bytes: the 100-byte ring doubled to 200, 400, then 800; nothing was forgotten.
    expect(answers.size).toBe(8);
    expect(answers.ringBytes).toBe(800);
    for (let i = 0; i < 8; i++)
      expect(Array.from(answers.get(`k${i}`)!.bytes)).toEqual(Array.from(bytesOf(i, 60)));
    // At the count bound the oldest goes, as before: no growth.
    answers.set('k8', bytesOf(8, 60), 8, 1_000);
    answers.trim(8);
    expect(answers.ringBytes).toBe(800);
    expect(answers.get('k0')).toBeUndefined();
    expect(answers.size).toBe(8);
    // Answers that together exceed the byte bound: the ring grows to the bound and the oldest go.
    const big = new RememberedAnswers(8, 1_000, 100);
    for (let i = 0; i < 8; i++) big.set(`b${i}`, bytesOf(i, 300), i, 1_000);
    expect(big.ringBytes).toBe(1_000);
    expect(big.size).toBe(3);
    for (let i = 5; i < 8; i++)
      expect(Array.from(big.get(`b${i}`)!.bytes)).toEqual(Array.from(bytesOf(i, 300)));
  });

  test('an answer larger than the ring so far is kept when it fits the bound', () => {
    const answers = new RememberedAnswers(8, 1_000, 100);
    answers.set('a', bytesOf(1, 50), 0, 10);
    answers.trim(20); // expired: the ring is empty
    answers.set('large', bytesOf(2, 700), 20, 100);
    expect(Array.from(answers.get('large')!.bytes)).toEqual(Array.from(bytesOf(2, 700)));
    expect(answers.ringBytes).toBeGreaterThanOrEqual(700);
  });

  test('whatever the sizes and order of writes, a growing ring reads every remembered answer back exactly', () => {
    const answers = new RememberedAnswers(10, 4_000, 64);
    const lost = writeAtRandom(answers, {
      seed: 777,
      keys: 14,
      maxLength: 500,
      keepMs: 150,
      trimEvery: 5,
      capacity: 4_000,
      step: (i, before) => {
        expect(answers.ringBytes).toBeLessThanOrEqual(4_000);
        // Below the byte bound and the count, a write never forgets an answer it did not replace.
        if (answers.ringBytes < 4_000 && before < 10 && i % 5 !== 0) expect(answers.size).toBe(before + 1);
      },
    });
    expect(lost).toBeGreaterThan(0);
  });
});
