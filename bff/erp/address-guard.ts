import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard for outbound calls to merchant-configured URLs (docs/spec/erp-recauda.md "Calling it"): outside development
 * the portal may only talk to addresses that are routable on the public Internet. The check runs on the
 * address the socket is about to connect to (see erp-client.ts), so a hostname that resolves to a private
 * address is refused just like a literal one.
 */

// IPv4 ranges that are not public unicast (IANA special-purpose registry, RFC 6890 and successors).
const V4_NOT_PUBLIC: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT, often the cloud provider's internal network
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, home of 169.254.169.254 cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments (DS-Lite, NAT64 discovery…)
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255
];

// Inside 2000::/3 (the only global unicast block), the parts that are still not plainly public.
const V6_NOT_PUBLIC: ReadonlyArray<readonly [string, number]> = [
  ['2001::', 23], // IETF protocol assignments: Teredo (hides an IPv4 address), ORCHID, benchmarking
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // SRv6 segment identifiers
];

const v4Blocked = new BlockList();
for (const [net, prefix] of V4_NOT_PUBLIC) v4Blocked.addSubnet(net, prefix, 'ipv4');
const v6Blocked = new BlockList();
for (const [net, prefix] of V6_NOT_PUBLIC) v6Blocked.addSubnet(net, prefix, 'ipv6');

/** True only for a syntactically valid IPv4/IPv6 address that is public unicast. Anything unparsable is false. */
export function isPublicAddress(ip: string): boolean {
  // A zone id (`fe80::1%eth0`) only exists for scoped, hence non-public, addresses.
  if (ip.includes('%')) return false;
  const kind = isIP(ip);
  if (kind === 4) return !v4Blocked.check(ip, 'ipv4');
  if (kind !== 6) return false;
  const bytes = parseIPv6(ip);
  if (!bytes) return false;
  // Forms that carry an IPv4 address are judged by that address: `::ffff:10.0.0.1` reaches 10.0.0.1.
  const embedded = embeddedIPv4(bytes);
  if (embedded !== undefined) return embedded !== null && !v4Blocked.check(embedded, 'ipv4');
  // Only 2000::/3 is global unicast; this excludes ::, ::1, fc00::/7, fe80::/10, fec0::/10 and ff00::/8 at once.
  if (((bytes[0] ?? 0) & 0xe0) !== 0x20) return false;
  return !v6Blocked.check(ip, 'ipv6');
}

/**
 * The IPv4 address an IPv6 address stands for: `undefined` when it is a plain IPv6 address, `null` for the
 * deprecated IPv4-compatible form (never public).
 */
function embeddedIPv4(b: Uint8Array): string | null | undefined {
  const zeros = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  const v4 = (at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  // ::a.b.c.d (IPv4-compatible, deprecated) and ::, ::1
  if (zeros(0, 12)) return null;
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix): the gateway would connect to the IPv4 address for us.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12);
  // 2002:AABB:CCDD::/48 (6to4)
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return undefined;
}

/** Expands a valid IPv6 text (already checked with isIP) into its 16 bytes. */
function parseIPv6(text: string): Uint8Array | null {
  let head = text;
  const out = new Uint8Array(16);
  let tail: number[] = [];
  // A trailing dotted quad fills the last 32 bits.
  const lastColon = head.lastIndexOf(':');
  const last = head.slice(lastColon + 1);
  if (last.includes('.')) {
    const parts = last.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
    tail = [((parts[0] ?? 0) << 8) | (parts[1] ?? 0), ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)];
    head = head.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left = '', right] = head.split('::');
  const toGroups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const leftGroups = toGroups(left);
  const rightGroups = [...(right === undefined ? [] : toGroups(right)), ...tail];
  const fill = 8 - leftGroups.length - rightGroups.length;
  if (fill < 0 || (right === undefined && fill !== 0)) return null;
  const groups = [...leftGroups, ...new Array<number>(fill).fill(0), ...rightGroups];
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? out : null;
}
