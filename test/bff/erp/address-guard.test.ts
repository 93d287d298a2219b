import { expect, test } from 'vitest';
import { isPublicAddress } from '../../../bff/erp/address-guard';

test.each([
  // IPv4
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback range'],
  ['0.0.0.0', 'this host'],
  ['0.1.2.3', 'this network'],
  ['10.0.0.1', 'private 10/8'],
  ['10.255.255.255', 'private 10/8 end'],
  ['172.16.0.1', 'private 172.16/12'],
  ['172.31.255.255', 'private 172.16/12 end'],
  ['192.168.1.10', 'private 192.168/16'],
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.0.1', 'link-local'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.254', 'CGNAT end'],
  ['192.0.0.170', 'IETF protocol assignments'],
  ['192.0.2.10', 'TEST-NET-1'],
  ['198.18.0.1', 'benchmarking'],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.251', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  // IPv6
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fc00::1', 'unique local'],
  ['fd12:3456:789a::1', 'unique local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local with zone'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex form'],
  ['::ffff:192.168.0.1', 'IPv4-mapped private'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
  ['64:ff9b::7f00:1', 'NAT64 of loopback, hex form'],
  ['2002:c0a8:0101::1', '6to4 of 192.168.1.1'],
  ['2001:db8::1', 'documentation'],
  ['2001::1', 'Teredo'],
  ['100::1', 'discard-only'],
  ['3fff::1', 'documentation (RFC 9637)'],
  // Not addresses at all
  ['localhost', 'a name'],
  ['127.1', 'short IPv4 form'],
  ['0x7f000001', 'hex IPv4 form'],
  ['', 'empty'],
  ['1.2.3.4.5', 'garbage'],
])('%s is not public (%s)', (ip) => {
  expect(isPublicAddress(ip)).toBe(false);
});

test.each([
  '8.8.8.8',
  '1.1.1.1',
  '190.85.10.12',
  '181.49.0.1',
  '172.15.255.255',
  '172.32.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '169.253.255.255',
  '2800:3f0:4005:400::200e',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:0808:0808::1',
])('%s is public', (ip) => {
  expect(isPublicAddress(ip)).toBe(true);
});
