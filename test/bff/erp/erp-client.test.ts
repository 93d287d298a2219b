import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  assertErpUrlAllowed,
  checkErpUrl,
  createErpClient,
  type ErpClient,
  type ErpClientDeps,
  type LookupAll,
} from '../../../bff/erp/erp-client';
import type { ErpEndpoint, ErpMerchant } from '../../../bff/erp/erp-port';
import { json, sleep, startLoopback, type Handler, type LoopbackServer } from './loopback';

const PAYLOAD = { payments: [{ recauda_information: { ref_payment: '1', amount: 1000 } }] };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function server(handler: Handler): Promise<LoopbackServer> {
  const s = await startLoopback(handler);
  cleanups.push(() => s.close());
  return s;
}

function client(deps: Partial<ErpClientDeps> = {}): ErpClient {
  const c = createErpClient({ production: false, random: () => 0, ...deps });
  cleanups.push(() => c.close());
  return c;
}

/** The raw client reads only the merchant's `erp` block; the id is for the layers above it. */
const at = (erp: ErpEndpoint): ErpMerchant => ({ id: 'acme', erp });

const staticLookup =
  (...addresses: string[]): LookupAll =>
  (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

describe('answers', () => {
  test('a 200 with JSON comes back as the raw body', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const result = await client().fetchPendingPayments(at({ url: `${s.origin}/get-recaudas` }), '12345678');
    expect(result).toMatchObject({ ok: true, body: PAYLOAD });
    // The bytes as received come along: what the cache keeps instead of the parsed body.
    expect(result.ok && Buffer.from(result.bytes ?? []).toString()).toBe(JSON.stringify(PAYLOAD));
  });

  test('a JSON array still comes back ok: the shape is the reader’s job (it answers erp_bad_response)', async () => {
    const s = await server((_req, res) => json(res, 200, [1, 2]));
    const result = await client().fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toMatchObject({ ok: true, body: [1, 2] });
  });

  test('broken JSON is erp_bad_response', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"payments": [');
    });
    const result = await client().fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_bad_response', detail: 'invalid_json', status: 200 });
  });

  test('an HTML error page with status 200 is erp_bad_response', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Mantenimiento</html>');
    });
    const result = await client().fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toMatchObject({ ok: false, error: 'erp_bad_response', detail: 'invalid_json' });
  });

  test('a body that is not UTF-8 is erp_bad_response; a UTF-8 BOM is tolerated', async () => {
    const s = await server((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.includes('id_number=bom'))
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]));
      else res.end(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    });
    const c = client();
    expect(await c.fetchPendingPayments(at({ url: s.origin }), 'bom')).toMatchObject({
      ok: true,
      body: { a: 1 },
    });
    expect(await c.fetchPendingPayments(at({ url: s.origin }), 'latin1')).toMatchObject({
      ok: false,
      error: 'erp_bad_response',
    });
  });

  test('an empty 204 is erp_bad_response', async () => {
    const s = await server((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    expect(await client().fetchPendingPayments(at({ url: s.origin }), '1')).toMatchObject({
      ok: false,
      error: 'erp_bad_response',
    });
  });
});

describe('statuses and retries', () => {
  test('a 500 is erp_unavailable and is not retried', async () => {
    const s = await server((_req, res) => json(res, 500, { error: 'boom' }));
    const result = await client().fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'http_status', status: 500 });
    expect(s.requests()).toBe(1);
  });

  test('a 404 is erp_unavailable and is never retried', async () => {
    const s = await server((_req, res) => json(res, 404, { error: 'not found' }));
    const result = await client().fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'http_status', status: 404 });
    expect(s.requests()).toBe(1);
  });

  test.each([502, 503, 504])('a %i then a 200 is retried once and succeeds', async (status) => {
    const s = await server((_req, res, n) => (n === 1 ? json(res, status, {}) : json(res, 200, PAYLOAD)));
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 2000 }), '1');
    expect(result).toMatchObject({ ok: true, body: PAYLOAD });
    expect(s.requests()).toBe(2);
  });

  test('503 twice is erp_unavailable after exactly two calls', async () => {
    const s = await server((_req, res) => json(res, 503, {}));
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 2000 }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'http_status', status: 503 });
    expect(s.requests()).toBe(2);
  });

  test('the retry waits a jittered delay drawn from the injected random source', async () => {
    const times: number[] = [];
    const s = await server((_req, res) => {
      times.push(performance.now());
      json(res, 503, {});
    });
    await client({ random: () => 0.999 }).fetchPendingPayments(at({ url: s.origin, timeoutMs: 2000 }), '1');
    expect(times).toHaveLength(2);
    // 100 ms × (0.5 + 0.999) ≈ 150 ms
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(140);
  });

  test('a dropped connection is retried once', async () => {
    const s = await server((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, PAYLOAD)));
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 2000 }), '1');
    expect(result).toMatchObject({ ok: true, body: PAYLOAD });
    expect(s.requests()).toBe(2);
  });

  test('a refused connection is erp_unavailable', async () => {
    const s = await startLoopback(() => undefined);
    await s.close();
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 2000 }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'connect_failed' });
  });

  test('no retry when what is left of the budget could not fit it', async () => {
    const s = await server((_req, res) => {
      setTimeout(() => json(res, 503, {}), 220);
    });
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 300 }), '1');
    expect(result).toMatchObject({ ok: false, error: 'erp_unavailable', status: 503 });
    expect(s.requests()).toBe(1);
  });

  test('a 302 is not followed: erp_bad_response, and the target gets no call', async () => {
    const target = await server((_req, res) => json(res, 200, PAYLOAD));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${target.origin}/get-recaudas` });
      res.end();
    });
    const result = await client().fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_bad_response', detail: 'redirect', status: 302 });
    expect(target.requests()).toBe(0);
    expect(s.requests()).toBe(1);
  });
});

describe('one time budget', () => {
  test('an ERP that never answers is erp_timeout within timeoutMs', async () => {
    const s = await server(() => undefined);
    const started = performance.now();
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 300 }), '1');
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, error: 'erp_timeout', detail: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(450);
  });

  test('a body that stalls after the headers is erp_timeout within timeoutMs', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"payments": [');
    });
    const started = performance.now();
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 300 }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_timeout', detail: 'timeout' });
    expect(performance.now() - started).toBeLessThan(450);
  });

  test('a trickling body cannot stretch the budget', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 300 }), '1');
    expect(result).toMatchObject({ ok: false, error: 'erp_timeout' });
    expect(performance.now() - started).toBeLessThan(450);
  });

  test('the retry is inside the same budget: 503 then silence ends at timeoutMs, not twice it', async () => {
    const s = await server((_req, res, n) => {
      if (n === 1) json(res, 503, {});
    });
    const started = performance.now();
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 400 }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_timeout', detail: 'timeout' });
    expect(s.requests()).toBe(2);
    expect(performance.now() - started).toBeLessThan(550);
  });

  test('the caller can abort; the answer is immediate and nothing rejects', async () => {
    const s = await server(() => undefined);
    const controller = new AbortController();
    const pending = client().fetchPendingPayments(
      at({ url: s.origin, timeoutMs: 5000 }),
      '1',
      controller.signal,
    );
    await sleep(50);
    controller.abort();
    expect(await pending).toEqual({ ok: false, error: 'erp_unavailable', detail: 'aborted' });
  });
});

describe('body cap', () => {
  test('a 5 MB streamed body is erp_bad_response and the connection is cut early', async () => {
    let written = 0;
    let finished = false;
    let markClosed = () => {};
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Paced so the test shows the client hanging up, not kernel buffers swallowing the body.
      const timer = setInterval(() => {
        if (written >= 5 * 1024 * 1024) {
          clearInterval(timer);
          finished = true;
          res.end();
          return;
        }
        res.write(chunk);
        written += chunk.length;
      }, 2);
      res.on('close', () => {
        clearInterval(timer);
        markClosed();
      });
    });
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 5000 }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_bad_response', detail: 'body_too_large', status: 200 });
    await closed;
    expect(finished).toBe(false);
    expect(written).toBeLessThan(3 * 1024 * 1024);
  });

  test('a Content-Length over the cap is refused before reading the body', async () => {
    let serverSawClose = false;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5 * 1024 * 1024 });
      res.write('{');
      res.on('close', () => (serverSawClose = true));
    });
    const started = performance.now();
    const result = await client().fetchPendingPayments(at({ url: s.origin, timeoutMs: 3000 }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_bad_response', detail: 'body_too_large', status: 200 });
    expect(performance.now() - started).toBeLessThan(200);
    await vi.waitFor(() => expect(serverSawClose).toBe(true));
  });

  test('maxBytes is configurable and a body of exactly maxBytes is accepted', async () => {
    const body = JSON.stringify({ payments: [], pad: 'x'.repeat(100) });
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const c = client();
    const size = Buffer.byteLength(body);
    expect(await c.fetchPendingPayments(at({ url: s.origin, maxBytes: size }), '1')).toMatchObject({
      ok: true,
    });
    expect(await c.fetchPendingPayments(at({ url: s.origin, maxBytes: size - 1 }), '1')).toMatchObject({
      ok: false,
      detail: 'body_too_large',
    });
  });
});

describe('request', () => {
  test('id_number is URL-encoded and appended; the configured query keeps its exact bytes', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const c = client();
    await c.fetchPendingPayments(at({ url: `${s.origin}/api/get-recaudas?token=abc%20x&b=1` }), '12 34&x=1');
    await c.fetchPendingPayments(at({ url: `${s.origin}/get-recaudas` }), '12345678');
    await c.fetchPendingPayments(at({ url: `${s.origin}/get-recaudas?` }), '900373923');
    expect(s.seen.map((r) => r.url)).toEqual([
      '/api/get-recaudas?token=abc%20x&b=1&id_number=12%2034%26x%3D1',
      '/get-recaudas?id_number=12345678',
      '/get-recaudas?id_number=900373923',
    ]);
  });

  test('the static headers of the config are sent, and it is a GET', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    await client().fetchPendingPayments(
      at({ url: s.origin, headers: { Authorization: 'Bearer erp-token', 'X-Erp-Tenant': 'acme' } }),
      '1',
    );
    const req = s.seen[0];
    expect(req?.method).toBe('GET');
    expect(req?.headers.authorization).toBe('Bearer erp-token');
    expect(req?.headers['x-erp-tenant']).toBe('acme');
    expect(req?.headers.accept).toBe('application/json');
  });

  test('an invalid header value from the config is erp_unavailable, nothing sent', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const result = await client().fetchPendingPayments(
      at({ url: s.origin, headers: { 'X-Bad': 'a\nb' } }),
      '1',
    );
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'invalid_request' });
    expect(s.connections()).toBe(0);
  });

  test('keep-alive: consecutive lookups reuse one connection', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const c = client();
    for (let i = 0; i < 5; i++) await c.fetchPendingPayments(at({ url: s.origin }), String(i));
    expect(s.requests()).toBe(5);
    expect(s.connections()).toBe(1);
  });

  test('logs carry no id number, URL path or header', async () => {
    const lines: string[] = [];
    const logger = {
      warn: (data: Record<string, unknown>, msg: string) => lines.push(JSON.stringify([data, msg])),
      info: (data: Record<string, unknown>, msg: string) => lines.push(JSON.stringify([data, msg])),
    };
    const s = await server((_req, res) => json(res, 503, {}));
    await client({ logger }).fetchPendingPayments(
      at({
        url: `${s.origin}/secret-path?token=t0k3n`,
        headers: { Authorization: 'Bearer s3cr3t' },
        timeoutMs: 2000,
      }),
      '98765432',
    );
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    for (const secret of ['98765432', 'secret-path', 't0k3n', 's3cr3t']) expect(all).not.toContain(secret);
  });
});

describe('production rules', () => {
  test('an http: URL is refused without connecting', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const result = await client({ production: true }).fetchPendingPayments(at({ url: s.origin }), '1');
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'url_not_allowed' });
    expect(s.connections()).toBe(0);
  });

  test('a hostname resolving to 127.0.0.1 is refused before any connection', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const lookup = vi.fn(staticLookup('127.0.0.1'));
    const result = await client({ production: true, lookup }).fetchPendingPayments(
      at({ url: `https://erp.example.co:${s.port}/get-recaudas` }),
      '1',
    );
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'address_not_allowed' });
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(s.connections()).toBe(0);
  });

  test('the same lookup outside production connects: the check is what stops it', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const result = await client({
      production: false,
      lookup: staticLookup('127.0.0.1'),
    }).fetchPendingPayments(at({ url: `http://erp.example.co:${s.port}/get-recaudas` }), '1');
    expect(result).toMatchObject({ ok: true, body: PAYLOAD });
    expect(s.seen[0]?.headers.host).toBe(`erp.example.co:${s.port}`);
  });

  test('a hostname with one public and one private address is refused (no rebinding through the second)', async () => {
    const s = await server((_req, res) => json(res, 200, PAYLOAD));
    const result = await client({
      production: true,
      lookup: staticLookup('8.8.8.8', '169.254.169.254'),
    }).fetchPendingPayments(at({ url: `https://erp.example.co:${s.port}/` }), '1');
    expect(result).toMatchObject({ ok: false, detail: 'address_not_allowed' });
  });

  test.each(['https://127.0.0.1:{port}/', 'https://[::1]:{port}/', 'https://[::ffff:127.0.0.1]:{port}/'])(
    'a literal private address %s is refused without connecting',
    async (template) => {
      const s = await server((_req, res) => json(res, 200, PAYLOAD));
      const lookup = vi.fn(staticLookup('8.8.8.8'));
      const result = await client({ production: true, lookup }).fetchPendingPayments(
        at({ url: template.replace('{port}', String(s.port)) }),
        '1',
      );
      expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'address_not_allowed' });
      expect(s.connections()).toBe(0);
    },
  );

  test('a DNS failure is erp_unavailable', async () => {
    const lookup: LookupAll = (_h, _o, callback) => {
      const err: NodeJS.ErrnoException = new Error('getaddrinfo ENOTFOUND');
      err.code = 'ENOTFOUND';
      callback(err, []);
    };
    const result = await client({ production: true, lookup }).fetchPendingPayments(
      at({ url: 'https://erp.invalid/', timeoutMs: 1000 }),
      '1',
    );
    expect(result).toEqual({ ok: false, error: 'erp_unavailable', detail: 'connect_failed' });
  });
});

describe('config-time URL check', () => {
  test.each([
    ['https://erp.acme.co/get-recaudas?token=x', true, null],
    ['http://127.0.0.1:9000/get-recaudas', false, null],
    ['http://erp.acme.co/get-recaudas', true, 'protocol_not_allowed'],
    ['ftp://erp.acme.co/x', false, 'protocol_not_allowed'],
    ['not a url', false, 'invalid_url'],
    ['https://user:pass@erp.acme.co/', true, 'credentials_in_url'],
    ['https://erp.acme.co/?id_number=1', false, 'id_number_in_url'],
    ['https://10.1.2.3/', true, 'address_not_allowed'],
    ['https://169.254.169.254/latest/meta-data', true, 'address_not_allowed'],
    ['https://[fd00::1]/', true, 'address_not_allowed'],
    ['https://8.8.8.8/', true, null],
  ] as const)('%s (production %s) → %s', (url, production, problem) => {
    expect(checkErpUrl(url, { production })).toBe(problem);
  });

  test('assertErpUrlAllowed names the config path and the rule, never the URL', () => {
    expect(() =>
      assertErpUrlAllowed('http://erp.acme.co/get?token=s3cr3t', {
        production: true,
        path: 'merchants[0].erp.url',
      }),
    ).toThrow(/^merchants\[0\]\.erp\.url: must use https/);
    try {
      assertErpUrlAllowed('http://erp.acme.co/get?token=s3cr3t', { production: true });
    } catch (err) {
      expect(String(err)).not.toContain('s3cr3t');
    }
    expect(() => assertErpUrlAllowed('https://erp.acme.co/get', { production: true })).not.toThrow();
  });
});
