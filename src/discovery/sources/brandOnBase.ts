import type { BaseKnowledge, DiscoveryKnowledge, SiteKnowledge } from '../knowledge.js';
import { proxyLabelOf } from '../knowledge.js';

/** How many of a base's latest domains say which brands it carries now. */
export const RECENT_BASE_DOMAINS = 3;
/**
 * Prior chance that a blocked brand not on a base's recent domains shows up on its next
 * one (proxies do add brands), before the history is counted: `learnBrandJoinRate`
 * mixes it, as a couple of pseudo-observations, with how often that happened.
 */
export const UNSEEN_BRAND_ON_BASE = 0.15;
const JOIN_PRIOR_WEIGHT = 2;

/**
 * How often a proxy's new domain carried a blocked brand that none of its previous
 * `RECENT_BASE_DOMAINS` domains carried, counted over every proxy hop in the history
 * (a brand counts only once it was itself listed before that hop: a site's first
 * listing day tells nothing). Smoothed towards `UNSEEN_BRAND_ON_BASE`.
 */
export function learnBrandJoinRate(bases: Iterable<BaseKnowledge>, brandFirstSeen: ReadonlyMap<string, string>): number {
  let joins = 0;
  let chances = 0;
  for (const base of bases) {
    if (!base.isProxy) continue;
    base.domains.forEach((domain, i) => {
      if (i === 0) return;
      const previous = base.domains.slice(Math.max(0, i - RECENT_BASE_DOMAINS), i);
      for (const [site, first] of brandFirstSeen) {
        if (first >= domain.firstSeen || previous.some((d) => d.brands.has(site))) continue;
        chances += 1;
        if (domain.brands.has(site)) joins += 1;
      }
    });
  }
  return (joins + UNSEEN_BRAND_ON_BASE * JOIN_PRIOR_WEIGHT) / (chances + JOIN_PRIOR_WEIGHT);
}

export interface BrandOnBase {
  site: string;
  /** the subdomain label to use */
  label: string;
  /** chance that this brand is on the base's next domain */
  chance: number;
}

/** The base's current brands (and the other blocked brands, lower), with the label each uses. */
export function brandsOnBase(base: BaseKnowledge, brands: readonly SiteKnowledge[], joinRate = UNSEEN_BRAND_ON_BASE): BrandOnBase[] {
  const recent = base.domains.slice(-RECENT_BASE_DOMAINS);
  const rows: BrandOnBase[] = [];
  for (const brand of brands) {
    let seen = 0;
    let label: string | undefined;
    for (const domain of base.domains) {
      const used = domain.brands.get(brand.site);
      if (used !== undefined) label = used;
    }
    for (const domain of recent) if (domain.brands.has(brand.site)) seen += 1;
    const chance = seen > 0 ? (seen + 0.25) / (recent.length + 0.5) : label !== undefined ? joinRate * 1.5 : joinRate;
    label ??= proxyLabelOf(brand);
    if (label === undefined) continue;
    rows.push({ site: brand.site, label, chance });
  }
  return rows;
}

/** Chance that the bare base is itself listed on its next domain. */
export function bareBaseChance(base: BaseKnowledge): number {
  const recent = base.domains.slice(-RECENT_BASE_DOMAINS);
  const bare = recent.filter((d) => d.bareListed).length;
  return (bare + 0.25) / (recent.length + 0.5);
}

/** The site a bare base belongs to: its own history's site, else `proxy:LABEL`. */
export function baseSite(base: BaseKnowledge): string {
  return [...base.ownerSites].sort()[0] ?? `proxy:${base.label}`;
}

export type { DiscoveryKnowledge };
