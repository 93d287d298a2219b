import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server that keeps what it receives (smtp-server + mailparser): the embedded demo's mailbox
 * (/demo/mail) and the tests' real SMTP peer. Loopback only, no TLS, no auth, bounded memory.
 * Recipients at `bounce.invalid` are refused with 550, so the demo and tests can show a permanent failure.
 */
export interface CapturedMail {
  readonly id: number;
  readonly receivedAt: Date;
  readonly envelopeTo: readonly string[];
  readonly messageId: string | null;
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly html: string;
  readonly text: string;
  readonly headers: ReadonlyMap<string, unknown>;
}

export interface CaptureServer {
  readonly port: number;
  readonly messages: readonly CapturedMail[];
  /** Resolves when at least `count` messages have arrived in total. */
  waitFor(count: number): Promise<readonly CapturedMail[]>;
  close(): Promise<void>;
}

export const BOUNCE_DOMAIN = 'bounce.invalid';

export async function startCaptureServer(
  options: { port?: number; keep?: number } = {},
): Promise<CaptureServer> {
  const keep = options.keep ?? 200;
  const messages: CapturedMail[] = [];
  let received = 0;
  let waiters: { count: number; resolve: () => void }[] = [];
  let nextId = 1;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().endsWith(`@${BOUNCE_DOMAIN}`)) {
        const err = new Error('mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed: ParsedMail) => {
          messages.push({
            id: nextId++,
            receivedAt: new Date(),
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            messageId: parsed.messageId ?? null,
            subject: parsed.subject ?? '',
            from: parsed.from?.text ?? '',
            to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? ''),
            html: typeof parsed.html === 'string' ? parsed.html : '',
            text: parsed.text ?? '',
            headers: parsed.headers,
          });
          if (messages.length > keep) messages.shift();
          received++;
          const ready = waiters.filter((w) => received >= w.count);
          waiters = waiters.filter((w) => received < w.count);
          for (const w of ready) w.resolve();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    messages,
    waitFor(count) {
      if (received >= count) return Promise.resolve(messages);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(messages) }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
