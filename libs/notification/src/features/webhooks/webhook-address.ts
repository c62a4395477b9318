import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** IPv6 space that ipaddr.js calls unicast but that must not be reached either. */
const IPV6_REFUSED = [
  ipaddr.parseCIDR('fec0::/10'), // site-local (deprecated, still routed inside some networks)
  ipaddr.parseCIDR('::/96'), // IPv4-compatible (deprecated)
  ipaddr.parseCIDR('64:ff9b:1::/48'), // local-use IPv4/IPv6 translation (RFC 8215)
];
/** Global unicast: the only IPv6 space a public receiver can be in. */
const IPV6_GLOBAL = ipaddr.parseCIDR('2000::/3');

/** The IPv4 address an IPv6 translation or tunnelling form carries, or null when it carries none. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const bytes = address.toByteArray();
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return new ipaddr.IPv4(bytes.slice(12, 16));
    case '6to4':
      return new ipaddr.IPv4(bytes.slice(2, 6));
    case 'teredo':
      // The client's address, obfuscated by inverting its bits.
      return new ipaddr.IPv4(bytes.slice(12, 16).map((byte) => byte ^ 0xff));
    default:
      return null;
  }
}

/**
 * The kind of address `address` (an IP literal) is when a webhook may not connect to it (`loopback`, `private`,
 * `linkLocal`, `reserved`, ...), or null when it may: only public unicast addresses, and loopback when `allowLoopback`.
 * IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, Teredo) are judged by the address they carry.
 */
export function refusedRange(address: string, allowLoopback: boolean): string | null {
  let parsed: Address;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'unparsable';
  }
  return refusedRangeOf(parsed, allowLoopback);
}

function refusedRangeOf(address: Address, allowLoopback: boolean): string | null {
  const range = address.range();
  if (range === 'loopback') return allowLoopback ? null : range;
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    const carried = embeddedIPv4(v6);
    if (carried) return refusedRangeOf(carried, allowLoopback);
    if (range !== 'unicast') return range;
    return !v6.match(IPV6_GLOBAL) || IPV6_REFUSED.some((cidr) => v6.match(cidr)) ? 'reserved' : null;
  }
  return range === 'unicast' ? null : range;
}

/** Names that always mean this machine (RFC 6761), with or without the root's trailing dot. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
