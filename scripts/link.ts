import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { normalizeIdNumber } from '../shared/id-number';
import { createLinkSealer, DEFAULT_LINK_DAYS, MAX_LINK_DAYS } from '../bff/links/link-token';
import { buildStatementLink } from '../bff/links/statement-link';
import { cliConfig, cliMerchant } from './cli-config';

/**
 * `npm run link -- --merchant demo --id 12345678 [--ref 1234567] [--days 30]`: prints a statement link
 * (docs/spec/channels.md). It seals the token locally with the config's linkSecret, so no server has to run; the
 * config is SALDO_CONFIG, or the built-in demo with the server's PUBLIC_URL / HOST / PORT defaults.
 */
const USAGE = `Usage: npm run link -- --merchant <id> --id <id number> [--ref <ref>] [--days <1-${MAX_LINK_DAYS}>]

Prints a signed, expiring statement link (default ${DEFAULT_LINK_DAYS} days).
Config: SALDO_CONFIG=<path>, or the built-in demo config (PUBLIC_URL, HOST, PORT).`;

export interface LinkCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now?: () => Date;
}

/** Returns the process exit code: 0 done, 1 bad configuration, 2 bad usage. */
export function main(argv: readonly string[], io: LinkCliIo): number {
  let values: { merchant?: string; id?: string; ref?: string; days?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        merchant: { type: 'string', short: 'm' },
        id: { type: 'string' },
        ref: { type: 'string' },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.merchant) return usageError(io, '--merchant is required');
  if (values.id === undefined) return usageError(io, '--id is required');
  const id = normalizeIdNumber(values.id);
  if (!id.ok) {
    return usageError(
      io,
      id.reason === 'check_digit'
        ? '--id: the NIT check digit does not match'
        : '--id must have 5 to 15 digits (dots, spaces and commas are ignored), optionally -D',
    );
  }
  let days = DEFAULT_LINK_DAYS;
  if (values.days !== undefined) {
    days = /^\d{1,3}$/.test(values.days) ? Number(values.days) : NaN;
    if (!(days >= 1 && days <= MAX_LINK_DAYS)) {
      return usageError(io, `--days must be a whole number from 1 to ${MAX_LINK_DAYS}`);
    }
  }
  if (values.ref !== undefined && (values.ref.length < 1 || values.ref.length > 191)) {
    return usageError(io, '--ref must have 1 to 191 characters');
  }

  const loaded = cliConfig(io.env);
  if (!loaded.ok) {
    io.err(loaded.message);
    return 1;
  }
  const config = loaded.value;
  const found = cliMerchant(config, values.merchant);
  if (!found.ok) return usageError(io, found.message);
  const merchant = found.value;

  const link = buildStatementLink({
    publicUrl: config.publicUrl,
    sealer: createLinkSealer(config.linkSecret),
    merchantId: merchant.id,
    idNumber: id.idNumber,
    ...(values.ref === undefined ? {} : { ref: values.ref }),
    expiresInDays: days,
    now: io.now ? io.now() : new Date(),
  });
  io.out(link.url);
  io.out(`Expires: ${link.expiresAt.toISOString()}`);
  return 0;
}

function usageError(io: LinkCliIo, message: string): number {
  io.err(`${message}\n\n${USAGE}`);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    env: process.env,
  });
}
