/**
 * The CT filter as it was before issue 13 (brand matcher scanning every brand per label, rebuilt
 * for every line), kept verbatim as the yardstick for `npm run bench:ct` (bench/ct.ts) and as the
 * reference the equivalence test compares the new matcher against. Not used by the product. The
 * line reader (JSON.parse of every line) is the product's own: it is the same as it was then.
 */
import { normaliseHost, splitHost } from '../../src/discovery/domainName.js';
import type { Candidate } from '../../src/discovery/types.js';
import { brandSites, type DiscoveryKnowledge } from '../../src/discovery/knowledge.js';
import type { BrandHit, BrandMatcher } from '../../src/discovery/brandMatch.js';
import { namesFromCtLine } from '../../src/discovery/ctNames.js';

const SUBSTRING_MIN_LENGTH = 5;
const MAX_AFFIX_LENGTH = 4;

export function brandMatcherV0(knowledge: DiscoveryKnowledge): BrandMatcher {
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
    match(text): BrandHit | undefined {
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

/** The old CLI loop's unit of work: `ctCandidates([line], knowledge)`, which built a matcher for every line. */
export function ctCandidatesV0(lines: Iterable<string>, knowledge: DiscoveryKnowledge, matcher: BrandMatcher = brandMatcherV0(knowledge)): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const line of lines) {
    for (const name of namesFromCtLine(line)) {
      const host = normaliseHost(name);
      if (host === undefined || seen.has(host) || knowledge.known.has(host)) continue;
      seen.add(host);
      const hit = matcher.match(host);
      if (!hit) continue;
      out.push({ domain: host, site: hit.site, source: 'ct', reason: `certificate issued for ${hit.reason}`, score: 0.8 });
    }
  }
  return out;
}
