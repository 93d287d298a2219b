import { BenchChild } from './children';
import type { Summary } from './stats';

/**
 * The load generator runs in a child process of its own (load-worker.ts): on 2 cores, generating load on
 * the event loop of the server under test would steal that server's time and flatter nothing. It uses
 * node:http keep-alive agents; every request goes to 127.0.0.1.
 */

export interface RequestSpec {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  /** `{id}` is replaced by a per-request id number (idStart + sequence) unless `fixedId` is set. */
  readonly path: string;
  readonly body?: string;
  readonly idStart?: number;
  /** Ids cycle over idStart … idStart + idCount − 1 (payers whose data the bench seeded). */
  readonly idCount?: number;
  readonly fixedId?: string;
  /** Extra request headers (e.g. `accept-encoding`, which every browser sends). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Status that counts as success. Default 200. */
  readonly okStatus?: number;
}

export type LoadJob =
  /** N workers, each sending its next request as soon as the previous one is answered. */
  | {
      readonly kind: 'closed';
      readonly spec: RequestSpec;
      readonly concurrency: number;
      readonly durationMs: number;
      readonly maxRequests: number;
    }
  /** A fixed arrival rate whatever the answers do; latency counts from the intended send time. */
  | {
      readonly kind: 'open';
      readonly spec: RequestSpec;
      readonly rate: number;
      readonly durationMs: number;
      readonly maxInFlight: number;
    }
  /**
   * Each body POSTed `copies` times at once (a retried notification arriving in a burst), `groupsAtOnce`
   * bodies at a time; stops starting new groups after `maxMs`.
   */
  | {
      readonly kind: 'groups';
      readonly port: number;
      readonly path: string;
      readonly contentType: string;
      readonly bodies: readonly string[];
      readonly copies: number;
      readonly groupsAtOnce: number;
      readonly maxMs: number;
    }
  /** `count` requests at once over pre-opened keep-alive connections (warmed with `GET warmPath`). */
  | { readonly kind: 'burst'; readonly spec: RequestSpec; readonly count: number; readonly warmPath: string };

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  /** Status code → count, 0 for transport errors and timeouts. */
  readonly statuses: Record<string, number>;
  readonly elapsedMs: number;
  /** Successful answers per second over the elapsed time. */
  readonly rps: number;
  readonly latency: Summary;
  /** Mean bytes of a successful answer body. */
  readonly meanBytes: number;
  /** Open loop: how late the generator itself sent (max ms behind schedule). */
  readonly maxLagMs: number;
}

export class LoadGenerator {
  private readonly child = new BenchChild('./load-worker.ts', []);

  async ready(): Promise<void> {
    await this.child.waitFor('ready', 30_000);
  }

  async run(job: LoadJob): Promise<LoadResult> {
    const budget = ('durationMs' in job ? job.durationMs : 'maxMs' in job ? job.maxMs : 0) + 60_000;
    const reply = await this.child.request<{ type: 'result'; result: LoadResult }>(
      { type: 'run', job },
      'result',
      budget,
    );
    return reply.result;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
