// `npm start`: builds the SPA when its sources are newer than dist/web and the BFF when its sources are newer
// than dist/bff/server.mjs (scripts/build-server.mjs), then runs that bundle with plain node as a child and
// stays beside it only to forward signals, print the address to open, and exit with it. The bundle starts in
// about two thirds of the time `node --import tsx bff/server.ts` takes (no TypeScript loader, one module of
// our own instead of hundreds; docs/decisions/0016).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildServerIfStale, isStale, SERVER_BUNDLE } from './build-server.mjs';

const built = 'dist/web/index.html';
/**
 * Ctrl-C reaches this process twice: from the terminal (its process group) and forwarded by npm. Only a
 * signal that comes later than this after the first one is the user's second signal, which forces the exit.
 * (SALDO_SIGNAL_REPEAT_MS changes it; its test sets 0.)
 */
const REPEAT_WINDOW_MS = Number(process.env.SALDO_SIGNAL_REPEAT_MS ?? 1000);

// A reader that went away (`npm start | head`) must not crash the wrapper and orphan the server.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

if (isStale(built, ['web', 'shared', 'index.html', 'vite.config.ts', 'package-lock.json'])) {
  process.stdout.write('Building the SPA (dist/web)…\n');
  const build = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

try {
  await buildServerIfStale();
} catch {
  process.exit(1); // esbuild has printed why
}

// detached: its own process group, so the terminal's Ctrl-C reaches the server once, through this wrapper.
// The IPC channel carries the "listening" message and lets the server notice when this wrapper is gone.
// Node's flags for the server (docs/decisions/0017): the same file gives them to the benchmarks' BFF servers.
const nodeFlags = JSON.parse(readFileSync(new URL('./server-node-flags.json', import.meta.url), 'utf8'));
const child = spawn(process.execPath, [...nodeFlags, SERVER_BUNDLE], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: true,
});

child.on('message', (message) => {
  if (message && message.type === 'saldo:listening' && typeof message.url === 'string') {
    process.stdout.write(`\nSaldo is running. Open ${message.url}\n\n`);
  }
});

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    const now = Date.now();
    if (firstSignalAt === 0) {
      firstSignalAt = now;
      // The server drains in-flight requests and exits by itself (within its 10 s drain limit).
      child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    } else if (now - firstSignalAt > REPEAT_WINDOW_MS) {
      process.stderr.write('Second signal: stopping the server now.\n');
      child.kill('SIGKILL');
    }
  });
}

child.on('exit', (code, signal) => {
  const signals = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  process.exit(code ?? (signal ? 128 + (signals[signal] ?? 0) : 0));
});
