import type { Writable } from 'node:stream';

/**
 * Where the server's log lines go: `process.stdout`, wrapped so that logging can fail without taking the
 * process with it (issue 17).
 *
 * pino's default destination (sonic-boom on fd 1) registers an exit hook that flushes synchronously, and its
 * synchronous flush retries a failed write forever: with the log reader gone (EPIPE) `process.exit()` never
 * returned and the forced-exit timer could not run. `process.stdout` on Linux writes to pipes asynchronously
 * (libuv, non-blocking) and has no exit hook, so this stream adds only what is missing:
 * - an error (EPIPE when the reader went away, EBADF, ENOSPC on a file) marks the stream broken; later lines
 *   are dropped instead of crashing the process with an unhandled 'error';
 * - a reader that stops reading makes lines queue in memory up to `maxBufferedBytes`, then they are dropped
 *   (counted), so a stalled pipe costs neither the event loop nor unbounded memory;
 * - `drain()` waits, bounded, for the queue to reach the OS, so "bye" is written before a clean exit.
 */
export interface LogStream {
  /** pino's DestinationStream. */
  write(line: string): void;
  /** Resolves when every accepted line was handed to the OS, the stream broke, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  /** Lines not written because the stream broke or its queue was full. */
  readonly dropped: number;
  readonly broken: boolean;
}

export function createLogStream(
  out: Writable = process.stdout,
  options: { maxBufferedBytes?: number } = {},
): LogStream {
  const maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  let broken = false;
  let dropped = 0;
  // Kept for the life of the process: an error emitted without a listener would be thrown.
  out.on('error', () => {
    broken = true;
  });
  return {
    write(line) {
      if (broken || out.destroyed || out.writableLength > maxBufferedBytes) {
        dropped += 1;
        return;
      }
      try {
        out.write(line);
      } catch {
        // A synchronous destination (a file, a TTY) throws its write errors instead of emitting them.
        broken = true;
        dropped += 1;
      }
    },
    drain(timeoutMs) {
      if (broken || out.destroyed || out.writableLength === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          out.off('drain', done);
          out.off('error', done);
          out.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        timer.unref();
        out.on('drain', done);
        out.on('error', done);
        out.on('close', done);
      });
    },
    get dropped() {
      return dropped;
    },
    get broken() {
      return broken;
    },
  };
}
