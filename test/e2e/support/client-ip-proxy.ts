import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';

/**
 * A forward HTTP proxy for one browser context whose outgoing connections leave from their own loopback
 * address (127.x.y.z: all of 127/8 is local on Linux). The portal limits lookups per client IP (10 a minute
 * in the demo config, trustedProxies 0), and a whole suite from 127.0.0.1 would trip it; with a proxy per
 * context, each test is its own client, as real payers are, and the limiter stays on.
 * playwright-core sends loopback traffic through a context's proxy too (`<-loopback>`).
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost']);
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

export interface ClientIpProxy {
  /** For `browser.newContext({ proxy: { server } })`. */
  readonly server: string;
  /** The address the portal sees as the client. */
  readonly clientIp: string;
  close(): Promise<void>;
}

/** A random 127/8 address, so files running one after another never share a rate-limit bucket. */
export function randomLoopbackIp(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

function forwardHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

function rawWithoutHopByHop(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, raw[i + 1] as string);
  }
  return out;
}

export async function startClientIpProxy(clientIp = randomLoopbackIp()): Promise<ClientIpProxy> {
  const agent = new Agent({ keepAlive: true, localAddress: clientIp });
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URL expected');
      return;
    }
    // Only the test's own loopback servers: nothing leaves the machine through this proxy.
    if (target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
      res.writeHead(502).end('e2e proxy: loopback http only');
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: forwardHeaders(req.headers),
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, rawWithoutHopByHop(up.rawHeaders));
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  // playwright-core's API requests (page.request) tunnel through CONNECT even for plain http.
  server.on('connect', (req, socket, head) => {
    const [hostname = '', port = ''] = (req.url ?? '').split(':');
    if (!LOOPBACK.has(hostname) || !/^\d+$/.test(port)) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: Number(port), localAddress: clientIp }, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    clientIp,
    close: () =>
      new Promise<void>((ok) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
