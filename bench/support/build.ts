import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

/** Builds dist/web when needed; returns what it did, for the details. */
export function ensureSpaBuilt(log: (m: string) => void): string {
  if (!spaIsStale()) return 'dist/web was up to date';
  log('dist/web is missing or older than its sources: npm run build');
  const started = performance.now();
  const r = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 300_000,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`npm run build failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).slice(-400)}`);
  }
  return `dist/web was rebuilt first (npm run build, ${((performance.now() - started) / 1000).toFixed(1)} s)`;
}
