import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1, counting what reaches it, for the ERP client tests. */
export interface LoopbackServer {
  readonly origin: string;
  readonly port: number;
  /** Requests that reached the handler. */
  requests(): number;
  /** TCP connections accepted. */
  connections(): number;
  readonly seen: IncomingMessage[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export async function startLoopback(handler: Handler): Promise<LoopbackServer> {
  let requests = 0;
  let connections = 0;
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests++;
    seen.push(req);
    handler(req, res, requests);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests: () => requests,
    connections: () => connections,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
