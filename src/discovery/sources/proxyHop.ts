import { activity, brandSites, type DiscoveryKnowledge } from '../knowledge.js';
import type { CandidateSink } from '../rankedCandidates.js';
import { bareBaseChance, baseSite, brandsOnBase, RECENT_BASE_DOMAINS } from './brandOnBase.js';

const hopReason = (what: string, tld: string, used: string): string => `${what} hopping to .${tld} (it has used ${used})`;

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
    // a site can carry several labels on one proxy (two onion addresses): each label on the
    // base's recent domains travels too, with its own chance
    const recent = base.domains.slice(-RECENT_BASE_DOMAINS);
    const extra = new Map<string, { site: string; seen: number }>();
    for (const domain of recent) {
      for (const [sub, site] of domain.subs) {
        if (names.some((n) => n.prefix === `${sub}.`)) continue;
        const row = extra.get(sub) ?? { site, seen: 0 };
        row.seen += 1;
        extra.set(sub, row);
      }
    }
    for (const [sub, { site, seen }] of [...extra.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      names.push({ prefix: `${sub}.`, site, chance: (seen + 0.25) / (recent.length + 0.5), what: `"${sub}" (${site}) on proxy base "${base.label}"` });
    }
    const used = [...base.usedSuffixes].sort().join(', ');
    for (const tld of knowledge.tldPrior.ranked) {
      if (base.usedSuffixes.has(tld)) continue;
      const tldWeight = knowledge.tldPrior.weight(tld);
      for (const name of names) {
        const score = rate * tldWeight * name.chance;
        if (!sink.wants(score)) continue;
        sink.add(`${name.prefix}${base.label}.${tld}`, name.site, 'proxy-hop', score, hopReason, name.what, tld, used);
      }
    }
  }
}
