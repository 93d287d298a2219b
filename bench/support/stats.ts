/** Latency summaries for the bench: nearest-rank percentiles over milliseconds. */

export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array (p in [0, 100]); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}

export const ms = (v: number, digits = 2): string => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a');

export const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** A difference in ms with its sign: "+1.20 ms", "−0.35 ms". */
export const signedMs = (v: number, digits = 2): string =>
  Number.isFinite(v) ? `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(digits)} ms` : 'n/a';
