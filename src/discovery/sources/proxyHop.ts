import { activity, brandSites, type DiscoveryKnowledge } from '../knowledge.js';
import type { CandidateSink } from '../rankedCandidates.js';
import { bareBaseChance, baseSite, brandsOnBase } from './brandOnBase.js';

/**
 * Proxy services hop to a new TLD about once a month and take every brand they carry
 * with them the same day. For each proxy base: every TLD it has not used, ranked by the
 * learned TLD prior, times how active the base is, times the chance each brand is there.
 */
export function proxyHopCandidates(knowledge: DiscoveryKnowledge, sink: CandidateSink): void {
  const brands = brandSites(knowledge);
  const bases = [...knowledge.bases.values()].filter((b) => b.isProxy).sort((a, b) => (a.label < b.label ? -1 : 1));
  for (const base of bases) {
    const rate = activity(base.domains.map((d) => d.firstSeen), knowledge.asOf);
    const names = [
      { prefix: '', site: baseSite(base), chance: bareBaseChance(base), what: `proxy base "${base.label}"` },
      ...brandsOnBase(base, brands, knowledge.brandJoinRate).map((b) => ({ prefix: `${b.label}.`, site: b.site, chance: b.chance, what: `${b.site} on proxy base "${base.label}"` })),
    ];
    const used = [...base.usedSuffixes].sort().join(', ');
    for (const tld of knowledge.tldPrior.ranked) {
      if (base.usedSuffixes.has(tld)) continue;
      const tldWeight = knowledge.tldPrior.weight(tld);
      for (const name of names) {
        const score = rate * tldWeight * name.chance;
        if (!sink.wants(score)) continue;
        sink.add(`${name.prefix}${base.label}.${tld}`, name.site, 'proxy-hop', score, () => `${name.what} hopping to .${tld} (it has used ${used})`);
      }
    }
  }
}
