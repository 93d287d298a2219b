import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { calendarDateIn } from '../../shared/dates';
import { recaudaPayload } from './erp-payload';

/**
 * The loopback Recauda ERP of the benchmarks: `GET /get-recaudas?id_number=…` answers a fixed payload of
 * `items` items whose `id_number` is the asked one (the bytes are a template split at the id, so answering
 * costs a join and a write), optionally after `delayMs`. It counts its calls, per id number too.
 */
export interface FakeErpOptions {
  readonly items: number;
  readonly delayMs?: number;
  /** Id numbers from `id` on get `items` items instead (a second answer size beside the first). */
  readonly from?: { readonly id: number; readonly items: number };
}

export interface FakeErp {
  readonly server: http.Server;
  readonly port: number;
  readonly bytes: number;
  /** `at`: ms from the first call to each of the first 100 calls. */
  calls(): { total: number; distinctIds: number; maxPerId: number; at: number[]; connections: number };
  reset(): void;
  /** Answers `items` items from now on (the scaling row); returns the new answer's size in bytes. */
  setItems(items: number): number;
  close(): Promise<void>;
}

const PLACEHOLDER = '__ID_NUMBER__';

export function erpBodyTemplate(items: number): string[] {
  const today = calendarDateIn('America/Bogota', new Date());
  const { payments } = recaudaPayload(items, {
    idNumber: PLACEHOLDER,
    payerName: 'Inversiones Altamira S.A.S.',
    today,
    webhookUrl: 'https://erp.example.co/webhooks/recauda',
  });
  return JSON.stringify({ payments }).split(PLACEHOLDER);
}

export async function startFakeErp(options: FakeErpOptions): Promise<FakeErp> {
  let parts = erpBodyTemplate(options.items);
  const from = options.from ? { id: options.from.id, parts: erpBodyTemplate(options.from.items) } : null;
  const delay = options.delayMs ?? 0;
  let total = 0;
  const perId = new Map<string, number>();
  let times: number[] = [];

  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?id_number=');
    if (req.method !== 'GET' || !url.startsWith('/get-recaudas') || q < 0) {
      res.writeHead(404).end();
      return;
    }
    const id = decodeURIComponent(url.slice(q + '?id_number='.length));
    total++;
    if (times.length < 100) times.push(performance.now());
    perId.set(id, (perId.get(id) ?? 0) + 1);
    const body = Buffer.from((from && Number(id) >= from.id ? from.parts : parts).join(id));
    const answer = () =>
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
          'cache-control': 'no-store',
        })
        .end(body);
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  // Connections opened by the clients: with keep-alive reuse far fewer than calls.
  let connections = 0;
  server.on('connection', () => connections++);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    bytes: Buffer.byteLength(parts.join('12345678')),
    calls() {
      let maxPerId = 0;
      for (const n of perId.values()) maxPerId = Math.max(maxPerId, n);
      const first = times[0] ?? 0;
      return {
        total,
        distinctIds: perId.size,
        maxPerId,
        at: times.map((t) => Math.round(t - first)),
        connections,
      };
    },
    setItems(items: number) {
      parts = erpBodyTemplate(items);
      return Buffer.byteLength(parts.join('12345678'));
    },
    reset() {
      total = 0;
      connections = 0;
      times = [];
      perId.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
