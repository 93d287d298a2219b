import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { parseCidr } from '../../../bff/config/cidr';
import {
  clientIp,
  normalizeIp,
  proxyAllowList,
  type RemoteAddressResolver,
} from '../../../bff/http/client-ip';
import { addressKey } from '../../../bff/http/rate-limit';

async function ipOf(
  trustedProxies: number,
  headers: Record<string, string>,
  socket: string | undefined = '10.0.0.9',
): Promise<string> {
  const remote: RemoteAddressResolver = () => socket;
  const app = new Hono().get('/', (c) => c.text(clientIp(c, { hops: trustedProxies }, remote)));
  return (await app.request('/', { headers })).text();
}

describe('clientIp', () => {
  test('X-Forwarded-For is ignored without trusted proxies', async () => {
    expect(await ipOf(0, { 'X-Forwarded-For': '1.2.3.4' })).toBe('10.0.0.9');
  });

  test('with one trusted proxy the rightmost entry is the client, whatever the client prepended', async () => {
    expect(await ipOf(1, { 'X-Forwarded-For': '1.2.3.4' })).toBe('1.2.3.4');
    expect(await ipOf(1, { 'X-Forwarded-For': '6.6.6.6, 1.2.3.4' })).toBe('1.2.3.4');
  });

  test('with two trusted proxies it is the second entry from the right', async () => {
    expect(await ipOf(2, { 'X-Forwarded-For': '6.6.6.6, 1.2.3.4, 10.0.0.2' })).toBe('1.2.3.4');
  });

  test('fewer entries than proxies: the leftmost, which a proxy of ours wrote', async () => {
    expect(await ipOf(2, { 'X-Forwarded-For': '1.2.3.4' })).toBe('1.2.3.4');
  });

  test('a missing or unusable forwarded entry falls back to the socket', async () => {
    expect(await ipOf(1, {})).toBe('10.0.0.9');
    expect(await ipOf(1, { 'X-Forwarded-For': 'not-an-ip' })).toBe('10.0.0.9');
    expect(await ipOf(1, { 'X-Forwarded-For': ' , ' })).toBe('10.0.0.9');
  });

  test('without a socket (app.request) every client is "unknown"', async () => {
    const app = new Hono().get('/', (c) => c.text(clientIp(c, { hops: 0 })));
    expect(await (await app.request('/')).text()).toBe('unknown');
  });

  test('under @hono/node-server it is the socket address', async () => {
    const app = new Hono().get('/', (c) => c.text(clientIp(c, { hops: 0 })));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Forwarded-For': '1.2.3.4' } });
      expect(await res.text()).toBe('127.0.0.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test.each([
    ['1.2.3.4', '1.2.3.4'],
    ['1.2.3.4:5678', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['[2001:DB8::1]:443', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['1.2.3', undefined],
    ['unknown', undefined],
    ['', undefined],
  ])('normalizeIp(%j) → %j', (raw, ip) => {
    expect(normalizeIp(raw)).toBe(ip);
  });

  test.each([
    ['1.2.3.4', '1.2.3.4'],
    ['unknown', 'unknown'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::1.2.3.4', '64:ff9b:0:0::/64'],
  ])('rate limit key of %s is %s (IPv6 per /64)', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('trustedProxyAddresses', () => {
  const ip = async (socket: string, allow: string[]) => {
    const app = new Hono().get('/', (c) =>
      c.text(clientIp(c, { hops: 1, addresses: proxyAllowList(allow) }, () => socket)),
    );
    return (await app.request('/', { headers: { 'X-Forwarded-For': '1.2.3.4' } })).text();
  };

  test.each([
    ['10.1.2.3', ['10.0.0.0/8'], '1.2.3.4'],
    ['::ffff:10.1.2.3', ['10.0.0.0/8'], '1.2.3.4'],
    ['192.168.1.1', ['10.0.0.0/8'], '192.168.1.1'],
    ['192.168.1.1', ['192.168.1.1'], '1.2.3.4'],
    ['192.168.1.2', ['192.168.1.1'], '192.168.1.2'],
    ['2001:db8::5', ['2001:db8::/32'], '1.2.3.4'],
    ['2001:db9::5', ['2001:db8::/32'], '2001:db9::5'],
  ])('peer %s with allow-list %j → client %s', async (socket, allow, expected) => {
    expect(await ip(socket, allow)).toBe(expected);
  });

  test.each(['10.0.0.0/33', '10.0.0/8', 'proxy.local', '2001:db8::/129', '10.0.0.0/8/1', '10.0.0.0/x', ''])(
    'parseCidr(%j) is refused',
    (entry) => {
      expect(parseCidr(entry)).toBeNull();
    },
  );
});
