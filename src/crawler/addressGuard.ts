/**
 * The SSRF guard: which IP addresses a crawl may connect to.
 *
 * Candidate domains are chosen by whoever runs the pirate site, so a name (or a redirect, or a
 * literal such as `http://2130706433/`) may point at the crawler's own network. Only global
 * unicast addresses pass; every special-purpose range in the IANA IPv4 and IPv6 registries is
 * refused, and IPv6 forms that embed an IPv4 address (mapped, compatible, 6to4, NAT64) are judged
 * by the embedded address or refused outright. The check runs on every address DNS returns and
 * again on the connected socket, on every redirect hop.
 */
import net from 'node:net';

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'ipv4-mapped'
  | 'ipv4-embedded'
  | 'unique-local'
  | 'invalid';

/** An address the caller vouches for (the test world), exact address and port. */
export interface AllowedAddress {
  address: string;
  port: number;
}

export interface AddressPolicy {
  /** lift the guard entirely (`--allow-private`) */
  allowPrivate: boolean;
  /** exact address:port pairs allowed even though private (the test world's own listeners) */
  allowAddresses: readonly AllowedAddress[];
}

type V4Range = readonly [base: number, prefix: number, cls: AddressClass];

function v4(text: string): number {
  const parts = text.split('.').map(Number);
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

// IANA IPv4 Special-Purpose Address Registry, plus multicast and the old class E.
const V4_RANGES: readonly V4Range[] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'cgnat'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'documentation'],
  [v4('192.31.196.0'), 24, 'reserved'],
  [v4('192.52.193.0'), 24, 'reserved'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('192.175.48.0'), 24, 'reserved'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'documentation'],
  [v4('203.0.113.0'), 24, 'documentation'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

function classifyV4Number(n: number): AddressClass {
  for (const [base, prefix, cls] of V4_RANGES) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((n & mask) >>> 0 === base) return cls;
  }
  return 'public';
}

/** Eight 16-bit groups of a valid IPv6 address (with an embedded dotted quad expanded). */
function v6Groups(text: string): number[] {
  let s = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = v4(dotted[1]!);
    s = `${s.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
}

function classifyV6(text: string): AddressClass {
  const g = v6Groups(text);
  if (g.length !== 8 || g.some((x) => Number.isNaN(x))) return 'invalid';
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const embedded = ((g6 << 16) >>> 0) + g7;
  const zeroTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g7 === 1) return 'loopback';
  // ::ffff:a.b.c.d reaches the IPv4 stack on dual-stack hosts: refused whatever a.b.c.d is
  if (zeroTo(5) && g5 === 0xffff) return 'ipv4-mapped';
  // ::a.b.c.d (deprecated "compatible") and the rest of ::/8
  if (g0 === 0) return 'reserved';
  // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address; 64:ff9b:1::/48 is local use
  if (g0 === 0x64 && g1 === 0xff9b) {
    if (g2 === 1) return 'reserved';
    if (g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4Number(embedded) === 'public' ? 'public' : 'ipv4-embedded';
    return 'reserved';
  }
  // 6to4 2002::/16 carries an IPv4 address in bits 16..47
  if (g0 === 0x2002) return classifyV4Number(((g1 << 16) >>> 0) + g2) === 'public' ? 'public' : 'ipv4-embedded';
  // Teredo 2001::/32 hides an (XOR-obfuscated) IPv4 address: refuse the whole range
  if (g0 === 0x2001 && g1 === 0) return 'ipv4-embedded';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation';
  // 2001::/23 holds IETF protocol assignments (benchmarking, ORCHID, ...)
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved';
  if (g0 === 0x3fff && g1 < 0x1000) return 'documentation';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // only 2000::/3 is allocated global unicast
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** Classify an IP address given as text (IPv4 dotted quad or IPv6, optionally with a zone or brackets). */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = net.isIP(bare);
  if (family === 4) return classifyV4Number(v4(bare));
  if (family === 6) return classifyV6(bare.toLowerCase());
  return 'invalid';
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function sameAddress(a: string, b: string): boolean {
  const strip = (x: string): string => x.replace(/^\[|\]$/g, '').toLowerCase();
  return strip(a) === strip(b);
}

/** `null` when the connection may go ahead, otherwise the class that refused it. */
export function refusal(policy: AddressPolicy, address: string, port: number): AddressClass | null {
  const cls = classifyAddress(address);
  if (cls === 'public') return null;
  if (cls === 'invalid') return cls;
  if (policy.allowPrivate) return null;
  if (policy.allowAddresses.some((allowed) => allowed.port === port && sameAddress(allowed.address, address))) return null;
  return cls;
}
