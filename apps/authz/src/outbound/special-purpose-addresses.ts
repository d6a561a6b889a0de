import { BlockList, isIP } from 'node:net';

/**
 * Addresses an outbound fetch driven by a client-supplied URL must never reach (CIMD draft §8.6: no special-use
 * addresses, RFC 6890 and the IANA special-purpose registries). Cloud metadata services sit inside these ranges:
 * 169.254.169.254 (link-local), fd00:ec2::254 (unique local), 100.100.100.200 (shared address space).
 */
// One list per family: a BlockList matches an IPv4 address against IPv4-mapped IPv6 rules as well.
const NON_PUBLIC_V4 = new BlockList();
const NON_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // RFC 6598 shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['192.175.48.0', 24], // AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NON_PUBLIC_V4.addSubnet(network, prefix, 'ipv4');
}
// IPv6: only 2000::/3 is global unicast. Everything else (loopback, IPv4-mapped and -compatible, NAT64, unique
// local, link-local, multicast) is refused wholesale, then the special blocks inside 2000::/3.
for (const [network, prefix] of [
  ['::', 3],
  ['4000::', 2],
  ['8000::', 1],
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an arbitrary IPv4 address
  ['3fff::', 20], // documentation
] as const) {
  NON_PUBLIC_V6.addSubnet(network, prefix, 'ipv6');
}

const LOOPBACK_V4 = new BlockList();
LOOPBACK_V4.addSubnet('127.0.0.0', 8, 'ipv4');
const LOOPBACK_V6 = new BlockList();
LOOPBACK_V6.addAddress('::1', 'ipv6');

/** A unicast address on the public Internet; false for anything special-purpose or not an IP at all. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return !NON_PUBLIC_V4.check(address, 'ipv4');
  return version === 6 && !NON_PUBLIC_V6.check(address, 'ipv6');
}

/** 127.0.0.0/8 or ::1 (an IPv4-mapped loopback address is not accepted as loopback). */
export function isLoopbackAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return LOOPBACK_V4.check(address, 'ipv4');
  return version === 6 && LOOPBACK_V6.check(address, 'ipv6');
}
