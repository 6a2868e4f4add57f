import { datedPagesBySite, isNegativeFolder, negativeClassOfFolder, splitCorpus, type Candidate, type CorpusPage, type CorpusSplit, type ManifestEntry, type ReferencedSite } from './corpusProtocol.js';

/**
 * Three ways to pick references and candidates from one corpus, each a pure function of the
 * MANIFEST. `earliest-day` is the corpus README's protocol. The other two ask for what a blocking
 * order's months actually bring and cannot be met by tuning on near-identical captures:
 *
 * - `temporal`: a site's references are its pages from its earliest calendar year; its
 *   candidates are its pages saved at least 365 days after its latest reference (pages in
 *   between are left out). The site has had a year to redesign.
 * - `cross-source`: a site's references are all its pages from one source repository (the one
 *   holding its earliest page); its candidates are its pages from every other source. Another
 *   scraper, another capture path, another moment: nothing shared but the site.
 *
 * In every protocol, `neg_*` pages and pages of one-page sites are negatives, and a site with
 * no candidate under a protocol still contributes its references (so a wrong site can be named).
 */

export type ProtocolName = 'earliest-day' | 'temporal' | 'cross-source';

export interface Protocol {
  name: ProtocolName;
  description: string;
  split: (entries: readonly ManifestEntry[]) => CorpusSplit;
}

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365;

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/**
 * The shared part of the two new protocols: `choose` splits one site's dated pages into
 * references and candidates (anything in neither list is left out).
 */
function splitBy(entries: readonly ManifestEntry[], choose: (pages: CorpusPage[]) => { refs: CorpusPage[]; candidates: CorpusPage[] }): CorpusSplit {
  const { pages, bySite } = datedPagesBySite(entries);
  const references: CorpusPage[] = [];
  const candidates: Candidate[] = [];
  const referencedSites: ReferencedSite[] = [];
  const unreferencedSites: string[] = [];
  for (const [site, sitePages] of bySite) {
    const dated = sitePages.filter((p) => p.saved.day !== null);
    // the same rule as the README's protocol: one page (or none dated) means an unknown site
    if (sitePages.length < 2 || dated.length === 0) {
      unreferencedSites.push(site);
      for (const page of sitePages) candidates.push({ page, truth: { kind: 'negative', negativeClass: 'unknown-torrent' } });
      continue;
    }
    const { refs, candidates: positives } = choose([...dated].sort((a, b) => (a.saved.day! < b.saved.day! ? -1 : a.saved.day! > b.saved.day! ? 1 : 0)));
    const types = new Set(refs.map((p) => p.pageType));
    references.push(...refs);
    referencedSites.push({ site, referenceDay: refs[0]?.saved.day ?? '', referencePageTypes: [...types].sort(), referenceCount: refs.length });
    for (const page of positives) candidates.push({ page, truth: { kind: 'positive', site, sameType: types.has(page.pageType) } });
  }
  for (const page of pages) {
    if (isNegativeFolder(page.site)) candidates.push({ page, truth: { kind: 'negative', negativeClass: negativeClassOfFolder(page.site) } });
  }
  // manifest order, as the README's protocol keeps it
  const order = new Map(pages.map((p, i) => [p.localPath, i]));
  candidates.sort((a, b) => order.get(a.page.localPath)! - order.get(b.page.localPath)!);
  references.sort((a, b) => order.get(a.localPath)! - order.get(b.localPath)!);
  return { references, candidates, referencedSites, unreferencedSites };
}

export function splitTemporal(entries: readonly ManifestEntry[]): CorpusSplit {
  return splitBy(entries, (dated) => {
    const firstYear = dated[0]!.saved.day!.slice(0, 4);
    const refs = dated.filter((p) => p.saved.day!.startsWith(firstYear));
    const lastRef = Math.max(...refs.map((p) => dayNumber(p.saved.day!)));
    const candidates = dated.filter((p) => dayNumber(p.saved.day!) >= lastRef + YEAR_DAYS);
    return { refs, candidates };
  });
}

export function splitCrossSource(entries: readonly ManifestEntry[]): CorpusSplit {
  return splitBy(entries, (dated) => {
    const source = dated[0]!.sourceRepo;
    return { refs: dated.filter((p) => p.sourceRepo === source), candidates: dated.filter((p) => p.sourceRepo !== source) };
  });
}

export const PROTOCOLS: readonly Protocol[] = [
  { name: 'earliest-day', description: "references = a site's pages on its earliest day; candidates = every other page (the corpus README's protocol)", split: splitCorpus },
  { name: 'temporal', description: "references = a site's pages from its earliest calendar year; candidates = its pages saved at least 365 days after its latest reference", split: splitTemporal },
  { name: 'cross-source', description: "references = a site's pages from the source repository of its earliest page; candidates = its pages from every other source repository", split: splitCrossSource },
];
