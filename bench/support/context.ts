import type { LoadWindow } from './load-sampler';

/** What every benchmark gets and returns. */

export interface BenchContext {
  /** Smaller counts and shorter runs: a smoke test of the bench itself. */
  readonly quick: boolean;
  /** When set, CPU profiles are written here and their hot spots printed. */
  readonly profileDir: string | null;
  /** Progress, to stderr (the table goes to stdout). */
  log(message: string): void;
  /** Opens a load window for rows measured in a part of a benchmark; close it to get what it saw. */
  loadWindow(): () => LoadWindow;
}

export type RowStatus = 'pass' | 'FAIL' | 'info' | 'n/a' | 'skipped' | 'error';

export interface Row {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly status: RowStatus;
  /** How busy the machine was while this row was measured; absent → the whole benchmark's window. */
  readonly load?: LoadWindow;
}

export interface BenchResult {
  readonly rows: Row[];
  /** Printed under the table: the raw numbers behind the rows. */
  readonly details: string[];
}

export const passIf = (ok: boolean): RowStatus => (ok ? 'pass' : 'FAIL');
