import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AppDeps, RateLimiter } from '../../../../bff/app-deps';
import { createApp } from '../../../../bff/app';
import type { Config } from '../../../../bff/config/config-schema';
import { parseConfig } from '../../../../bff/config/load-config';
import { createLogger, type Logger } from '../../../../bff/observability/logger';
import type { ErpPort } from '../../../../bff/services/ports';
import { fakeDeps, fakeErp } from '../../../support/fake-deps';

/** The payer of seed 003's example payload (test/fixtures/seed-003.json). */
export const PAYER_ID = '12345678';
export const PUBLIC_URL = 'https://pagos.example.co';
export const ACME_TOKEN = 'acme-api-token-0123456789';
export const BETA_TOKEN = 'beta-api-token-0123456789';

const seed003: unknown = JSON.parse(
  readFileSync(new URL('../../../fixtures/seed-003.json', import.meta.url), 'utf8'),
);

function merchant(id: string, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    name: `${id} S.A.S.`,
    apiToken: `${id}-api-token-0123456789`,
    erp: { url: `https://erp.${id}.example/get-recaudas` },
    payu: { mode: 'production', merchantId: '508029', accountId: '512321', apiKey: 'k', apiLogin: 'l' },
    ...overrides,
  };
}

/**
 * Three merchants covering the framing and form-action cases: acme (PayU production, one embed origin,
 * given with a trailing slash as a config may have it), beta (sandbox, two embed origins, English) and
 * demo (the simulator, not embeddable).
 */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return parseConfig(rawTestConfig(overrides));
}

/** testConfig as it would be written in a SALDO_CONFIG file. */
export function rawTestConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    publicUrl: PUBLIC_URL,
    linkSecret: 'test-link-secret-0123456789-0123456789',
    merchants: [
      merchant('acme', { embed: { allowedOrigins: ['https://www.acme.co/'] } }),
      merchant('beta', {
        locale: 'en-US',
        payu: { mode: 'sandbox', merchantId: '1', accountId: '2', apiKey: 'k', apiLogin: 'l' },
        embed: { allowedOrigins: ['https://shop.beta.co', 'https://beta.co'] },
      }),
      merchant('demo', {
        payu: { mode: 'simulator', merchantId: '1', accountId: '2', apiKey: 'k', apiLogin: 'l' },
      }),
    ],
    ...overrides,
  };
}

/** Seed 003's payload for its payer, no items for anyone else; `fail` makes the ERP throw (an unexpected fault). */
export function seedErp(options: { fail?: boolean } = {}): ErpPort {
  return fakeErp((idNumber) => {
    if (options.fail) throw new Error('boom');
    return { ok: true, body: idNumber === PAYER_ID ? seed003 : { payments: [] } };
  }).port;
}

/** A logger whose JSON lines are kept, to prove what never reaches the logs. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** A stand-in for the vite build: an index.html without inline script, and one asset. */
export function makeStaticDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'saldo-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>Saldo</title>\n' +
      '    <script type="module" crossorigin src="/assets/index-abc.js"></script>\n  </head>\n' +
      '  <body><div id="root"></div></body>\n</html>\n',
  );
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {};\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestAppOptions {
  readonly config?: Config;
  readonly erp?: ErpPort;
  readonly logger?: Logger;
  readonly rateLimiter?: RateLimiter;
  readonly production?: boolean;
  readonly staticDir?: string | null;
}

/**
 * createApp over the shared fakes (test/support/fake-deps.ts: in-memory SQLite, fixed clock, no rate limit)
 * with this suite's merchants and seed 003's ERP, plus what these tests vary.
 */
export async function testApp(options: TestAppOptions = {}) {
  const base = await fakeDeps({ config: options.config ?? testConfig(), erp: options.erp ?? seedErp() });
  const deps: AppDeps = {
    ...base,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    production: options.production ?? false,
    staticDir: options.staticDir ?? null,
  };
  const clock = {
    now: () => base.clock.now(),
    advance: (ms: number) => base.setNow(new Date(base.clock.now().getTime() + ms)),
  };
  return { app: createApp(deps), deps, clock, close: () => base.store.close() };
}

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
