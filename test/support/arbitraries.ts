import fc from 'fast-check';

/**
 * Any code point, lone surrogates included: what `fc.string({ unit: 'binary' })` draws, without its set-up.
 * Building fast-check's 'binary' unit costs about 4 s per test file on the busy 2-core machine (once per
 * file, before the first run), which no numRuns bound can shorten; this unit is built in a millisecond.
 */
export const anyCodePoint: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((n) => String.fromCodePoint(n));
