import { expandAffix } from '../affixModel.js';
import { activity, brandSites, moveRate, proxyLabelOf, recency, type DiscoveryKnowledge } from '../knowledge.js';
import type { CandidateSink } from '../rankedCandidates.js';
import { labelShares } from './tldSwap.js';

const STEMS_PER_SITE = 3;
const DIGIT_VARIANTS = 30;

const affixReason = (stem: string, prefix: string, suffix: string, tld: string): string => `"${stem}" with the affix "${prefix}…${suffix}" seen in the history, on .${tld}`;
const countedOnReason = (sub: string, registrable: string): string => `"${sub}.${registrable}" counted on: sites number their subdomains`;

/**
 * The brand with an affix the history shows (`x1337x`, `thepiratebay10`, `eztv1`), on the
 * TLDs the prior ranks high; and numbered subdomains on a base counted further
 * (`tpb14.ukpass.co` → `tpb22.ukpass.co`).
 */
export function affixCandidates(knowledge: DiscoveryKnowledge, sink: CandidateSink): void {
  const { affixes, affixRate, digits } = knowledge.affixes;
  const knownLabels = new Set<string>();
  for (const site of knowledge.sites.values()) for (const label of site.ownLabels.keys()) knownLabels.add(label);
  for (const site of brandSites(knowledge)) {
    const rate = moveRate(site, knowledge.asOf) + 0.1;
    const stems = labelShares(site, knowledge.asOf).slice(0, STEMS_PER_SITE);
    const proxyLabel = proxyLabelOf(site);
    if (proxyLabel !== undefined && !stems.some((s) => s.label === proxyLabel)) stems.push({ label: proxyLabel, share: stems[0]?.share ?? 1 });
    for (const stem of stems) {
      for (const affix of affixes) {
        for (const prefix of expandAffix(affix.prefix, digits, DIGIT_VARIANTS)) {
          for (const suffix of expandAffix(affix.suffix, digits, DIGIT_VARIANTS)) {
            const label = `${prefix.text}${stem.label}${suffix.text}`;
            if (knownLabels.has(label)) continue;
            const base = rate * affixRate * affix.weight * prefix.weight * suffix.weight * stem.share;
            for (const tld of knowledge.siteTldPrior.ranked) {
              const score = base * knowledge.siteTldPrior.weight(tld);
              if (!sink.wants(score)) break;
              sink.add(`${label}.${tld}`, site.site, 'affix', score, affixReason, stem.label, prefix.text, suffix.text, tld);
            }
          }
        }
      }
    }
  }
  numberedSubdomains(knowledge, sink);
}

/** How many numbers past a numbered subdomain's own are proposed by counting on. */
const COUNT_ON = 30;

/**
 * Chance of each number for the next numbered subdomain after `n`: half the learned digit
 * prior, half "counting on" (n+1, n+2, … with a weight falling as 1/step), since a site
 * that numbers its mirrors goes up from the one it has, not back to 1.
 */
export function numberAfter(n: number, digits: readonly { text: string; weight: number }[]): { text: string; weight: number }[] {
  let harmonic = 0;
  for (let step = 1; step <= COUNT_ON; step += 1) harmonic += 1 / step;
  const weights = new Map<string, number>();
  for (const d of digits) weights.set(d.text, 0.5 * d.weight);
  for (let step = 1; step <= COUNT_ON; step += 1) {
    const text = String(n + step);
    weights.set(text, (weights.get(text) ?? 0) + (0.5 * (1 / step)) / harmonic);
  }
  return [...weights.entries()]
    .map(([text, weight]) => ({ text, weight }))
    .sort((a, b) => b.weight - a.weight || Number(a.text) - Number(b.text));
}

function numberedSubdomains(knowledge: DiscoveryKnowledge, sink: CandidateSink): void {
  const { digits } = knowledge.affixes;
  for (const base of [...knowledge.bases.values()].sort((a, b) => (a.label < b.label ? -1 : 1))) {
    const rate = activity(base.domains.map((d) => d.firstSeen), knowledge.asOf) + 0.1;
    for (const domain of base.domains) {
      for (const [site, sub] of [...domain.brands.entries()].sort()) {
        const m = /^(.*\D)(\d+)$/.exec(sub);
        if (!m) continue;
        const stem = m[1]!;
        for (const d of numberAfter(Number(m[2]), digits.slice(0, DIGIT_VARIANTS * 2))) {
          const score = rate * recency(domain.firstSeen, knowledge.asOf, 365) * d.weight * 0.5;
          if (!sink.wants(score)) break;
          sink.add(`${stem}${d.text}.${domain.registrable}`, site, 'affix', score, countedOnReason, sub, domain.registrable);
        }
      }
    }
  }
}
