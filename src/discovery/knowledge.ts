import { daysBetween, sortByDate } from './history.js';
import { splitHost } from './domainName.js';
import { privateRuleCounts, registrableTlds } from './publicSuffixTlds.js';
import { learnNoveltyRate, learnNoveltyTldPrior, learnTldPrior, mixTldPriors, type TldPick, type TldPrior } from './tldPrior.js';
import { learnAffixes, type AffixModel } from './affixModel.js';
import { learnBrandJoinRate } from './sources/brandOnBase.js';
import type { HistoryEntry } from './types.js';

/** One registrable domain of a base (`unblockit.pro`), as the history shows it. */
export interface BaseDomain {
  registrable: string;
  suffix: string;
  firstSeen: string;
  /** the bare base was itself listed (the proxy service's own history) */
  bareListed: boolean;
  /** site → the subdomain label it used there (the latest, when it used several) */
  brands: Map<string, string>;
  /** every subdomain label listed there → its site */
  subs: Map<string, string>;
}

/**
 * A registrable label that carries other names as subdomains (`unblockit` in
 * `1337x.unblockit.pro`). It is a proxy base once it carries two or more brands:
 * learned from the history, never from a list.
 */
export interface BaseKnowledge {
  label: string;
  isProxy: boolean;
  /** by first-seen date */
  domains: BaseDomain[];
  usedSuffixes: Set<string>;
  /** sites whose history lists the bare base (the proxy service itself) */
  ownerSites: Set<string>;
}

export interface LabelUse {
  count: number;
  lastSeen: string;
  suffixes: Set<string>;
}

export interface SiteKnowledge {
  site: string;
  /** registrable labels of the site's own domains (not proxy bases) */
  ownLabels: Map<string, LabelUse>;
  /** labels it used as a subdomain on bases */
  subLabels: Map<string, LabelUse>;
  /** first-seen dates of its own registrable domains: how often it moves */
  ownMoves: string[];
  /** a proxy service's own history (all its bare domains are proxy bases): not a brand to propose */
  isProxyService: boolean;
  /** the date of its first line */
  firstSeen?: string;
  /** the registrable domain of its latest bare (non-subdomain) entry: what a typo tool would be given */
  latestOwnDomain?: string;
}

export interface DiscoveryKnowledge {
  /** the day the knowledge stands for: the latest history date unless given */
  asOf: string;
  /** every known host, normalised (`www.` stripped) */
  known: Set<string>;
  sites: Map<string, SiteKnowledge>;
  bases: Map<string, BaseKnowledge>;
  /**
   * the TLD prior of proxy hops: half by usage and TLD kind (length class), half split by the
   * learned chance that a hop goes to a TLD nobody used (`proxyNoveltyRate`) and the kinds of such hops
   */
  tldPrior: TldPrior;
  /** share of the history's moves (a site's new own domain, a proxy's new base domain) to a TLD nobody had used before */
  siteNoveltyRate: number;
  proxyNoveltyRate: number;
  /**
   * the TLD prior of a site's own name (tld-swap, affix): the same usage, with the kinds also
   * split by whether the public suffix list has private rules under the TLD
   */
  siteTldPrior: TldPrior;
  affixes: AffixModel;
  /** chance that a proxy's next domain carries a blocked brand its recent domains did not (learned) */
  brandJoinRate: number;
}

export interface LearnOptions {
  /** the date to learn as of; defaults to the latest date in the history */
  asOf?: string;
  /** TLDs that may be proposed; defaults to the public suffix list */
  tlds?: readonly string[];
}

/** Decay of old events: what a site or base did half a year ago counts e⁻¹ as much as today. */
export const ACTIVITY_DECAY_DAYS = 180;

export function recency(date: string, asOf: string, decayDays = ACTIVITY_DECAY_DAYS): number {
  return Math.exp(-Math.max(0, daysBetween(date, asOf)) / decayDays);
}

function touch(map: Map<string, LabelUse>, label: string, date: string, suffix: string): void {
  const use = map.get(label) ?? { count: 0, lastSeen: date, suffixes: new Set<string>() };
  use.count += 1;
  if (date > use.lastSeen) use.lastSeen = date;
  use.suffixes.add(suffix);
  map.set(label, use);
}

/**
 * The public suffix list's own mark of a TLD people register in: private rules under it
 * (`github.io`). Splits the TLD kinds of the prior; how much each kind is worth is learned.
 */
function tldKindMark(tld: string): string {
  return (privateRuleCounts().get(tld) ?? 0) > 0 ? 'private' : '';
}

/** How much of the proxies' TLD prior comes from the learned novelty split (the rest: the usage prior). */
const PROXY_NOVELTY_SHARE = 0.5;

/** How much of a site's TLD prior comes from the kinds split by the private-rule mark (the rest: by length only). */
const SITE_KIND_SHARE = 0.5;

/** Learn sites, brands, proxy bases, TLD and affix priors from a history. Pure. */
export function learnKnowledge(history: readonly HistoryEntry[], options: LearnOptions = {}): DiscoveryKnowledge {
  const entries = sortByDate(history);
  const asOf = options.asOf ?? entries.at(-1)?.date ?? '1970-01-01';
  const known = new Set<string>();
  const bases = new Map<string, BaseKnowledge>();
  const parsed = [];
  for (const entry of entries) {
    const parts = splitHost(entry.domain);
    if (!parts) continue;
    known.add(parts.host);
    parsed.push({ entry, parts });
  }
  // First pass: which labels carry subdomains, and how many distinct brands.
  const subsByLabel = new Map<string, Set<string>>();
  for (const { parts } of parsed) {
    if (parts.sub === '') continue;
    const subs = subsByLabel.get(parts.label) ?? new Set<string>();
    subs.add(parts.sub);
    subsByLabel.set(parts.label, subs);
  }
  const isBaseLabel = (label: string) => (subsByLabel.get(label)?.size ?? 0) >= 2;

  const sites = new Map<string, SiteKnowledge>();
  const site = (name: string): SiteKnowledge => {
    let s = sites.get(name);
    if (!s) {
      s = { site: name, ownLabels: new Map(), subLabels: new Map(), ownMoves: [], isProxyService: false };
      sites.set(name, s);
    }
    return s;
  };
  const seenRegistrable = new Set<string>();
  const tldUsage = new Map<string, number>();
  const sitePicks: TldPick[] = [];
  const proxyPicks: TldPick[] = [];
  const hasHosted = new Set<string>();
  const bareLabels = new Map<string, Set<string>>();
  for (const { entry, parts } of parsed) {
    const s = site(entry.site);
    s.firstSeen ??= entry.date;
    const hosted = parts.sub !== '';
    if (!seenRegistrable.has(parts.registrable)) {
      seenRegistrable.add(parts.registrable);
      if (!parts.suffix.includes('.')) {
        const pick = { tld: parts.suffix, novel: !tldUsage.has(parts.suffix) };
        // a site's first day says nothing about where it moves (it had no TLD to move from)
        if (hosted || isBaseLabel(parts.label)) proxyPicks.push(pick);
        else if (entry.date > (s.firstSeen ?? entry.date)) sitePicks.push(pick);
        tldUsage.set(parts.suffix, (tldUsage.get(parts.suffix) ?? 0) + 1);
      }
    }
    if (hosted) hasHosted.add(entry.site);
    else {
      bareLabels.set(entry.site, (bareLabels.get(entry.site) ?? new Set<string>()).add(parts.label));
      s.latestOwnDomain = parts.registrable;
    }
    if (hosted || isBaseLabel(parts.label)) {
      let base = bases.get(parts.label);
      if (!base) {
        base = { label: parts.label, isProxy: isBaseLabel(parts.label), domains: [], usedSuffixes: new Set<string>(), ownerSites: new Set<string>() };
        bases.set(parts.label, base);
      }
      let domain = base.domains.find((d) => d.registrable === parts.registrable);
      if (!domain) {
        domain = { registrable: parts.registrable, suffix: parts.suffix, firstSeen: entry.date, bareListed: false, brands: new Map(), subs: new Map<string, string>() };
        base.domains.push(domain);
        base.usedSuffixes.add(parts.suffix);
      }
      if (hosted) {
        domain.brands.set(entry.site, parts.sub);
        domain.subs.set(parts.sub, entry.site);
        touch(s.subLabels, parts.sub, entry.date, parts.suffix);
      } else {
        domain.bareListed = true;
        base.ownerSites.add(entry.site);
      }
      continue;
    }
    const use = s.ownLabels.get(parts.label);
    if (!use || !use.suffixes.has(parts.suffix)) s.ownMoves.push(entry.date);
    touch(s.ownLabels, parts.label, entry.date, parts.suffix);
  }
  for (const s of sites.values()) {
    const labels = bareLabels.get(s.site);
    s.isProxyService = !hasHosted.has(s.site) && labels !== undefined && [...labels].every(isBaseLabel);
  }
  const tlds = options.tlds ?? registrableTlds();
  const usagePrior = learnTldPrior(tldUsage, tlds);
  // proxies: half the learned novelty split (how often a hop went to a TLD nobody had used, and
  // which kinds those were), half the usage prior (the replay kept recall at 100,000 only mixed)
  const tldPrior = mixTldPriors(learnNoveltyTldPrior(tldUsage, proxyPicks, tlds), usagePrior, PROXY_NOVELTY_SHARE);
  const brandFirstSeen = new Map<string, string>();
  for (const { entry } of parsed) {
    const s = sites.get(entry.site);
    if (s && !s.isProxyService && !brandFirstSeen.has(entry.site)) brandFirstSeen.set(entry.site, entry.date);
  }
  return {
    asOf,
    known,
    sites,
    bases,
    tldPrior,
    siteTldPrior: mixTldPriors(learnTldPrior(tldUsage, tlds, 1, tldKindMark), usagePrior, SITE_KIND_SHARE),
    siteNoveltyRate: learnNoveltyRate(sitePicks),
    proxyNoveltyRate: learnNoveltyRate(proxyPicks),
    affixes: learnAffixes(sites),
    brandJoinRate: learnBrandJoinRate(bases.values(), brandFirstSeen),
  };
}

/** Sites that are blocked brands (not proxy services), in name order for determinism. */
export function brandSites(knowledge: DiscoveryKnowledge): SiteKnowledge[] {
  return [...knowledge.sites.values()].filter((s) => !s.isProxyService).sort((a, b) => (a.site < b.site ? -1 : 1));
}

/**
 * The label a site goes by on proxies: the one it used most recently as a subdomain,
 * else its most used own label.
 */
export function proxyLabelOf(site: SiteKnowledge): string | undefined {
  const pick = (map: Map<string, LabelUse>) =>
    [...map.entries()].sort((a, b) => (b[1].lastSeen < a[1].lastSeen ? -1 : b[1].lastSeen > a[1].lastSeen ? 1 : b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)))[0]?.[0];
  return pick(site.subLabels) ?? pick(site.ownLabels);
}

/**
 * How often a site moves its own name, in moves per `ACTIVITY_DECAY_DAYS` (the scale of
 * `activity`). Counted in *days* it moved on: a day on which many of its names were
 * first listed at once (a bulk listing by the index's volunteers) is one event, not
 * dozens. Half the recent decayed count, half the long-run average since the site was
 * first listed: brands move about once a year or less, so a site quiet for a year and a
 * half (ilcorsaronero, limetorrents) is still due to move, not dead.
 */
export function moveRate(site: SiteKnowledge, asOf: string): number {
  const days = [...new Set(site.ownMoves)].sort();
  if (days.length === 0) return 0;
  const recent = activity(days, asOf);
  const span = Math.max(365, daysBetween(site.firstSeen ?? days[0]!, asOf));
  const longRun = (days.length / span) * ACTIVITY_DECAY_DAYS;
  return 0.5 * recent + 0.5 * longRun;
}

/** Decayed count of events: how active something has been lately (events, not a probability). */
export function activity(dates: readonly string[], asOf: string): number {
  let total = 0;
  for (const date of dates) total += recency(date, asOf);
  return total;
}
