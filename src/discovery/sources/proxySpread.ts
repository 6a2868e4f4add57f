import { activity, brandSites, recency, type DiscoveryKnowledge } from '../knowledge.js';
import type { CandidateSink } from '../rankedCandidates.js';
import { bareBaseChance, baseSite, brandsOnBase } from './brandOnBase.js';

/** A new base domain fills up within weeks; after that a missing brand is less likely to come. */
const SPREAD_DECAY_DAYS = 60;

const bareBaseReason = (base: string, registrable: string): string => `proxy base "${base}" itself on ${registrable}, where brands already are`;
const brandReason = (site: string, registrable: string, here: string): string => `${site} on ${registrable}, which already carries ${here}`;
const extraLabelReason = (sub: string, site: string, base: string, registrable: string): string => `"${sub}" (${site}) seen on another ${base} domain, not yet on ${registrable}`;

/**
 * When a brand appears on a base domain (a proxy's new TLD, or any host carrying a brand
 * as a subdomain), propose every other blocked brand there. No TLD to guess, so these
 * rank above the hops.
 */
export function proxySpreadCandidates(knowledge: DiscoveryKnowledge, sink: CandidateSink): void {
  const brands = brandSites(knowledge);
  const bases = [...knowledge.bases.values()].sort((a, b) => (a.label < b.label ? -1 : 1));
  for (const base of bases) {
    const rate = Math.max(1, activity(base.domains.map((d) => d.firstSeen), knowledge.asOf));
    const carried = brandsOnBase(base, brands, knowledge.brandJoinRate);
    // a site can use several labels on one base (two onion addresses): each travels
    const extraLabels = new Map<string, string>();
    for (const d of base.domains) for (const [sub, site] of d.subs) if (!carried.some((c) => c.label === sub)) extraLabels.set(sub, site);
    for (const domain of base.domains) {
      const fresh = recency(domain.firstSeen, knowledge.asOf, SPREAD_DECAY_DAYS);
      if (base.isProxy && !domain.bareListed) {
        const score = rate * fresh * bareBaseChance(base);
        if (sink.wants(score)) sink.add(domain.registrable, baseSite(base), 'proxy-spread', score, bareBaseReason, base.label, domain.registrable);
      }
      const here = [...domain.brands.keys()].sort().join(', ') || 'its base';
      for (const brand of carried) {
        if (domain.brands.has(brand.site)) continue;
        const score = rate * fresh * brand.chance * (base.isProxy ? 1 : 0.5);
        if (!sink.wants(score)) continue;
        sink.add(`${brand.label}.${domain.registrable}`, brand.site, 'proxy-spread', score, brandReason, brand.site, domain.registrable, here);
      }
      for (const [sub, site] of extraLabels) {
        if (domain.subs.has(sub)) continue;
        const chance = carried.find((c) => c.site === site)?.chance ?? 0.15;
        const score = rate * fresh * chance * (base.isProxy ? 1 : 0.5);
        if (!sink.wants(score)) continue;
        sink.add(`${sub}.${domain.registrable}`, site, 'proxy-spread', score, extraLabelReason, sub, site, base.label, domain.registrable);
      }
    }
  }
}

