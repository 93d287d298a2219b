import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cliConfig, cliMerchant } from './cli-config';

/**
 * `npm run charge -- --merchant demo --amount 50000 --description "Mensualidad" [--id 1020304050 --name Camila]
 * [--status scheduled --reminder 2025/03/12] [--limit 2025/03/20] [--qr]`: creates a charge through the running
 * portal's merchant API (docs/spec/merchant-charges.md), authenticated with the merchant's apiToken from the
 * config (SALDO_CONFIG, or the built-in demo), and prints its link.
 */
const USAGE = `Usage: npm run charge -- --merchant <id> --amount <amount> --description <text>
  [--currency COP] [--id <payer id number> --type CC --name <first name>]
  [--status pending|created|scheduled|unlimit] [--reminder YYYY/MM/DD] [--limit YYYY/MM/DD] [--ref <reference_one>] [--qr]

Creates a charge on the running portal (PUBLIC_URL, or http://HOST:PORT) and prints its link.`;

export interface ChargeCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
}

/** Exit code: 0 created, 1 refused by the portal or unreachable, 2 bad usage or configuration. */
export async function main(argv: readonly string[], io: ChargeCliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        merchant: { type: 'string', short: 'm' },
        amount: { type: 'string' },
        currency: { type: 'string' },
        description: { type: 'string' },
        id: { type: 'string' },
        type: { type: 'string' },
        name: { type: 'string' },
        status: { type: 'string' },
        reminder: { type: 'string' },
        limit: { type: 'string' },
        ref: { type: 'string' },
        qr: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  for (const required of ['merchant', 'amount', 'description'] as const) {
    if (typeof values[required] !== 'string') {
      io.err(`--${required} is required\n\n${USAGE}`);
      return 2;
    }
  }
  const loaded = cliConfig(io.env);
  if (!loaded.ok) {
    io.err(loaded.message);
    return 2;
  }
  const config = loaded.value;
  const found = cliMerchant(config, String(values.merchant));
  if (!found.ok) {
    io.err(found.message);
    return 2;
  }
  const merchant = found.value;
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const body: Record<string, unknown> = {
    amount: str('amount'),
    currency: str('currency') ?? 'COP',
    description: str('description'),
    merchant_id_number: '900000000',
    merchant_phone: '570000000000',
    ...(str('status') ? { status: str('status') } : {}),
    ...(str('reminder') ? { reminder_date: str('reminder') } : {}),
    ...(str('limit') ? { limit_date: str('limit') } : {}),
    ...(str('ref') ? { reference_one: str('ref') } : {}),
    ...(str('id')
      ? {
          payer: {
            user_id_type: str('type') ?? 'CC',
            user_id_number: str('id'),
            first_name: str('name') ?? '',
          },
        }
      : {}),
  };
  const doFetch = io.fetch ?? fetch;
  const call = (method: string, path: string, payload: unknown) =>
    doFetch(`${config.publicUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-auth-token': merchant.apiToken },
      body: JSON.stringify(payload),
    });
  try {
    const res = await call('POST', '/v1/merchant/transaction', body);
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status !== 201) {
      io.err(`The portal refused the charge (${res.status}): ${JSON.stringify(answer.error ?? answer)}`);
      return 1;
    }
    io.out(`external_reference: ${String(answer.external_reference)}`);
    io.out(`link: ${String(answer.link)}`);
    if (values.qr) {
      const patched = await call('PATCH', `/v1/merchant/transaction/${String(answer.external_reference)}`, {
        process_type: 'express',
        express: { method: 'qr' },
      });
      const view = (await patched.json()) as Record<string, unknown>;
      if (patched.status === 200) io.out(`qr_url: ${String(view.qr_url)}`);
    }
    return 0;
  } catch (err) {
    io.err(`Cannot reach the portal at ${config.publicUrl}: ${(err as Error).message} (is it running?)`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  });
}
