import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The baseline: a bare node:http passthrough. `POST /lookup {"idNumber":"…"}` becomes
 * `GET /get-recaudas?id_number=…` on the ERP (keep-alive agent, like the BFF's ERP client) and the answer is
 * streamed back unchanged. No validation, pricing, store or headers beyond the ERP's: the least any BFF does.
 * With `json`, the body is parsed and serialised again instead (for the details only): the least any BFF
 * that reads the ERP's answer does.
 */
export async function startProxy(
  erpPort: number,
  options: { json?: boolean } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/lookup') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let id: string;
      try {
        id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { idNumber: unknown }).idNumber);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: erpPort,
          path: `/get-recaudas?id_number=${encodeURIComponent(id)}`,
          method: 'GET',
          agent,
          headers: { accept: 'application/json' },
        },
        (up) => {
          if (options.json) {
            const parts: Buffer[] = [];
            up.on('data', (c: Buffer) => parts.push(c));
            up.on('end', () => {
              const out = JSON.stringify(JSON.parse(Buffer.concat(parts).toString('utf8')));
              res
                .writeHead(up.statusCode ?? 502, {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(out),
                })
                .end(out);
            });
            return;
          }
          const headers: http.OutgoingHttpHeaders = {
            'content-type': up.headers['content-type'] ?? 'application/json',
          };
          if (up.headers['content-length']) headers['content-length'] = up.headers['content-length'];
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
