import { AhoCorasick } from './ahoCorasick.js';
import { normaliseHost, splitHost } from './domainName.js';
import { brandSites, type DiscoveryKnowledge } from './knowledge.js';

/** Why a host looks like one of ours. */
export interface BrandHit {
  host: string;
  site: string;
  reason: string;
}

/** Brands shorter than this must match a whole label or hyphen token (`yts`, `kat`, `tpb` are inside too many words). */
const SUBSTRING_MIN_LENGTH = 5;
const MAX_AFFIX_LENGTH = 4;

export interface BrandMatcher {
  match(text: string): BrandHit | undefined;
}

interface Brand {
  text: string;
  site: string;
  /** a hyphenated brand is never one hyphen token of a label */
  hasHyphen: boolean;
}

/**
 * Recognises hosts that carry a known brand (as a label, a hyphen token, an affixed label
 * or, for long brands, a substring) or sit on a known proxy base. Built once from the
 * knowledge (build it once per process, not per line: building is the expensive part);
 * every brand and base comes from the history.
 *
 * Speed: whole labels are looked up in a map; brands inside labels are found by one
 * Aho–Corasick pass per label instead of a scan of every brand, and a host in which no
 * brand or base occurs at all (most of a CT stream) is turned away after one pass over its
 * characters, before the public suffix list is consulted. When several brands occur in a
 * label, the longest (then alphabetically first) that qualifies wins, as before.
 */
export function brandMatcher(knowledge: DiscoveryKnowledge): BrandMatcher {
  const brandSite = new Map<string, string>();
  for (const site of brandSites(knowledge)) {
    for (const label of [...site.ownLabels.keys(), ...site.subLabels.keys()]) {
      if (label.length >= 3 && !brandSite.has(label)) brandSite.set(label, site.site);
    }
  }
  const proxies = new Map<string, string>();
  for (const base of knowledge.bases.values()) if (base.isProxy) proxies.set(base.label, [...base.ownerSites].sort()[0] ?? `proxy:${base.label}`);
  // rank = position in this order: the longest brand first, ties alphabetically
  const brands: Brand[] = [...brandSite.entries()]
    .sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1))
    .map(([text, site]) => ({ text, site, hasHyphen: text.includes('-') }));
  // pattern ids 0..brands.length-1 are the brands by rank; proxy bases that are not also brands follow
  const patterns = brands.map((b) => b.text);
  for (const label of proxies.keys()) if (!brandSite.has(label)) patterns.push(label);
  const automaton = new AhoCorasick(patterns);

  // the best brand inside the label being examined (reset per label)
  let label = '';
  let bestRank = -1;
  let bestIsToken = false;
  const consider = (id: number, start: number): void => {
    if (id >= brands.length) return; // a proxy base: only ever a whole registrable label
    if (bestRank >= 0 && id > bestRank) return;
    const brand = brands[id]!;
    const end = start + brand.text.length;
    const isToken = !brand.hasHyphen && (start === 0 || label.charCodeAt(start - 1) === 45) && (end === label.length || label.charCodeAt(end) === 45);
    if (isToken || label.length - brand.text.length <= MAX_AFFIX_LENGTH || brand.text.length >= SUBSTRING_MIN_LENGTH) {
      if (id === bestRank) bestIsToken ||= isToken;
      else {
        bestRank = id;
        bestIsToken = isToken;
      }
    }
  };

  return {
    match(text) {
      const host = normaliseHost(text);
      if (host === undefined || !automaton.occursIn(host)) return undefined;
      const parts = splitHost(text);
      if (!parts) return undefined;
      const proxySite = proxies.get(parts.label);
      const labels = parts.sub === '' ? [parts.label] : [...parts.sub.split('.'), parts.label];
      for (const l of labels) {
        const exact = brandSite.get(l);
        if (exact) return { host: parts.host, site: exact, reason: proxySite ? `brand "${l}" on proxy base "${parts.label}"` : `brand "${l}" as a label` };
      }
      for (const l of labels) {
        label = l;
        bestRank = -1;
        bestIsToken = false;
        automaton.forEachOccurrence(l, 0, l.length, consider);
        if (bestRank < 0) continue;
        const { text: brand, site } = brands[bestRank]!;
        if (bestIsToken) return { host: parts.host, site, reason: `brand "${brand}" as a hyphen token of "${l}"` };
        if (l.length - brand.length <= MAX_AFFIX_LENGTH) return { host: parts.host, site, reason: `brand "${brand}" with an affix in "${l}"` };
        return { host: parts.host, site, reason: `brand "${brand}" inside "${l}"` };
      }
      if (proxySite) return { host: parts.host, site: proxySite, reason: `proxy base "${parts.label}" on ${parts.registrable}` };
      return undefined;
    },
  };
}
