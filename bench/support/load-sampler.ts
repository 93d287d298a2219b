import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * How busy the machine was while a row was measured. The kernel's load average counts the bench's own
 * processes too (a closed loop keeps the server and the load generator runnable: ~2–3 on its own), so it
 * cannot tell a quiet machine from a busy one. Every 500 ms this samples the runnable tasks of the whole
 * machine (/proc/stat `procs_running`) and those of the bench's own process tree (/proc/<pid>/task/<tid>/stat
 * in state R); the mean difference is the load the rest of the machine added while the row was measured.
 * A row whose background load is above the core count is marked "not comparable". Linux only; elsewhere
 * `background` is NaN and only the load average is printed.
 */

export interface LoadWindow {
  /** The kernel's 1-minute load average, highest sample in the window (bench processes included). */
  readonly loadAvg: number;
  /** Mean runnable tasks that were not the bench's own, over the window. NaN when /proc is unavailable. */
  readonly background: number;
  readonly samples: number;
}

export const CORES = os.cpus().length;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `pid (comm) S ppid …`: comm may contain spaces and parentheses, so parse from the last ')'. */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function ownTree(): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const text = read(`/proc/${pid}/stat`);
    if (text) parentOf.set(pid, Number(statFields(text)[1]));
  }
  const tree = new Set([process.pid]);
  // Parents may be listed after their children: repeat until nothing is added (trees are shallow).
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

function runnableTasks(pid: number): number {
  let n = 0;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tids) {
    const text = read(`/proc/${pid}/task/${tid}/stat`);
    if (text && statFields(text)[0] === 'R') n++;
  }
  return n;
}

function procsRunning(): number | null {
  const m = /^procs_running (\d+)$/m.exec(read('/proc/stat') ?? '');
  return m ? Number(m[1]) : null;
}

export class LoadSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly open = new Set<{ loadAvg: number; sum: number; samples: number }>();
  private readonly linux = procsRunning() !== null;

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), 500);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Opens a window; the returned function closes it and reports what it saw. */
  window(): () => LoadWindow {
    const w = { loadAvg: os.loadavg()[0] ?? 0, sum: 0, samples: 0 };
    this.open.add(w);
    return () => {
      this.open.delete(w);
      w.loadAvg = Math.max(w.loadAvg, os.loadavg()[0] ?? 0);
      return {
        loadAvg: w.loadAvg,
        background: this.linux && w.samples > 0 ? w.sum / w.samples : Number.NaN,
        samples: w.samples,
      };
    };
  }

  private sample(): void {
    if (this.open.size === 0) return;
    const loadAvg = os.loadavg()[0] ?? 0;
    let background = 0;
    if (this.linux) {
      const all = procsRunning() ?? 0;
      let own = 0;
      for (const pid of ownTree()) own += runnableTasks(pid);
      background = Math.max(0, all - own);
    }
    for (const w of this.open) {
      w.loadAvg = Math.max(w.loadAvg, loadAvg);
      w.sum += background;
      w.samples++;
    }
  }
}

export const comparable = (w: LoadWindow): boolean => !(w.background > CORES);

export const describeLoad = (w: LoadWindow): string =>
  `load ${w.loadAvg.toFixed(1)}, others ${Number.isNaN(w.background) ? 'n/a' : w.background.toFixed(1)}`;
