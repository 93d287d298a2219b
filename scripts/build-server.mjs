// The BFF as `npm start` runs it: one esbuild bundle of bff/server.ts at dist/bff/server.mjs, built when it is
// missing or older than its sources. Packages are not bundled: they are imported from node_modules at run
// time, as under tsx, so native ones (better-sqlite3) and files found through require.resolve (the receipt
// fonts) stay where they are. `node scripts/build-server.mjs` builds it if stale (the bench does, so that
// a cold start never includes a build). docs/decisions/0016.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_BUNDLE = 'dist/bff/server.mjs';
const SOURCES = ['bff', 'shared', 'package-lock.json', 'tsconfig.json'];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether `output` is missing or older than any of `sources` that exist (paths relative to the cwd). */
export function isStale(output, sources) {
  const present = sources.filter((p) => existsSync(p));
  return !existsSync(output) || Math.max(...present.map(newestMtime)) > statSync(output).mtimeMs;
}

/** Builds the bundle when stale; true when it built. Throws (esbuild has printed why) when the build fails. */
export async function buildServerIfStale() {
  if (!isStale(SERVER_BUNDLE, SOURCES)) return false;
  process.stdout.write('Building the BFF (dist/bff)…\n');
  const { build } = await import('esbuild');
  await build({
    entryPoints: ['bff/server.ts'],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // For NODE_OPTIONS=--enable-source-maps when a stack trace must name the TypeScript lines (it costs
    // ~150 ms of start-up, so it is not on by default).
    sourcemap: true,
    logLevel: 'warning',
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServerIfStale().catch(() => process.exit(1));
}
