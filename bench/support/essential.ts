import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createErpClient } from '../../bff/erp/erp-client';
import { createSilentLogger } from '../../bff/observability/logger';
import { lookupPayer, type LookupDeps } from '../../bff/services/lookup-service';
import { benchConfig, BENCH_MERCHANT } from './bff';

/**
 * Yardstick (c) of the lookup: the essential work of a lookup and nothing else. A bare node:http server
 * that reads `POST /lookup {"idNumber":"…"}`, fetches the ERP with the project's own ERP client (the same
 * keep-alive agent, byte cap and UTF-8 decoding), runs the project's lookup service (reader, dedupe,
 * pricing, the response shape) with no recorded payments, and serialises the same response the BFF sends.
 * No framework, no middleware, no cache, no store, no logs, no metrics.
 */
export async function startEssential(
  erpPort: number,
  options: { maxBytes?: number } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const config = benchConfig(
    `http://127.0.0.1:${erpPort}/get-recaudas`,
    options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes },
  );
  const merchant = config.merchants.find((m) => m.id === BENCH_MERCHANT)!;
  const erp = createErpClient({ production: false });
  const deps: LookupDeps = {
    erp,
    store: {
      itemStates: async () => new Map(),
      payerItemStates: async () => ({ charges: [], states: new Map() }),
    },
    logger: createSilentLogger(),
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/lookup') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let idNumber: string;
      try {
        idNumber = String(
          (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { idNumber: unknown }).idNumber,
        );
      } catch {
        res.writeHead(400).end();
        return;
      }
      void lookupPayer(deps, merchant, idNumber, new Date()).then(
        (outcome) => {
          const body = JSON.stringify(outcome.ok ? outcome.response : { error: { code: outcome.code } });
          res
            .writeHead(outcome.ok ? 200 : outcome.status, {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            })
            .end(body);
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        erp.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
