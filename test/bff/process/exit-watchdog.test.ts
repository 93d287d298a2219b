import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

function run(script: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal, out })),
  );
}

test('the watchdog ends a process whose main thread is blocked for good (a timer there could never fire)', async () => {
  // The main thread waits on a futex nobody will wake, as it did in sonic-boom's flush to a dead pipe.
  const result = await run(`
    import { armExitWatchdog } from './bff/process/exit-watchdog.ts';
    armExitWatchdog(200);
    process.stdout.write('armed\\n');
    setTimeout(() => process.stdout.write('a main-thread timer ran\\n'), 0);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  `);
  expect(result).toMatchObject({ code: null, signal: 'SIGKILL' });
  expect(result.out).toContain('armed');
  expect(result.out).not.toContain('a main-thread timer ran');
});

test('an armed watchdog does not keep a finished process alive', async () => {
  const result = await run(`
    import { armExitWatchdog } from './bff/process/exit-watchdog.ts';
    armExitWatchdog(600_000);
    process.stdout.write('done\\n');
  `);
  expect(result).toEqual({ code: 0, signal: null, out: 'done\n' });
});
