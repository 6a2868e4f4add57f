import { activity, brandSites, moveRate, recency, type DiscoveryKnowledge, type SiteKnowledge } from '../knowledge.js';
import type { CandidateSink } from '../rankedCandidates.js';

const swapReason = (site: string, label: string, tld: string, used: string): string => `${site}'s name "${label}" on .${tld} (it has used .${used})`;

/** A site's own labels weighted by use and recency (the name it goes by now counts most). */
export function labelShares(site: SiteKnowledge, asOf: string): { label: string; share: number }[] {
  const rows = [...site.ownLabels.entries()].map(([label, use]) => ({ label, weight: use.count * (0.25 + recency(use.lastSeen, asOf)) }));
  const total = rows.reduce((a, r) => a + r.weight, 0) || 1;
  return rows.map((r) => ({ label: r.label, share: r.weight / total })).sort((a, b) => b.share - a.share || (a.label < b.label ? -1 : 1));
}

/** The brand on another TLD: every TLD, ranked by the learned prior and how often the site moves. */
export function tldSwapCandidates(knowledge: DiscoveryKnowledge, sink: CandidateSink): void {
  const keep = 1 - knowledge.affixes.affixRate;
  for (const site of brandSites(knowledge)) {
    // +1: a site with one domain can still move; the history cannot have shown it yet
    const rate = moveRate(site, knowledge.asOf) + 0.1;
    for (const { label, share } of labelShares(site, knowledge.asOf)) {
      const used = site.ownLabels.get(label)!.suffixes;
      const usedList = [...used].sort().join(', .');
      for (const tld of knowledge.siteTldPrior.ranked) {
        if (used.has(tld)) continue;
        const score = rate * keep * share * knowledge.siteTldPrior.weight(tld);
        if (!sink.wants(score)) break; // ranked: every later TLD scores lower
        sink.add(`${label}.${tld}`, site.site, 'tld-swap', score, swapReason, site.site, label, tld, usedList);
      }
    }
  }
}
