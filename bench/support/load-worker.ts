import http from 'node:http';
import net from 'node:net';
import { onParentMessage, sendToParent } from './children';
import type { LoadJob, LoadResult, RequestSpec } from './load';
import { summarize } from './stats';

/** The load generator process (see load.ts). Every loop is bounded in count and in time. */

const REQUEST_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 10_000;

interface Tally {
  sent: number;
  ok: number;
  bytes: number;
  statuses: Record<string, number>;
  latencies: Float64Array;
  n: number;
}

function tally(capacity: number): Tally {
  return { sent: 0, ok: 0, bytes: 0, statuses: {}, latencies: new Float64Array(capacity), n: 0 };
}

function send(agent: http.Agent, spec: RequestSpec, seq: number): Promise<{ status: number; bytes: number }> {
  const id = spec.fixedId ?? String((spec.idStart ?? 10_000_000) + (spec.idCount ? seq % spec.idCount : seq));
  const path = spec.path.replaceAll('{id}', id);
  const body = spec.body?.replaceAll('{id}', id);
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number, bytes: number) => {
      if (done) return;
      done = true;
      resolve({ status, bytes });
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port: spec.port,
        method: spec.method,
        path,
        agent,
        headers:
          body === undefined
            ? { accept: 'application/json', ...spec.headers }
            : {
                accept: 'application/json',
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
                ...spec.headers,
              },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
        });
        res.on('end', () => finish(res.statusCode ?? 0, bytes));
        res.on('error', () => finish(0, 0));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy());
    req.on('error', () => finish(0, 0));
    req.end(body);
  });
}

function record(t: Tally, spec: RequestSpec, status: number, bytes: number, latencyMs: number) {
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  if (status === (spec.okStatus ?? 200)) {
    t.ok++;
    t.bytes += bytes;
    if (t.n < t.latencies.length) t.latencies[t.n++] = latencyMs;
  }
}

function result(t: Tally, elapsedMs: number, maxLagMs = 0): LoadResult {
  return {
    sent: t.sent,
    ok: t.ok,
    failed: t.sent - t.ok,
    statuses: t.statuses,
    elapsedMs,
    rps: (t.ok * 1000) / elapsedMs,
    latency: summarize(t.latencies.subarray(0, t.n)),
    meanBytes: t.ok === 0 ? 0 : t.bytes / t.ok,
    maxLagMs,
  };
}

async function closed(job: Extract<LoadJob, { kind: 'closed' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const t = tally(job.maxRequests);
  let seq = 0;
  const started = performance.now();
  const deadline = started + job.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && seq < job.maxRequests) {
      const s = seq++;
      t.sent++;
      const t0 = performance.now();
      const { status, bytes } = await send(agent, job.spec, s);
      record(t, job.spec, status, bytes, performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const elapsed = performance.now() - started;
  agent.destroy();
  return result(t, elapsed);
}

async function open(job: Extract<LoadJob, { kind: 'open' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.maxInFlight });
  const total = Math.floor((job.rate * job.durationMs) / 1000);
  const t = tally(total);
  const interval = 1000 / job.rate;
  let inFlight = 0;
  let maxLag = 0;
  let i = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && started + i * interval <= now) {
        const intended = started + i * interval;
        maxLag = Math.max(maxLag, now - intended);
        const s = i++;
        t.sent++;
        if (inFlight >= job.maxInFlight) {
          // Over the bound: counted as a failure rather than queued without limit.
          t.statuses['0'] = (t.statuses['0'] ?? 0) + 1;
          continue;
        }
        inFlight++;
        pending.push(
          send(agent, job.spec, s).then(({ status, bytes }) => {
            inFlight--;
            record(t, job.spec, status, bytes, performance.now() - intended);
          }),
        );
      }
      if (i < total) setTimeout(tick, Math.max(0, Math.min(1, started + i * interval - performance.now())));
      else resolve();
    };
    tick();
  });
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, DRAIN_TIMEOUT_MS).unref())]);
  const elapsed = performance.now() - started;
  agent.destroy();
  return result(t, elapsed, maxLag);
}

async function burst(job: Extract<LoadJob, { kind: 'burst' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.count, keepAliveMsecs: 30_000 });
  // Open every connection first, so the burst measures the server and not TCP handshakes.
  await Promise.all(
    Array.from({ length: job.count }, () =>
      send(agent, { port: job.spec.port, method: 'GET', path: job.warmPath, fixedId: '0' }, 0),
    ),
  );
  const t = tally(job.count);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.count }, async (_, s) => {
      t.sent++;
      const t0 = performance.now();
      const { status, bytes } = await send(agent, job.spec, s);
      record(t, job.spec, status, bytes, performance.now() - t0);
    }),
  );
  const elapsed = performance.now() - started;
  agent.destroy();
  return result(t, elapsed);
}

/**
 * A keep-alive HTTP/1.1 connection that sends prepared request bytes and reads just enough of each answer
 * (status line, Content-Length, body) to know it is complete: a few µs of CPU per request where
 * http.request costs ~100–200, so on 2 shared cores the generator takes as little as it can from the
 * server under test. Answers must carry a Content-Length (node-server's and node:http's do for a short body).
 */
class RawConnection {
  private readonly socket: net.Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: ((status: number) => void) | null = null;
  private broken = false;

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.tryFinish();
    });
    const fail = () => {
      this.broken = true;
      this.waiting?.(0);
      this.waiting = null;
    };
    this.socket.on('error', fail);
    this.socket.on('close', fail);
  }

  private tryFinish() {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.socket.destroy();
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    const done = this.waiting;
    this.waiting = null;
    done(status);
  }

  send(request: Buffer, timeoutMs: number): Promise<number> {
    if (this.broken) return Promise.resolve(0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
      }, timeoutMs);
      this.waiting = (status) => {
        clearTimeout(timer);
        resolve(status);
      };
      this.socket.write(request);
    });
  }

  close() {
    this.socket.destroy();
  }
}

async function groups(job: Extract<LoadJob, { kind: 'groups' }>): Promise<LoadResult> {
  const spec: RequestSpec = { port: job.port, method: 'POST', path: job.path };
  const request = (body: string) =>
    Buffer.from(
      `POST ${job.path} HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\nContent-Type: ${job.contentType}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nAccept: */*\r\n\r\n${body}`,
    );
  // One connection per request in flight: a group's copies go out at once, each on a connection of its own.
  const connections = Array.from({ length: job.groupsAtOnce }, () =>
    Array.from({ length: job.copies }, () => new RawConnection(job.port)),
  );
  const t = tally(job.bodies.length * job.copies);
  let next = 0;
  const started = performance.now();
  const deadline = started + job.maxMs;
  const worker = async (own: RawConnection[]) => {
    while (next < job.bodies.length && performance.now() < deadline) {
      const bytes = request(job.bodies[next++] as string);
      await Promise.all(
        own.map(async (connection) => {
          t.sent++;
          const t0 = performance.now();
          const status = await connection.send(bytes, REQUEST_TIMEOUT_MS);
          record(t, spec, status, 0, performance.now() - t0);
        }),
      );
    }
  };
  await Promise.all(connections.map(worker));
  const elapsed = performance.now() - started;
  for (const c of connections.flat()) c.close();
  return result(t, elapsed);
}

onParentMessage(async (m) => {
  if (m.type === 'stop') process.exit(0);
  if (m.type !== 'run') return;
  const job = m.job as LoadJob;
  const r =
    job.kind === 'closed'
      ? await closed(job)
      : job.kind === 'open'
        ? await open(job)
        : job.kind === 'groups'
          ? await groups(job)
          : await burst(job);
  sendToParent({ type: 'result', result: r });
});
sendToParent({ type: 'ready' });
