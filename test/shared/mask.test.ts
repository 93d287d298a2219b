import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { maskName } from '../../shared/mask';

describe('maskName', () => {
  test('"efipay" is shown as "Ef****" (docs/spec/http-api.md maskedName)', () => {
    expect(maskName('efipay')).toBe('Ef****');
  });

  test.each([
    ['juan pérez', 'Ju** Pé***'],
    ['  Ángela   María  ', 'Án**** Ma***'],
    ['ana', 'An*'],
  ])('%j is shown as %j', (name, expected) => {
    expect(maskName(name)).toBe(expected);
  });

  test.each([[null], [''], ['   ']])('%j has no masked name', (name) => {
    expect(maskName(name)).toBeNull();
  });

  test('no word is ever shown whole, and at most two letters of each word are revealed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-ZáéíóúñÁÉÍÓÚÑü' -]{0,60}$/), (name) => {
        const masked = maskName(name);
        if (masked === null) {
          expect(name.trim()).toBe('');
          return;
        }
        const words = masked.split(' ');
        expect(words.length).toBeLessThanOrEqual(4);
        for (const word of words) {
          const visible = Array.from(word.replace(/\*+$/, ''));
          expect(word.endsWith('*')).toBe(true);
          expect(visible.length).toBeGreaterThanOrEqual(1);
          expect(visible.length).toBeLessThanOrEqual(2);
        }
      }),
    );
  });
});
