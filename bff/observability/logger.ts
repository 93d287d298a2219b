import pino, { type Logger } from 'pino';
import { createLogStream } from './log-stream';

export type { Logger };

/** Keys whose value never reaches a log line, at the top of a logged object or one level down. */
const REDACTED_KEYS = new Set([
  'idNumber',
  'id_number',
  'payerName',
  'payer_name',
  'email',
  'fullName',
  'phone',
  'buyer',
  'token',
]);
const CENSOR = '[redacted]';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One level of `obj` with the redacted keys censored (`extra` too); `obj` itself when nothing matched. */
function censorLevel(obj: Record<string, unknown>, extra: string | null): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key in obj) {
    if (!REDACTED_KEYS.has(key) && key !== extra) continue;
    out ??= { ...obj };
    out[key] = CENSOR;
  }
  return out ?? obj;
}

/**
 * The second line of defence: what pino's `redact` list did (`x`, `*.x` and `headers.authorization`), but
 * without its cost. pino's redaction re-parses every path and clones on each line (18 KB allocated per
 * request log line, README "Performance"); this reads the keys of the line and of its direct child objects
 * and copies only an object that holds one of them, never the caller's.
 */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  let out = censorLevel(obj, null);
  for (const key in out) {
    const value = out[key];
    if (!isRecord(value) || value instanceof Error) continue;
    const censored = censorLevel(value, key === 'headers' ? 'authorization' : null);
    if (censored === value) continue;
    if (out === obj) out = { ...obj };
    out[key] = censored;
  }
  return out;
}

/**
 * Structured JSON logs. Personal data never reaches them: callers log merchant ids, counts, codes and
 * references only; `redactLogObject` is a second line of defence for fields that must never appear.
 * Without a destination, lines go to stdout through a log stream that can fail without blocking or
 * crashing the process (log-stream.ts), never through pino's default synchronous-on-exit destination.
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      // Lines logged while serving a request go through its child logger, which carries its id
      // (observability/request-log.ts).
      formatters: { log: redactLogObject },
    },
    options.destination ?? createLogStream(),
  );
}

export function createSilentLogger(): Logger {
  return pino({ level: 'silent' }, { write: () => undefined });
}
