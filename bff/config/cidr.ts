import { isIP } from 'node:net';

/**
 * Reads `10.0.0.0/8`, `2001:db8::/32` or a bare address (one host); null for anything else. The peer is
 * compared after normalizeIp, so an IPv4-mapped v6 peer (`::ffff:10.0.0.1`) matches a v4 network.
 */
export function parseCidr(entry: string): { ip: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [addr, bits, ...rest] = entry.trim().split('/');
  if (rest.length > 0 || !addr) return null;
  const version = isIP(addr);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { ip: addr, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}
