import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ensureSpaBuilt } from './support/build';
import { ROOT } from './support/children';
import { passIf, type BenchContext, type BenchResult } from './support/context';
import { freePort, killGroup, pollUntil, request, spawnGroup } from './support/processes';
import { median, ms } from './support/stats';

/**
 * Row 6. From spawning `npm start` (dist/web already built, a fresh SQLite file) to the first 200 of
 * POST /api/v1/merchants/demo/lookup, polled every 20 ms; the same for `node dist/bff/server.mjs` (the bundle npm start
 * runs, built before the runs) and for `node --import tsx bff/server.ts`.
 * "listening" is the first answer of any status. Each process group is ended afterwards.
 */
const POLL_MS = 20;
const TIMEOUT_MS = 30_000;
const BODY = JSON.stringify({ idNumber: '12345678' });

interface Start {
  listening: number | null;
  firstLookup: number | null;
  /** npm start found dist/web older than its sources and built it first (someone edited web/ meanwhile). */
  built: boolean;
}

async function once(command: string, args: string[], dir: string, n: number): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnGroup(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, `cold-${n}.db`)}`,
      NODE_ENV: 'development',
    },
    output: 'pipe',
  });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    let listening: number | null = null;
    const firstLookup = await pollUntil(
      async () => {
        const r = await request(port, 'POST', '/api/v1/merchants/demo/lookup', BODY, 5000);
        if (r.status !== 0 && listening === null) listening = performance.now() - started;
        return r.status === 200;
      },
      POLL_MS,
      TIMEOUT_MS,
      started,
    );
    return {
      listening,
      firstLookup,
      built: output.includes('Building the SPA') || output.includes('Building the BFF'),
    };
  } finally {
    await killGroup(child);
  }
}

export async function coldStart(ctx: BenchContext): Promise<BenchResult> {
  const details = [ensureSpaBuilt(ctx.log)];
  // The BFF's bundle too (npm start builds it when bff/ or shared/ changed): a cold start is not a build.
  const bundle = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`building dist/bff failed: ${bundle.stderr.slice(-400)}`);
  if (bundle.stdout.includes('Building'))
    details.push('dist/bff was rebuilt first (older than bff/ or shared/)');
  const runs = ctx.quick ? 1 : 3;
  const dir = mkdtempSync(join(os.tmpdir(), 'saldo-bench-cold-'));
  const npm: Start[] = [];
  const direct: Start[] = [];
  const bundled: Start[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      ctx.log(`cold start: run ${i + 1} of ${runs}`);
      npm.push(await once('npm', ['start'], dir, 2 * i));
      direct.push(await once(process.execPath, ['--import', 'tsx', 'bff/server.ts'], dir, 2 * i + 1));
      bundled.push(await once(process.execPath, ['dist/bff/server.mjs'], dir, 2 * runs + i));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const show = (label: string, xs: Start[]) =>
    `${label}: first lookup ${xs.map((x) => ms(x.firstLookup ?? Number.NaN, 0)).join(', ')}; listening ${xs
      .map((x) => ms(x.listening ?? Number.NaN, 0))
      .join(', ')}`;
  details.push(
    show('npm start', npm),
    show('node dist/bff/server.mjs (what npm start runs)', bundled),
    show('node --import tsx bff/server.ts', direct),
  );
  const rebuilt = npm.filter((x) => x.built).length;
  if (rebuilt > 0) details.push(`npm start rebuilt in ${rebuilt} run(s): sources changed during the bench`);
  const failed = [...npm, ...direct, ...bundled].some((x) => x.firstLookup === null);
  if (failed) throw new Error(`no 200 lookup within ${TIMEOUT_MS} ms: ${details.slice(1).join(' | ')}`);
  const npmMs = median(npm.map((x) => x.firstLookup as number));
  const directMs = median(direct.map((x) => x.firstLookup as number));
  const bundledMs = median(bundled.map((x) => x.firstLookup as number));
  return {
    rows: [
      {
        name: '6 Cold start: npm start → first lookup',
        measured: `${ms(npmMs, 0)} (median of ${runs})`,
        target: '≤ 2 s',
        status: passIf(npmMs <= 2000),
      },
      {
        name: '6 Cold start: node dist/bff/server.mjs / tsx',
        measured: `${ms(bundledMs, 0)} / ${ms(directMs, 0)} (medians of ${runs})`,
        target: '—',
        status: 'info',
      },
    ],
    details,
  };
}
