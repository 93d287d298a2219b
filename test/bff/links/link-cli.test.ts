import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { demoConfig } from '../../../bff/config/demo-config';
import { main } from '../../../scripts/link';
import { json, PAYER_ID, rawTestConfig, testApp, testConfig } from '../http/support/app-fixture';

const NOW = new Date('2025-03-10T15:00:00.000Z');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, now: () => NOW });
  return { code, out, err: err.join('\n') };
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('npm run link', () => {
  test('prints a demo link that opens the statement, with its expiry', async () => {
    const { code, out, err } = run([
      '--merchant',
      'demo',
      '--id',
      PAYER_ID,
      '--ref',
      '1234567',
      '--days',
      '7',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const [url, expiry] = out;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/demo\/s\/[A-Za-z0-9_-]{40,}$/);
    expect(url).not.toContain(PAYER_ID);
    expect(expiry).toBe('Expires: 2025-03-17T15:00:00.000Z');

    const config = demoConfig({ publicUrl: 'http://127.0.0.1:8787' });
    const t = await testApp({ config });
    cleanups.push(() => t.close());
    const token = (url ?? '').split('/s/')[1] ?? '';
    const res = await t.app.request('/api/v1/merchants/demo/lookup', json({ token }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { linkedRef: string | null }).linkedRef).toBe('1234567');
  });

  test('the demo link follows PUBLIC_URL, or HOST and PORT like the server', () => {
    expect(
      run(['--merchant', 'demo', '--id', PAYER_ID], { PUBLIC_URL: 'https://demo.example' }).out[0],
    ).toMatch(/^https:\/\/demo\.example\/demo\/s\//);
    expect(run(['--merchant', 'demo', '--id', PAYER_ID], { HOST: 'localhost', PORT: '9000' }).out[0]).toMatch(
      /^http:\/\/localhost:9000\/demo\/s\//,
    );
    expect(run(['--merchant', 'demo', '--id', PAYER_ID], { HOST: '0.0.0.0' }).out[0]).toMatch(
      /^http:\/\/127\.0\.0\.1:8787\/demo\/s\//,
    );
  });

  test('reads SALDO_CONFIG, env: references included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'saldo-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(rawTestConfig({ linkSecret: 'env:TEST_LINK_SECRET' })));
    const secret = testConfig().linkSecret;
    const { code, out, err } = run(['--merchant', 'acme', '--id', PAYER_ID], {
      SALDO_CONFIG: file,
      TEST_LINK_SECRET: secret,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const t = await testApp();
    cleanups.push(() => t.close());
    const token = (out[0] ?? '').split('/s/')[1] ?? '';
    expect(out[0]?.startsWith('https://pagos.example.co/acme/s/')).toBe(true);
    expect((await t.app.request('/api/v1/merchants/acme/lookup', json({ token }))).status).toBe(200);

    const missing = run(['--merchant', 'acme', '--id', PAYER_ID], { SALDO_CONFIG: file });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('TEST_LINK_SECRET');
    expect(missing.err).not.toContain(secret);
  });

  test.each([
    [[], '--merchant is required'],
    [['--merchant', 'demo'], '--id is required'],
    [['--merchant', 'demo', '--id', '12'], '--id must have 5 to 15 digits'],
    [['--merchant', 'demo', '--id', '900373115-0'], 'check digit'],
    [
      ['--merchant', 'demo', '--id', PAYER_ID, '--days', '121'],
      '--days must be a whole number from 1 to 120',
    ],
    [['--merchant', 'demo', '--id', PAYER_ID, '--days', '1.5'], '--days must be a whole number'],
    [['--merchant', 'nobody', '--id', PAYER_ID], 'no merchant "nobody" in the configuration (known: demo)'],
    [['--merchant', 'demo', '--id', PAYER_ID, '--bogus'], "Unknown option '--bogus'"],
    [['--merchant', 'demo', 'positional'], 'positional'],
  ])('%j is a usage error: %s', (argv, message) => {
    const { code, out, err } = run(argv);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toContain(message);
    expect(err).toContain('Usage: npm run link --');
  });

  test('--help prints the usage', () => {
    const { code, out } = run(['--help']);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('Usage: npm run link --');
  });

  test('runs as a script through tsx', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/link.ts', '--merchant', 'demo', '--id', PAYER_ID],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', PORT: '8799' } },
    );
    expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:8799\/demo\/s\/[A-Za-z0-9_-]+\nExpires: \d{4}-\d\d-\d\dT/);
  });
});
