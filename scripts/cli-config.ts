import type { Config, MerchantConfig } from '../bff/config/config-schema';
import { demoConfig } from '../bff/config/demo-config';
import { ConfigError, loadConfigFile } from '../bff/config/load-config';

/**
 * What the command-line tools (`npm run link`, `npm run charge`) share: the configuration the server would
 * use (SALDO_CONFIG, or the built-in demo with the server's PUBLIC_URL / HOST / PORT defaults) and the
 * merchant named on the command line. Each tool keeps its own exit codes; these return messages.
 */
export type CliResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The portal's address a browser (or a tool) can reach: a wildcard bind address means loopback. */
export function publicUrlFrom(env: NodeJS.ProcessEnv): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL;
  const host = env.HOST ?? '127.0.0.1';
  const browserHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${browserHost}:${env.PORT ?? '8787'}`;
}

export function cliConfig(env: NodeJS.ProcessEnv): CliResult<Config> {
  try {
    const config = env.SALDO_CONFIG
      ? loadConfigFile(env.SALDO_CONFIG, env)
      : demoConfig({ publicUrl: publicUrlFrom(env) });
    return { ok: true, value: config };
  } catch (err) {
    return {
      ok: false,
      message:
        err instanceof ConfigError ? err.message : `Cannot read the configuration: ${(err as Error).message}`,
    };
  }
}

export function cliMerchant(config: Config, merchantId: string): CliResult<MerchantConfig> {
  const merchant = config.merchants.find((m) => m.id === merchantId);
  if (merchant) return { ok: true, value: merchant };
  return {
    ok: false,
    message: `--merchant: no merchant "${merchantId}" in the configuration (known: ${config.merchants.map((m) => m.id).join(', ')})`,
  };
}
