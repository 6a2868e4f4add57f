/**
 * Options of a live domain check, and the CLI flags that set them (shared by `check DOMAIN` and
 * `scan`): validated once here, with CLI_BAD_ARGUMENT errors a user can act on, then frozen.
 */
import net from 'node:net';
import { usageError } from '../cli/args.js';
import type { AllowedAddress } from '../crawler/addressGuard.js';
import { CRAWLER_DEFAULTS, loadCaFile, type CrawlerOptions } from '../crawler/crawler.js';
import { isCrawlError } from '../crawler/crawlErrors.js';
import { dnsServerResolver, parseConnectToRule, parseResolveRule } from '../crawler/hostResolution.js';

export interface DomainCheckOptions {
  /** how every page is fetched: SSRF policy, DNS, overrides, CA, timeouts, limits */
  crawler: CrawlerOptions;
  /**
   * Reference probe paths fetched on the candidate host when its home page is not decisive;
   * default 3. Each is one more request to a host we do not own, so keep it small.
   */
  maxProbePaths: number;
  /** how names are resolved, in words, for evidence manifests (`dns 127.0.0.1:53`); default by the crawler options */
  resolverName?: string;
}

export const DOMAIN_CHECK_DEFAULTS = Object.freeze({
  maxProbePaths: 3,
  /** per fetch (every hop included); a domain check makes up to 2 + maxProbePaths fetches */
  timeoutMs: 15_000,
});

/** The flags `check DOMAIN` and `scan` accept, for node:util parseArgs. */
export const DOMAIN_CHECK_FLAGS = {
  resolve: { type: 'string', multiple: true },
  'connect-to': { type: 'string', multiple: true },
  'dns-server': { type: 'string', multiple: true },
  ca: { type: 'string' },
  'allow-private': { type: 'boolean' },
  'allow-address': { type: 'string', multiple: true },
  'timeout-ms': { type: 'string', short: 't' },
  'user-agent': { type: 'string' },
  'max-probes': { type: 'string' },
} as const;

export const DOMAIN_CHECK_FLAGS_HELP = `Live options:
  --resolve HOST:PORT:ADDR   use ADDR for HOST:PORT (curl's meaning; HOST may be *); repeatable
  --connect-to H1:P1:H2:P2   connect to H2:P2 for requests to H1:P1 (curl's meaning; empty = any,
                     H1 may be *.zone); repeatable
  --dns-server ADDR:PORT     ask this DNS server instead of the system resolver; repeatable
  --ca FILE          trust this CA certificate (PEM) in addition to the system ones
  --allow-private    allow loopback and private addresses (test worlds only)
  --allow-address ADDR:PORT  allow exactly this private address and port; repeatable
  -t, --timeout-ms N deadline per fetch, redirects included (default ${DOMAIN_CHECK_DEFAULTS.timeoutMs})
  --user-agent UA    User-Agent header
  --max-probes N     reference paths probed when the home page is not decisive (default ${DOMAIN_CHECK_DEFAULTS.maxProbePaths}, 0 = none)`;

export interface DomainCheckFlagValues {
  resolve?: string[];
  'connect-to'?: string[];
  'dns-server'?: string[];
  ca?: string;
  'allow-private'?: boolean;
  'allow-address'?: string[];
  'timeout-ms'?: string;
  'user-agent'?: string;
  'max-probes'?: string;
}

const MAX_RULES = 1000;

function rules<T>(flag: string, values: string[] | undefined, parse: (text: string) => T): T[] {
  const list = values ?? [];
  if (list.length > MAX_RULES) throw usageError(`${flag} given more than ${MAX_RULES} times`);
  return list.map((text) => {
    try {
      return parse(text);
    } catch (err) {
      throw usageError(isCrawlError(err) ? err.message : `${flag} "${text}" is not valid`);
    }
  });
}

/** `ADDR:PORT` or `[V6]:PORT`. */
function parseAddressPort(flag: string, text: string): AllowedAddress {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([0-9.]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || net.isIP(m[1]!) === 0 || port < 1 || port > 65535) throw usageError(`${flag} takes ADDR:PORT (IPv6 as [ADDR]:PORT), got "${text}"`);
  return { address: m[1]!, port };
}

function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw usageError(`${flag} takes a whole number from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

/** Turn the live-check flags into DomainCheckOptions (reads the `--ca` file). */
export async function parseDomainCheckFlags(values: DomainCheckFlagValues): Promise<DomainCheckOptions> {
  const timeoutMs = wholeNumber('--timeout-ms', values['timeout-ms'], DOMAIN_CHECK_DEFAULTS.timeoutMs, 100, 600_000);
  const maxProbePaths = wholeNumber('--max-probes', values['max-probes'], DOMAIN_CHECK_DEFAULTS.maxProbePaths, 0, 20);
  const userAgent = values['user-agent'] ?? CRAWLER_DEFAULTS.userAgent;
  if (userAgent.length === 0 || userAgent.length > 512 || /[\r\n\0]/.test(userAgent)) throw usageError('--user-agent must be 1..512 characters on one line');

  const dnsServers = (values['dns-server'] ?? []).map((text) => {
    const { address, port } = parseAddressPort('--dns-server', /:\d+$/.test(text) ? text : `${text}:53`);
    return net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
  });

  let extraCaPem: string[] = [];
  if (values.ca !== undefined) {
    try {
      extraCaPem = [await loadCaFile(values.ca)];
    } catch (err) {
      throw usageError(isCrawlError(err) ? `--ca: ${err.message}` : `--ca: cannot read ${values.ca}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  const crawler: CrawlerOptions = {
    allowPrivate: values['allow-private'] ?? false,
    allowAddresses: rules('--allow-address', values['allow-address'], (t) => parseAddressPort('--allow-address', t)),
    resolve: rules('--resolve', values.resolve, parseResolveRule),
    connectTo: rules('--connect-to', values['connect-to'], parseConnectToRule),
    ...(dnsServers.length > 0 ? { resolver: dnsServerResolver(dnsServers) } : {}),
    extraCaPem,
    userAgent,
    totalTimeoutMs: timeoutMs,
    // one slow phase should not eat the whole deadline silently; each is capped by it anyway
    connectTimeoutMs: Math.min(CRAWLER_DEFAULTS.connectTimeoutMs, timeoutMs),
    headersTimeoutMs: Math.min(CRAWLER_DEFAULTS.headersTimeoutMs, timeoutMs),
    bodyTimeoutMs: Math.min(CRAWLER_DEFAULTS.bodyTimeoutMs, timeoutMs),
  };
  const resolverName = dnsServers.length > 0 ? `dns ${dnsServers.join(', ')}` : 'system (getaddrinfo)';
  return Object.freeze({ crawler: Object.freeze(crawler), maxProbePaths, resolverName });
}
