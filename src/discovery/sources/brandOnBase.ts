import type { BaseKnowledge, DiscoveryKnowledge, SiteKnowledge } from '../knowledge.js';
import { proxyLabelOf } from '../knowledge.js';

/** How many of a base's latest domains say which brands it carries now. */
const RECENT_BASE_DOMAINS = 3;
/**
 * Chance that a blocked brand never seen on a base shows up there: the history shows
 * proxies adding brands (yts joined unblockit late), so every blocked brand is proposed,
 * below the brands the base already carries.
 */
export const UNSEEN_BRAND_ON_BASE = 0.15;

export interface BrandOnBase {
  site: string;
  /** the subdomain label to use */
  label: string;
  /** chance that this brand is on the base's next domain */
  chance: number;
}

/** The base's current brands (and the other blocked brands, lower), with the label each uses. */
export function brandsOnBase(base: BaseKnowledge, brands: readonly SiteKnowledge[]): BrandOnBase[] {
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
    const chance = seen > 0 ? (seen + 0.25) / (recent.length + 0.5) : label !== undefined ? UNSEEN_BRAND_ON_BASE * 1.5 : UNSEEN_BRAND_ON_BASE;
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
