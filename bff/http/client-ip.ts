import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Where the TCP peer's address comes from; injectable so tests (app.request has no socket) can set it. */
export type RemoteAddressResolver = (c: Context) => string | undefined;

/** Placeholder when no socket is known (app.request in tests): every such request shares one bucket. */
export const UNKNOWN_CLIENT = 'unknown';

/** The socket address under @hono/node-server; undefined anywhere else (getConnInfo throws without `incoming`). */
export const nodeRemoteAddress: RemoteAddressResolver = (c) => {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
};

/**
 * The client's address for rate limiting. X-Forwarded-For is written by whoever sends the request, so it is
 * read only when `trustedProxies` (config) says n proxies of ours stand in front: each appends the address
 * it saw, so the n-th entry from the right is the one our outermost proxy recorded, and everything left of
 * it may be forged. With 0 the header is ignored entirely.
 */
export function clientIp(
  c: Context,
  trustedProxies: number,
  remoteAddress: RemoteAddressResolver = nodeRemoteAddress,
): string {
  const socket = normalizeIp(remoteAddress(c));
  if (trustedProxies > 0) {
    const forwarded = c.req.header('X-Forwarded-For');
    const hops = forwarded
      ? forwarded
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h !== '')
      : [];
    // Fewer hops than proxies means the request entered behind the outermost one; every entry was then
    // written by a proxy of ours, and the leftmost is the farthest address any of them saw.
    const hop = hops.length >= trustedProxies ? hops[hops.length - trustedProxies] : hops[0];
    const fromProxy = normalizeIp(hop);
    if (fromProxy) return fromProxy;
  }
  return socket ?? UNKNOWN_CLIENT;
}

/**
 * Accepts only real addresses (a proxy may write `ip:port` or `[v6]:port`), and folds IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports) into plain IPv4 so one client has one key.
 */
export function normalizeIp(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed?.[1]) ip = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  const version = isIP(ip);
  if (version === 0) return undefined;
  return version === 6 ? ip.toLowerCase() : ip;
}
