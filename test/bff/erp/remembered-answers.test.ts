import { describe, expect, test } from 'vitest';
import { RememberedAnswers } from '../../../bff/erp/remembered-answers';

const bytesOf = (seed: number, length: number) =>
  Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) % 251);

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
    // Deterministic pseudo-random sequence (bounded: 2,000 writes over 12 keys into a 1,000-byte ring).
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    const answers = new RememberedAnswers(8, 1_000);
    const expected = new Map<string, number[]>();
    for (let i = 0; i < 2_000; i++) {
      const key = `k${next() % 12}`;
      const data = bytesOf(i, 1 + (next() % 400));
      answers.set(key, data, i, i + 100);
      expected.set(key, Array.from(data));
      if (i % 7 === 0) answers.trim(i);
      let held = 0;
      for (const [k, want] of expected) {
        const got = answers.get(k);
        if (!got) {
          expected.delete(k);
          continue;
        }
        held += got.bytes.byteLength;
        expect(Array.from(got.bytes)).toEqual(want);
      }
      expect(held).toBeLessThanOrEqual(1_000);
      expect(answers.get(key)).toBeDefined(); // the newest is always kept (it fits)
    }
  });
});
