import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { ROOT } from './children';

/** CPU profiles (the .cpuprofile format of `node --cpu-prof`) and their hot spots by self time. */

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function place(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
    return `${pkg}/${rest[rest.length - 1]}`;
  }
  return path.startsWith('node:') ? path : relative(ROOT, path);
}

/** The area a function belongs to: a package, a project folder or Node's internals. */
function area(url: string): string {
  if (url === '') return '(native / GC / idle)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  if (path.startsWith('node:')) return 'node: internals';
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
  }
  const rel = relative(ROOT, path).split('/');
  return rel.length > 1 ? `${rel[0]}/${rel.length > 2 ? rel[1] : ''}`.replace(/\/$/, '') : (rel[0] ?? '?');
}

export function hotSpots(file: string, top = 15): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  let idle = 0;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += us;
      continue;
    }
    total += us;
    // tsx hands V8 its output on one line, so a project file's line number says nothing.
    const line = url.startsWith('node:') || url.includes('/node_modules/') ? `:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}  ${place(url)}${line}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const a = functionName === '(garbage collector)' ? '(garbage collector)' : area(url);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  // Inclusive time of the project's own functions (bff/, shared/, bench/): each sample counts once per
  // function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((leaf, i) => {
    const leafNode = byId.get(leaf);
    if (
      !leafNode ||
      leafNode.callFrame.functionName === '(idle)' ||
      leafNode.callFrame.functionName === '(program)'
    )
      return;
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const { functionName, url } = byId.get(id)!.callFrame;
      if (!url.startsWith('file://') || url.includes('/node_modules/')) continue;
      const key = `${functionName || '(anonymous)'}  ${place(url)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const lines = [
    `profile ${file}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle/program`,
    '  by area (self time):',
  ];
  for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 10))
    lines.push(`    ${pct(us)}  ${a}`);
  lines.push('  top functions (self time):');
  for (const [k, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top))
    lines.push(`    ${pct(us)}  ${k}`);
  lines.push('  project functions (inclusive time):');
  for (const [k, us] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, top))
    lines.push(`    ${pct(us)}  ${k}`);
  return lines;
}

/** Profiles `fn` in this process through the inspector and writes the profile to `file`. */
export async function profileInProcess<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
