/**
 * Where a hop connects: curl-style overrides (`--resolve HOST:PORT:ADDR`,
 * `--connect-to HOST1:PORT1:HOST2:PORT2`) and an injectable DNS resolver.
 *
 * The resolver is injected so tests and the test world answer from a DNS server on loopback and
 * nothing ever asks the machine's resolver about a `.test` name.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { CrawlError } from './crawlErrors.js';

/** Every address a name has (A and AAAA), or a CrawlError (NXDOMAIN, no data, failure). */
export type HostResolver = (hostname: string, signal?: AbortSignal) => Promise<string[]>;

/** `--resolve HOST:PORT:ADDR[,ADDR...]`; host `*` matches every name. */
export interface ResolveRule {
  host: string;
  port: number;
  addresses: string[];
}

/**
 * `--connect-to HOST1:PORT1:HOST2:PORT2`: a request for HOST1:PORT1 connects to HOST2:PORT2
 * (Host header, SNI and the recorded URL keep HOST1). Empty HOST1 / PORT1 match any; HOST1
 * `*.zone` matches names below zone; empty HOST2 / PORT2 keep the original.
 */
export interface ConnectToRule {
  fromHost: string | null;
  fromPort: number | null;
  toHost: string | null;
  toPort: number | null;
}

const MAX_ADDRESSES = 16;

function badRule(kind: string, text: string, why: string): CrawlError {
  return new CrawlError('CRAWL_INVALID_URL', `${kind} "${text}": ${why}`);
}

function parsePort(text: string, kind: string, rule: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw badRule(kind, rule, `"${text}" is not a port`);
  return Number(text);
}

/** Parse curl's `HOST:PORT:ADDR[,ADDR]`; IPv6 addresses may be bracketed. */
export function parseResolveRule(text: string): ResolveRule {
  const m = /^([^:]+):(\d+):(.+)$/.exec(text.trim());
  if (!m) throw badRule('--resolve', text, 'expected HOST:PORT:ADDR');
  const addresses = m[3]!.split(',').map((a) => a.trim().replace(/^\[|\]$/g, ''));
  for (const address of addresses) if (net.isIP(address) === 0) throw badRule('--resolve', text, `"${address}" is not an IP address`);
  return { host: m[1]!.toLowerCase(), port: parsePort(m[2]!, '--resolve', text), addresses };
}

/** Parse curl's `HOST1:PORT1:HOST2:PORT2` (IPv6 HOST2 bracketed). */
export function parseConnectToRule(text: string): ConnectToRule {
  const m = /^([^:\[\]]*):(\d*):(\[[0-9a-fA-F:.]+\]|[^:]*):(\d*)$/.exec(text.trim());
  if (!m) throw badRule('--connect-to', text, 'expected HOST1:PORT1:HOST2:PORT2');
  return {
    fromHost: m[1] ? m[1].toLowerCase() : null,
    fromPort: m[2] ? parsePort(m[2], '--connect-to', text) : null,
    toHost: m[3] ? m[3].replace(/^\[|\]$/g, '').toLowerCase() : null,
    toPort: m[4] ? parsePort(m[4], '--connect-to', text) : null,
  };
}

function hostMatches(pattern: string | null, host: string): boolean {
  if (pattern === null || pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** The first matching connect-to rule decides, as in curl. */
export function applyConnectTo(rules: readonly ConnectToRule[], host: string, port: number): { host: string; port: number } {
  for (const rule of rules) {
    if (!hostMatches(rule.fromHost, host)) continue;
    if (rule.fromPort !== null && rule.fromPort !== port) continue;
    return { host: rule.toHost ?? host, port: rule.toPort ?? port };
  }
  return { host, port };
}

export function applyResolveRules(rules: readonly ResolveRule[], host: string, port: number): string[] | undefined {
  const exact = rules.find((r) => r.host === host && r.port === port);
  if (exact) return exact.addresses;
  return rules.find((r) => r.host === '*' && r.port === port)?.addresses;
}

function dnsError(err: unknown, hostname: string): CrawlError {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOTFOUND' || code === 'NXDOMAIN') return new CrawlError('CRAWL_DNS_NXDOMAIN', `${hostname} does not exist (NXDOMAIN)`, { cause: err });
  if (code === 'ENODATA') return new CrawlError('CRAWL_DNS_NO_ADDRESS', `${hostname} has no A/AAAA records`, { cause: err });
  return new CrawlError('CRAWL_DNS_FAILED', `DNS lookup for ${hostname} failed: ${String(code ?? err)}`, { cause: err });
}

function bounded(addresses: string[]): string[] {
  return [...new Set(addresses)].slice(0, MAX_ADDRESSES);
}

/** The operating system's resolver (getaddrinfo: /etc/hosts, then DNS): the CLI's default. */
export const systemResolver: HostResolver = async (hostname) => {
  try {
    const answers = await dns.lookup(hostname, { all: true, verbatim: true });
    if (answers.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
    return bounded(answers.map((a) => a.address));
  } catch (err) {
    throw dnsError(err, hostname);
  }
};

/**
 * A resolver asking the given DNS servers (`host:port`) directly for A and AAAA records: what the
 * test world uses with its own DNS server, and what `--dns-server` would use.
 */
export function dnsServerResolver(servers: string[], options: { timeoutMs?: number; tries?: number } = {}): HostResolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  resolver.setServers(servers);
  return async (hostname) => {
    const [a, aaaa] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const addresses = [...(a.status === 'fulfilled' ? a.value : []), ...(aaaa.status === 'fulfilled' ? aaaa.value : [])];
    if (addresses.length > 0) return bounded(addresses);
    const reasons = [a, aaaa].map((r) => (r.status === 'rejected' ? r.reason : undefined));
    const codes = reasons.map((r) => (r as { code?: unknown } | undefined)?.code);
    if (codes.includes('ENOTFOUND')) throw dnsError(reasons[codes.indexOf('ENOTFOUND')], hostname);
    if (codes.every((c) => c === 'ENODATA' || c === undefined)) throw dnsError(Object.assign(new Error('no data'), { code: 'ENODATA' }), hostname);
    throw dnsError(reasons.find((r) => r !== undefined), hostname);
  };
}
