import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createLogStream } from '../../../bff/observability/log-stream';
import { createLogger } from '../../../bff/observability/logger';

/** A destination whose writes complete only when the test says so (a reader that stopped reading). */
function stalled() {
  const pending: (() => void)[] = [];
  const chunks: string[] = [];
  const out = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      pending.push(() => cb());
    },
  });
  return { out, chunks, release: () => pending.splice(0).forEach((cb) => cb()) };
}

test('a destination that fails with EPIPE breaks the stream, not the process: later lines are dropped', async () => {
  const out = new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  const stream = createLogStream(out);
  const logger = createLogger({ destination: stream });
  logger.info('first');
  await new Promise((r) => out.once('error', r));
  expect(stream.broken).toBe(true);
  logger.info('second');
  logger.info('third');
  expect(stream.dropped).toBe(2);
  // Draining a broken stream does not wait for anything.
  await stream.drain(60_000);
});

test('a synchronous destination that throws (a full disk) breaks the stream instead of throwing into the caller', () => {
  const out = new Writable({ write: () => undefined });
  out.write = () => {
    throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
  };
  const stream = createLogStream(out);
  expect(() => stream.write('{"msg":"x"}\n')).not.toThrow();
  expect(stream.broken).toBe(true);
});

test('a stalled reader: lines queue up to the bound, then are dropped and counted; drain waits for the queue', async () => {
  const dest = stalled();
  const stream = createLogStream(dest.out, { maxBufferedBytes: 100 });
  const line = `${'x'.repeat(49)}\n`;
  for (let i = 0; i < 5; i++) stream.write(line);
  // 50 + 50 + 50 bytes queued: the third line crossed the bound, the fourth and fifth were dropped.
  expect(dest.out.writableLength).toBe(150);
  expect(stream.dropped).toBe(2);

  let drained = false;
  const drain = stream.drain(60_000).then(() => (drained = true));
  await Promise.resolve();
  expect(drained).toBe(false);
  while (dest.out.writableLength > 0) {
    dest.release();
    await new Promise((r) => setImmediate(r));
  }
  await drain;
  expect(dest.chunks.join('')).toBe(line.repeat(3));
});

test('drain gives up after its time limit when the reader never reads', async () => {
  const dest = stalled();
  const stream = createLogStream(dest.out);
  stream.write('{"msg":"bye"}\n');
  await stream.drain(1);
  expect(dest.out.writableLength).toBeGreaterThan(0);
  expect(stream.broken).toBe(false);
});
