import { splitHost } from './domainName.js';
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

/**
 * Recognises hosts that carry a known brand (as a label, a hyphen token, an affixed label
 * or, for long brands, a substring) or sit on a known proxy base. Built once from the
 * knowledge; every brand and base comes from the history.
 */
export function brandMatcher(knowledge: DiscoveryKnowledge): BrandMatcher {
  const brands = new Map<string, string>();
  for (const site of brandSites(knowledge)) {
    for (const label of [...site.ownLabels.keys(), ...site.subLabels.keys()]) {
      if (label.length >= 3 && !brands.has(label)) brands.set(label, site.site);
    }
  }
  const proxies = new Map<string, string>();
  for (const base of knowledge.bases.values()) if (base.isProxy) proxies.set(base.label, [...base.ownerSites].sort()[0] ?? `proxy:${base.label}`);
  const byLength = [...brands.entries()].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));

  return {
    match(text) {
      const parts = splitHost(text);
      if (!parts) return undefined;
      const proxySite = proxies.get(parts.label);
      const labels = [...(parts.sub === '' ? [] : parts.sub.split('.')), parts.label];
      for (const label of labels) {
        const exact = brands.get(label);
        if (exact) return { host: parts.host, site: exact, reason: proxySite ? `brand "${label}" on proxy base "${parts.label}"` : `brand "${label}" as a label` };
      }
      for (const label of labels) {
        for (const [brand, site] of byLength) {
          if (label.split('-').includes(brand)) return { host: parts.host, site, reason: `brand "${brand}" as a hyphen token of "${label}"` };
          const at = label.indexOf(brand);
          if (at < 0) continue;
          if (label.length - brand.length <= MAX_AFFIX_LENGTH) return { host: parts.host, site, reason: `brand "${brand}" with an affix in "${label}"` };
          if (brand.length >= SUBSTRING_MIN_LENGTH) return { host: parts.host, site, reason: `brand "${brand}" inside "${label}"` };
        }
      }
      if (proxySite) return { host: parts.host, site: proxySite, reason: `proxy base "${parts.label}" on ${parts.registrable}` };
      return undefined;
    },
  };
}
