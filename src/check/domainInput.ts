/**
 * The one reading of "a domain the user gave us", for every command (check, scan, enqueue,
 * domain) and for the worker's job validation, so they cannot disagree again about `ftp://x`,
 * credentials, IP literals, trailing dots or `a..b`. Pure: no DNS, no clock.
 *
 * Accepted: a host name (`mirror.example`, `Mirror.Example.`, `пример.рф`), optionally with a
 * port and path (`mirror.example/search/`), or an http(s) URL. The host comes out ASCII (IDN as
 * punycode, once, here), lower-case, without its trailing dot; `unicode` is the same name for
 * people to read. Refused, each with a reason:
 * - other schemes (`ftp://`, `file:`, `javascript:`), and URLs with credentials (which are never
 *   repeated back: `display` masks them);
 * - IP literals in any notation the URL parser understands (decimal, hex, octal, `[::1]`), unless
 *   the caller allows them (`check` and `scan` do: the crawler's address guard judges them);
 * - names that are not host names: empty labels (`a..b`), a label over 63 characters, a name
 *   over 253, characters outside letters, digits, `-` and `_`, `-` alone, one-label names and
 *   names that can only be local (`localhost`, `.local`, `.internal`; see isProposableHost).
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import net from 'node:net';
import { isProposableHost, MAX_HOST_CHARS } from '../discovery/proposableHost.js';

export const INPUT_INVALID_DOMAIN = 'INPUT_INVALID_DOMAIN' as const;
/** Longer input is refused before parsing: no real domain or check URL comes near it. */
export const MAX_DOMAIN_INPUT_CHARS = 2048;
const MAX_LABEL_CHARS = 63;
const DISPLAY_CHARS = 200;

export interface DomainInput {
  ok: true;
  /** ASCII (punycode), lower case, no trailing dot: what is fetched, deduplicated and stored */
  host: string;
  /** the same name with IDN labels decoded, for display */
  unicode: string;
  /** the URL given (http/https only, host normalised, path and query kept), or null for a bare name */
  url: URL | null;
  /** for a bare name: what followed the host (`:8443/search/?q=x`), `/` if nothing; '' for a URL */
  rest: string;
  /** the host is an IP literal (only when the caller allowed them) */
  ipLiteral: boolean;
}

export interface DomainInputError {
  ok: false;
  code: typeof INPUT_INVALID_DOMAIN;
  reason: string;
  /** the input safe to print: credentials masked, control and binary bytes escaped, cut */
  display: string;
}

export type DomainInputResult = DomainInput | DomainInputError;

export interface DomainInputOptions {
  /** accept IP literals (check, scan); default false: a candidate is a name */
  allowIpLiteral?: boolean;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Text safe to echo to a terminal or a log line: no control or binary bytes, no credentials. */
export function displayInput(text: string): string {
  let shown = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
  if (!shown.includes('://')) shown = shown.replace(/^[^/?#\s]*@/, '***@');
  // eslint-disable-next-line no-control-regex
  shown = shown.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, (c) => (c === '\ufffd' ? '\\ufffd' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return shown.length > DISPLAY_CHARS ? `${shown.slice(0, DISPLAY_CHARS)}…` : shown;
}

function refuse(text: string, reason: string): DomainInputError {
  return { ok: false, code: INPUT_INVALID_DOMAIN, reason, display: displayInput(text) };
}

/** Why a host is not a host name, or null when it is one. */
function hostNameProblem(host: string): string | null {
  if (host.length > MAX_HOST_CHARS) return `the name is longer than ${MAX_HOST_CHARS} characters`;
  const labels = host.split('.');
  if (labels.some((l) => l.length === 0)) return 'the name has an empty label (two dots in a row, or a leading dot)';
  const long = labels.find((l) => l.length > MAX_LABEL_CHARS);
  if (long) return `a label is longer than ${MAX_LABEL_CHARS} characters`;
  if (labels.some((l) => !/^[a-z0-9_-]+$/.test(l))) return 'the name has characters other than letters, digits, - and _';
  if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) return 'a label starts or ends with -';
  if (labels.length < 2) return 'a single label is not a domain (give the full name, e.g. example.com)';
  if (!isProposableHost(host)) return 'the name is local-only or not a registrable name';
  return null;
}

/** IPv4 in any notation the URL parser turns into dotted form, or a bracketed IPv6. */
function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || net.isIP(hostname) !== 0;
}

export function parseDomainInput(input: string, options: DomainInputOptions = {}): DomainInputResult {
  const text = input.trim();
  if (text.length === 0) return refuse(input, 'empty');
  if (text.length > MAX_DOMAIN_INPUT_CHARS) return refuse(text, `longer than ${MAX_DOMAIN_INPUT_CHARS} characters`);
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return refuse(text, 'contains spaces or control characters');
  if (text === '-') return refuse(text, '"-" is not a host (stdin is read only where a command says so)');

  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  const afterColon = scheme === undefined ? '' : text.slice(scheme.length + 1);
  // `host:8080` is a port and `user:pw@host` credentials, not schemes; `mailto:x` is a scheme
  const hasScheme = scheme !== undefined && (afterColon.startsWith('//') || !(/^\d/.test(afterColon) || /^[^/?#]*@/.test(afterColon)));
  if (hasScheme && scheme !== 'http' && scheme !== 'https') return refuse(text, `only http and https URLs are checked, not ${scheme}:`);

  let parsed: URL;
  try {
    parsed = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return refuse(text, 'not a host name or an http(s) URL');
  }
  if (parsed.username || parsed.password) return refuse(text, 'URLs with credentials are not accepted (they are not repeated here)');
  if (hasScheme && !/^https?:\/\/[^/?#]/i.test(text)) return refuse(text, 'the URL has no host');

  let hostname = parsed.hostname;
  if (isIpLiteral(hostname)) {
    if (!options.allowIpLiteral) return refuse(text, 'an IP address is not a domain');
    const host = hostname.replace(/^\[|\]$/g, '');
    return { ok: true, host, unicode: host, url: hasScheme ? withoutHash(parsed) : null, rest: hasScheme ? '' : restOf(parsed), ipLiteral: true };
  }
  // the URL parser already lower-cases and punycodes; a raw name (a path-less bare host) goes the same way
  hostname = hostname.toLowerCase();
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  const ascii = /[^\x00-\x7f]/.test(hostname) ? domainToASCII(hostname) : hostname;
  if (!ascii) return refuse(text, 'not a valid internationalised domain name');
  const problem = hostNameProblem(ascii);
  if (problem) return refuse(text, problem);

  let url: URL | null = null;
  if (hasScheme) {
    url = withoutHash(parsed);
    url.hostname = ascii;
  }
  return { ok: true, host: ascii, unicode: domainToUnicode(ascii) || ascii, url, rest: hasScheme ? '' : restOf(parsed), ipLiteral: false };
}

function withoutHash(url: URL): URL {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy;
}

/** What followed the host of a bare name: port, path, query (`/` for the bare host). */
function restOf(url: URL): string {
  return `${url.port ? `:${url.port}` : ''}${url.pathname}${url.search}`;
}

/** The URLs a check fetches for an input: the URL as given, or a bare name on https then http. */
export function checkUrls(input: DomainInput): string[] {
  if (input.url) return [input.url.href];
  const host = input.ipLiteral && input.host.includes(':') ? `[${input.host}]` : input.host;
  return [`https://${host}${input.rest}`, `http://${host}${input.rest}`];
}

/** "xn--e1afmkfd.xn--p1ai (пример.рф)" for an IDN, the name alone otherwise. */
export function showHost(input: Pick<DomainInput, 'host' | 'unicode'>): string {
  return input.unicode !== input.host ? `${input.host} (${input.unicode})` : input.host;
}
