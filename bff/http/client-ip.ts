import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { parseCidr } from '../config/cidr';

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

/** Which proxies stand in front (config `trustedProxies` and `trustedProxyAddresses`). */
export interface ProxyTrust {
  /** How many proxies of ours each request passes; 0 → X-Forwarded-For is ignored. */
  readonly hops: number;
  /** When set, X-Forwarded-For is read only from a TCP peer inside these networks. */
  readonly addresses?: BlockList | null;
}

/**
 * The client's address for rate limiting. X-Forwarded-For is written by whoever sends the request, so it is
 * read only when `hops` (config trustedProxies) says n proxies of ours stand in front: each appends the
 * address it saw, so the n-th entry from the right is the one our outermost proxy recorded, and everything
 * left of it may be forged. With 0 the header is ignored entirely.
 *
 * Counting hops trusts that every request came through the proxies: a client that reaches the port
 * directly writes the header itself and picks its own address. `addresses` (trustedProxyAddresses) closes
 * that: the header is then read only when the TCP peer is one of our proxies.
 */
export function clientIp(
  c: Context,
  proxies: ProxyTrust,
  remoteAddress: RemoteAddressResolver = nodeRemoteAddress,
): string {
  const socket = normalizeIp(remoteAddress(c));
  const trustedProxies = proxies.hops;
  const peerTrusted = !proxies.addresses || (socket !== undefined && isInList(proxies.addresses, socket));
  if (trustedProxies > 0 && peerTrusted) {
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

function isInList(list: BlockList, ip: string): boolean {
  return list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}

/** The allow-list of proxy networks (node:net's BlockList matches CIDRs); entries were validated by the config schema. */
export function proxyAllowList(entries: readonly string[] | undefined): BlockList | null {
  if (!entries || entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr) list.addSubnet(cidr.ip, cidr.prefix, cidr.family);
  }
  return list;
}
