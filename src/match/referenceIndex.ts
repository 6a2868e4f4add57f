import { getDomainWithoutSuffix, getHostname } from 'tldts';
import { parseSimhashHex, hamming64 } from '../fingerprint/simhash64.js';
import type { FeatureFamily, Identifier, PageFingerprint } from '../fingerprint/types.js';
import { DOMAIN_BRAND_WEIGHT, identifierWeight, MIN_FAMILY_FEATURES, OPERATOR_WEIGHT, STRONG_IDENTIFIER } from './evidenceWeights.js';
import type { ReferencePage, ReferenceSet, SiteRecord } from './referenceSet.js';
import { decide, scoreSite, type SiteEvidence } from './siteEvidence.js';
import { SiteSelfKnowledge } from './selfEvidence.js';
import { SimhashIndex } from './simhashIndex.js';
import type { MatchResult } from './types.js';

export interface ReferenceIndexOptions {
  /**
   * Per-family Hamming radius for finding candidate reference pages. A reference outside the
   * radius in every family and sharing no identifier is never scored. 12 of 64 bits covers
   * captures of one site years apart on the corpus; identifiers cover the rest.
   */
  simhashRadius?: number;
}

export interface MatchOptions {
  /** host the page was served from, if known: its labels are compared with the sites' brand labels */
  domain?: string | null;
}

const FAMILIES: FeatureFamily[] = ['structure', 'text', 'resources'];
/** An unusable family counts as an unrelated one would: half the bits differ. */
const UNKNOWN_FAMILY_DISTANCE = 32;
/** Brand labels shorter than this ("tpb", "kat") occur inside too many unrelated host names. */
const MIN_BRAND_LABEL = 4;

interface IndexedReference {
  page: ReferencePage;
  hashes: Record<FeatureFamily, { hi: number; lo: number } | null>;
}

const identifierKey = (id: Pick<Identifier, 'kind' | 'value'>): string => `${id.kind}\u0000${id.value}`;

/**
 * The reference set made searchable: one simhash index per feature family, an identifier index,
 * and the brand labels of the sites' known domains. Pure and in memory; build once, match many.
 */
export class ReferenceIndex {
  readonly referenceSet: ReferenceSet;
  private readonly refs: IndexedReference[] = [];
  private readonly simhashIndexes: Record<FeatureFamily, SimhashIndex>;
  private readonly identifierRefs = new Map<string, number[]>();
  /** identifier keys seen on reference pages of two or more sites: a provider's or an operator's, not a site's */
  private readonly sharedIdentifiers = new Set<string>();
  private readonly brandLabels = new Map<string, string[]>();
  private readonly knownHosts = new Map<string, string>();
  private readonly sitesById = new Map<string, SiteRecord>();
  private readonly selfKnowledge: SiteSelfKnowledge;

  private constructor(set: ReferenceSet, options: ReferenceIndexOptions) {
    this.referenceSet = set;
    const radius = options.simhashRadius ?? 12;
    this.simhashIndexes = {
      structure: new SimhashIndex({ maxDistance: radius }),
      text: new SimhashIndex({ maxDistance: radius }),
      resources: new SimhashIndex({ maxDistance: radius }),
    };
    for (const site of set.sites) this.sitesById.set(site.id, site);
    this.selfKnowledge = new SiteSelfKnowledge(set.sites, set.references);

    const sitesPerIdentifier = new Map<string, Set<string>>();
    for (const page of set.references) {
      // only content pages are references: a parked or challenge page carries a provider's IDs
      if (page.fingerprint.pageKind !== 'ok') continue;
      const n = this.refs.length;
      const hashes = {} as IndexedReference['hashes'];
      for (const f of FAMILIES) {
        const usable = page.fingerprint.featureCounts[f] >= MIN_FAMILY_FEATURES;
        const h = usable ? parseSimhashHex(page.fingerprint.simhash[f]) : null;
        hashes[f] = h;
        if (h) this.simhashIndexes[f].add(n, h.hi, h.lo);
      }
      this.refs.push({ page, hashes });
      for (const id of page.fingerprint.identifiers) {
        const key = identifierKey(id);
        const list = this.identifierRefs.get(key);
        if (list) list.push(n);
        else this.identifierRefs.set(key, [n]);
        const sites = sitesPerIdentifier.get(key) ?? new Set<string>();
        sites.add(page.site);
        sitesPerIdentifier.set(key, sites);
      }
    }
    for (const [key, sites] of sitesPerIdentifier) if (sites.size >= 2) this.sharedIdentifiers.add(key);

    const labelSites = new Map<string, Set<string>>();
    for (const site of set.sites) {
      for (const { domain } of site.domains) {
        this.knownHosts.set(domain.toLowerCase(), site.id);
        const label = getDomainWithoutSuffix(domain);
        if (!label || label.length < MIN_BRAND_LABEL) continue;
        const s = labelSites.get(label) ?? new Set<string>();
        s.add(site.id);
        labelSites.set(label, s);
      }
    }
    // a label used by two sites' domains (a proxy service's name) says nothing about which site
    for (const [label, sites] of labelSites) {
      if (sites.size !== 1) continue;
      const site = [...sites][0]!;
      this.brandLabels.set(site, [...(this.brandLabels.get(site) ?? []), label]);
    }
  }

  static build(set: ReferenceSet, options: ReferenceIndexOptions = {}): ReferenceIndex {
    return new ReferenceIndex(set, options);
  }

  get size(): number {
    return this.refs.length;
  }

  site(id: string): SiteRecord | undefined {
    return this.sitesById.get(id);
  }

  /**
   * URL paths the reference pages were captured at, for probing candidate hosts: listing and
   * search pages first (every mirror serves them), detail pages last (items come and go), and
   * one site's paths interleaved with the others' so a few probes cover several sites.
   */
  probePaths(site?: string): string[] {
    const rank = (pageType: string): number => ({ list: 0, search: 1, home: 2, other: 3, detail: 4 })[pageType] ?? 3;
    const perSite = new Map<string, Map<string, number>>();
    for (const { page } of this.refs) {
      if (site && page.site !== site) continue;
      if (!page.capturedUrl || !URL.canParse(page.capturedUrl)) continue;
      const u = new URL(page.capturedUrl);
      const path = u.pathname + u.search;
      if (path === '/') continue;
      const paths = perSite.get(page.site) ?? new Map<string, number>();
      paths.set(path, Math.min(paths.get(path) ?? 9, rank(page.pageType)));
      perSite.set(page.site, paths);
    }
    const lists = [...perSite.keys()].sort().map((s) => [...perSite.get(s)!].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p));
    const out: string[] = [];
    for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length && !out.includes(l[i]!)) out.push(l[i]!);
    return out;
  }

  match(fp: PageFingerprint, options: MatchOptions = {}): MatchResult {
    if (fp.pageKind !== 'ok') {
      return { verdict: 'inconclusive', site: null, relation: null, score: 0, evidence: [{ feature: 'page-kind', matched: `${fp.pageKind}: ${fp.pageKindReason}`, weight: 0 }], related: [] };
    }
    const perSite = new Map<string, SiteEvidence>();
    const evidenceFor = (site: string): SiteEvidence => {
      let e = perSite.get(site);
      if (!e) {
        e = { site, bestDistance: null, bestDistances: null, bestReference: null, links: [], operatorLinks: [] };
        perSite.set(site, e);
      }
      return e;
    };

    const query = {} as Record<FeatureFamily, { hi: number; lo: number } | null>;
    const candidates = new Set<number>();
    for (const f of FAMILIES) {
      const usable = fp.featureCounts[f] >= MIN_FAMILY_FEATURES;
      query[f] = usable ? parseSimhashHex(fp.simhash[f]) : null;
      if (query[f]) for (const hit of this.simhashIndexes[f].query(query[f].hi, query[f].lo)) candidates.add(hit.id);
    }

    const seenLink = new Set<string>();
    for (const id of fp.identifiers) {
      const key = identifierKey(id);
      const refs = this.identifierRefs.get(key);
      if (!refs) continue;
      const shared = this.sharedIdentifiers.has(key);
      for (const r of refs) {
        candidates.add(r);
        const ref = this.refs[r]!;
        const linkKey = `${ref.page.site}\u0000${key}`;
        if (seenLink.has(linkKey)) continue;
        seenLink.add(linkKey);
        const e = evidenceFor(ref.page.site);
        const matched = id.display ? `${id.value} (${id.display})` : id.value;
        const weight = identifierWeight(id.kind);
        // a weak trait (a tracker list, an icon path) on two sites' pages is common practice, not a lead
        if (shared && id.scope === 'site' && weight < STRONG_IDENTIFIER) continue;
        if (id.scope === 'operator' || shared) {
          e.operatorLinks.push({ feature: id.kind, matched: shared && id.scope === 'site' ? `${matched}, also on other sites' pages` : matched, weight: OPERATOR_WEIGHT, reference: ref.page.id });
        } else {
          e.links.push({ feature: id.kind, matched, weight, reference: ref.page.id });
        }
      }
    }

    for (const r of candidates) {
      const ref = this.refs[r]!;
      const d = { structure: 0, text: 0, resources: 0 };
      for (const f of FAMILIES) {
        const a = query[f];
        const b = ref.hashes[f];
        d[f] = a && b ? hamming64(a.hi, a.lo, b.hi, b.lo) : UNKNOWN_FAMILY_DISTANCE;
      }
      const total = d.structure + d.text + d.resources;
      const e = evidenceFor(ref.page.site);
      if (e.bestDistance === null || total < e.bestDistance) {
        e.bestDistance = total;
        e.bestDistances = d;
        e.bestReference = ref.page.id;
      }
    }

    for (const [site, items] of this.selfKnowledge.evidence(fp)) evidenceFor(site).links.push(...items);
    if (options.domain) this.addDomainEvidence(options.domain, perSite, evidenceFor);
    return decide([...perSite.values()].map(scoreSite));
  }

  private addDomainEvidence(domain: string, perSite: Map<string, SiteEvidence>, evidenceFor: (site: string) => SiteEvidence): void {
    const host = (getHostname(domain) ?? domain).toLowerCase();
    const known = this.knownHosts.get(host);
    if (known) {
      evidenceFor(known).links.push({ feature: 'known-domain', matched: `${host} is a known domain of ${known}`, weight: DOMAIN_BRAND_WEIGHT });
      return;
    }
    const labels = host.split('.');
    for (const [site, brands] of this.brandLabels) {
      // the host name only corroborates a site the page itself already resembles or links to
      const e = perSite.get(site);
      if (!e) continue;
      const brand = brands.find((b) => labels.some((l) => l.includes(b)));
      if (brand) e.links.push({ feature: 'domain-brand', matched: `host ${host} carries the brand label "${brand}"`, weight: DOMAIN_BRAND_WEIGHT });
    }
  }
}

