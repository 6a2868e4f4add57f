import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/**
 * A host split along the public suffix list (ICANN section only: private suffixes
 * such as hosting platforms would hide the proxy bases we want to see).
 */
export interface DomainParts {
  /** normalised host: lower-case, ASCII (punycode), no trailing dot, no leading `www.` */
  host: string;
  /** registrable domain, e.g. `unblockit.pro` */
  registrable: string;
  /** registrable domain without its suffix, e.g. `unblockit` */
  label: string;
  /** public suffix, e.g. `pro` or `co.uk` */
  suffix: string;
  /** what stands left of the registrable domain, e.g. `1337x`; '' if none */
  sub: string;
}

const hostPattern = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$/;

/**
 * Lower-case, punycode, strip the trailing dot and a leading `www.`: `www.example.org` and
 * `example.org` are one site address for discovery (the crawler tries both).
 * Returns undefined when the text is not a plausible host name.
 */
export function normaliseHost(text: string): string | undefined {
  let host = text.trim().toLowerCase().replace(/\.$/, '');
  if (host.startsWith('*.')) host = host.slice(2);
  if (host === '') return undefined;
  if (/[^\x00-\x7f]/.test(host)) {
    host = domainToASCII(host);
    if (host === '') return undefined;
  }
  while (host.startsWith('www.')) host = host.slice(4);
  return hostPattern.test(host) ? host : undefined;
}

/** Split a host; undefined when it has no registrable domain under an ICANN suffix. */
export function splitHost(text: string): DomainParts | undefined {
  const host = normaliseHost(text);
  if (host === undefined) return undefined;
  const parsed = parse(host, { allowPrivateDomains: false });
  if (!parsed.domain || !parsed.publicSuffix || !parsed.domainWithoutSuffix || parsed.isIp) return undefined;
  if (!parsed.isIcann) return undefined;
  const sub = (parsed.subdomain ?? '').replace(/^(www\.)+/, '').replace(/^www$/, '');
  return {
    host,
    registrable: parsed.domain,
    label: parsed.domainWithoutSuffix,
    suffix: parsed.publicSuffix,
    sub,
  };
}
