import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './children';

/**
 * dist/web as `npm start` would serve it: built when missing or older than its sources (the same rule as
 * scripts/start.mjs, so a cold start never includes a build).
 */
const SOURCES = ['web', 'shared', 'index.html', 'vite.config.ts', 'package-lock.json'];
export const DIST_INDEX = join(ROOT, 'dist/web/index.html');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function spaIsStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const sources = SOURCES.map((s) => join(ROOT, s)).filter((p) => existsSync(p));
  return Math.max(...sources.map(newestMtime)) > statSync(DIST_INDEX).mtimeMs;
}

/** Strings only React's development builds carry (warnings that production builds strip). */
const DEVELOPMENT_MARKERS = ['cannot be a child of <%s>', 'Each child in a list should have a unique'];

/**
 * Throws unless `webDir` holds a production build: another `npm start` with NODE_ENV=development once left a
 * development build in dist/web, and the bench measured it (first-load JS 169.9 KB, Lighthouse 63 / 44).
 */
export function assertProductionBuild(webDir: string): void {
  const assets = join(webDir, 'assets');
  if (!existsSync(join(webDir, 'index.html')) || !existsSync(assets)) {
    throw new Error(`${webDir} holds no build`);
  }
  for (const file of readdirSync(assets)) {
    if (!file.endsWith('.js')) continue;
    const text = readFileSync(join(assets, file), 'utf8');
    const marker = DEVELOPMENT_MARKERS.find((m) => text.includes(m));
    if (marker) throw new Error(`${webDir} is not a production build (assets/${file} has "${marker}")`);
  }
}

function viteBuild(args: string[]): void {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--mode', 'production', ...args], {
    cwd: ROOT,
    // NODE_ENV decides which React vite bundles: whatever the caller's shell says, this is production.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'pipe',
    timeout: 300_000,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`vite build failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).slice(-400)}`);
  }
}

/**
 * The SPA rows measure a production build of the current sources made into a folder the bench owns, so
 * neither a development build nor a build under way in dist/web (other work) can reach them.
 */
export function buildSpaInto(webDir: string, log: (m: string) => void): string {
  log(`spa: production build into ${webDir}`);
  const started = performance.now();
  viteBuild(['--outDir', webDir, '--emptyOutDir']);
  assertProductionBuild(webDir);
  return `production build of the current sources into a bench folder (${((performance.now() - started) / 1000).toFixed(1)} s)`;
}

/**
 * For the cold start (npm start serves dist/web): dist/web built when missing, older than its sources or not
 * a production build; returns what it did, for the details.
 */
export function ensureSpaBuilt(log: (m: string) => void): string {
  let why: string | null = spaIsStale() ? 'missing or older than its sources' : null;
  if (!why) {
    try {
      assertProductionBuild(join(ROOT, 'dist/web'));
    } catch {
      why = 'not a production build';
    }
  }
  if (!why) return 'dist/web was up to date';
  log(`dist/web is ${why}: production build`);
  const started = performance.now();
  viteBuild([]);
  assertProductionBuild(join(ROOT, 'dist/web'));
  return `dist/web was rebuilt first (${why}; ${((performance.now() - started) / 1000).toFixed(1)} s)`;
}
