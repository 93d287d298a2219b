import pino, { type Logger } from 'pino';
import { createLogStream } from './log-stream';
import { currentRequestId } from './request-context';

export type { Logger };

/**
 * Structured JSON logs. Personal data never reaches them: callers log merchant ids, counts, codes and
 * references only; the redact list is a second line of defence for fields that must never appear.
 * Without a destination, lines go to stdout through a log stream that can fail without blocking or
 * crashing the process (log-stream.ts), never through pino's default synchronous-on-exit destination.
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      // Lines logged while serving a request carry its id (the one echoed in X-Request-Id).
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
      redact: {
        paths: [
          'idNumber',
          '*.idNumber',
          'id_number',
          '*.id_number',
          'payerName',
          '*.payerName',
          'email',
          '*.email',
          'payer_name',
          '*.payer_name',
          'fullName',
          '*.fullName',
          'phone',
          '*.phone',
          'buyer',
          '*.buyer',
          'token',
          '*.token',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    options.destination ?? createLogStream(),
  );
}

export function createSilentLogger(): Logger {
  return pino({ level: 'silent' }, { write: () => undefined });
}
