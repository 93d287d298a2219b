import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { business } from './business';
import { charges } from './charges';
import { coldStart } from './cold-start';
import { confirmations } from './confirmations';
import { lookupThroughput } from './lookup-throughput';
import { notifications } from './notifications';
import { pricing10k } from './pricing-10k';
import { singleFlight } from './single-flight';
import { spa } from './spa';
import type { BenchContext, BenchResult, Row } from './support/context';
import { CORES, comparable, describeLoad, LoadSampler } from './support/load-sampler';
import { killLiveGroups } from './support/processes';

/**
 * `npm run bench [-- --quick] [-- --only lookup,pricing] [-- --profile]`: runs the benchmarks of the issue
 * "Measured and hardened" and prints one table (row, measured, target, result). Progress goes to stderr.
 * Exit code 1 only when a benchmark could not run; a missed target is a FAIL row, not a crash.
 */

const BENCHES: Record<string, (ctx: BenchContext) => Promise<BenchResult>> = {
  lookup: lookupThroughput,
  pricing: pricing10k,
  'single-flight': singleFlight,
  confirmations,
  spa,
  'cold-start': coldStart,
  business,
  notifications,
  charges,
};

function parseArgs(argv: string[]) {
  let quick = false;
  let profile = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--quick') quick = true;
    else if (a === '--profile') profile = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!v) throw new Error('--only needs a name');
      only.push(
        ...v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(
        `usage: npm run bench -- [--quick] [--only ${Object.keys(BENCHES).join('|')}[,…]] [--profile]\n`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const name of only) {
    if (!(name in BENCHES))
      throw new Error(`unknown bench "${name}"; one of ${Object.keys(BENCHES).join(', ')}`);
  }
  return { quick, profile, only: only.length > 0 ? only : Object.keys(BENCHES) };
}

export function machineLine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `Machine: ${model} × ${cpus.length} logical CPUs, ${gib} GiB RAM, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}`;
}

/** The load average when the bench starts: other busy processes make every number noisier. */
function loadLine(): string {
  const [one, five] = os.loadavg() as [number, number, number];
  const busy = one > os.cpus().length / 2;
  return `Load average at start: ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)${busy ? ' — other processes are busy: expect noisy numbers' : ''}`;
}

function table(rows: readonly Row[]): string {
  const head = ['Benchmark', 'Measured', 'Target', 'Result', 'Load while measured'];
  const cells = rows.map((r) => [
    r.name,
    r.measured,
    r.target,
    // A busy machine moves every number: such a row says what it measured but is no evidence either way.
    r.load && !comparable(r.load) && (r.status === 'pass' || r.status === 'FAIL')
      ? `${r.status}, not comparable`
      : r.status,
    r.load ? describeLoad(r.load) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const profileDir = args.profile ? mkdtempSync(join(os.tmpdir(), 'saldo-bench-prof-')) : null;
  const load = loadLine();
  const started = performance.now();
  const sampler = new LoadSampler();
  sampler.start();
  const ctx: BenchContext = {
    quick: args.quick,
    profileDir,
    log: (m) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${m}\n`),
    loadWindow: () => sampler.window(),
  };
  const rows: Row[] = [];
  const details: string[] = [];
  let crashed = false;
  for (const name of args.only) {
    ctx.log(`${name}…`);
    const closeWindow = sampler.window();
    try {
      const r = await BENCHES[name]!(ctx);
      const load = closeWindow();
      rows.push(...r.rows.map((row) => (row.load ? row : { ...row, load })));
      if (r.details.length > 0) details.push(`${name}:`, ...r.details.map((d) => `  ${d}`));
    } catch (err) {
      crashed = true;
      const message = err instanceof Error ? err.message : String(err);
      ctx.log(`${name} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
      rows.push({ name, measured: `error: ${message}`.slice(0, 120), target: '—', status: 'error' });
    }
  }
  sampler.stop();
  const out = [
    '',
    machineLine(),
    load,
    `Load while measured: the 1-minute load average (highest sample) and "others", the mean runnable tasks that were not the bench's own; a row with others above ${CORES} (the core count) is marked "not comparable".`,
    `Mode: ${args.quick ? 'quick (smoke test: small counts, numbers are not the results)' : 'full'}; ran in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    '',
    table(rows),
    '',
    ...(details.length > 0 ? ['Details:', ...details.map((d) => `  ${d}`), ''] : []),
    ...(profileDir ? [`CPU profiles: ${profileDir}`, ''] : []),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = crashed ? 1 : 0;
}

// Interrupted: the servers, npm start and Lighthouse this bench started go too (forked children exit when
// their IPC channel closes).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killLiveGroups();
    process.exit(130);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
