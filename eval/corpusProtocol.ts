import { parseSavedDate, type SavedDay } from './savedDate.js';

/**
 * The measurement protocol of `../shared/corpus/README.md`, as pure functions over the MANIFEST:
 *
 * 1. References: for every torrent site with two or more pages, the pages saved on its earliest
 *    day. A site with one page has no reference: its page is an unknown torrent site, a negative.
 * 2. Candidates: every other page. A later page of a referenced site is a positive for that site;
 *    every `neg_*` page and every page of an unreferenced site is a negative.
 *
 * Reading files and running detectors live elsewhere (corpus.ts, detectors); this module only
 * decides who is a reference, who is a candidate and what the right answer is.
 */

export interface ManifestEntry {
  /** `<site>/<source>__<page_type>__<n>.html`, relative to the corpus folder */
  localPath: string;
  /** folder name: a torrent site id, or `neg_*` for hard negatives */
  site: string;
  /** the host that served the page first, then own-brand hosts it links to */
  domainsSeen: string[];
  pageType: string;
  sourceRepo: string;
  sourcePath: string;
  commit: string;
  bytes: number | null;
  savedDate: string;
  sha1: string;
  notes: string;
}

export interface CorpusPage extends ManifestEntry {
  saved: SavedDay;
}

/** Which kind of negative: the issue asks for false matches split this way. */
export type NegativeClass =
  /** Cloudflare challenge / block pages, parked domains, default web-server pages */
  | 'challenge-parked-default'
  /** ordinary news / reference sites */
  | 'ordinary'
  /** a torrent site with a single page: no reference, so it must not be named */
  | 'unknown-torrent';

export const NEGATIVE_CLASSES: readonly NegativeClass[] = ['challenge-parked-default', 'ordinary', 'unknown-torrent'];

export type Truth =
  | { kind: 'positive'; site: string; /** the page type is among the site's reference page types */ sameType: boolean }
  | { kind: 'negative'; negativeClass: NegativeClass };

export interface Candidate {
  page: CorpusPage;
  truth: Truth;
}

export interface ReferencedSite {
  site: string;
  /** the earliest day: its pages are the references */
  referenceDay: string;
  referencePageTypes: string[];
  referenceCount: number;
}

export interface CorpusSplit {
  references: CorpusPage[];
  candidates: Candidate[];
  referencedSites: ReferencedSite[];
  /** torrent sites with one page (or no dated page): every page a negative */
  unreferencedSites: string[];
}

const REQUIRED_COLUMNS = ['local_path', 'site', 'domain_seen', 'page_type', 'saved_date'] as const;

/** A TSV field may be quoted CSV-style (`"""Welcome to nginx!"" upstream default"`). */
function unquote(field: string): string {
  if (field.length >= 2 && field.startsWith('"') && field.endsWith('"')) return field.slice(1, -1).replace(/""/g, '"');
  return field;
}

/** Parse MANIFEST.tsv by its header names, so a reordered or extended manifest still reads. */
export function parseManifest(text: string): ManifestEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift()?.split('\t').map((h) => h.trim().toLowerCase()) ?? [];
  for (const column of REQUIRED_COLUMNS) {
    if (!header.includes(column)) throw new Error(`MANIFEST.tsv has no \`${column}\` column (header: ${header.join(', ')})`);
  }
  const at = (fields: string[], name: string): string => {
    const i = header.indexOf(name);
    return i < 0 ? '' : unquote(fields[i]?.trim() ?? '');
  };
  return lines.map((line) => {
    const fields = line.split('\t');
    const bytes = Number.parseInt(at(fields, 'bytes'), 10);
    return {
      localPath: at(fields, 'local_path'),
      site: at(fields, 'site'),
      domainsSeen: at(fields, 'domain_seen').split(';').map((d) => d.trim().toLowerCase()).filter((d) => d !== ''),
      pageType: at(fields, 'page_type') || 'other',
      sourceRepo: at(fields, 'source_repo'),
      sourcePath: at(fields, 'source_path'),
      commit: at(fields, 'commit'),
      bytes: Number.isFinite(bytes) ? bytes : null,
      savedDate: at(fields, 'saved_date'),
      sha1: at(fields, 'sha1'),
      notes: at(fields, 'notes'),
    };
  });
}

/** `neg_*` folders hold hard negatives; every other folder is a torrent site. */
export function isNegativeFolder(site: string): boolean {
  return site.startsWith('neg_');
}

export function negativeClassOfFolder(site: string): NegativeClass {
  return site === 'neg_ordinary' ? 'ordinary' : 'challenge-parked-default';
}

/** Every page with its saved date, and the sites' pages grouped (negatives left out), in manifest order. */
export function datedPagesBySite(entries: readonly ManifestEntry[]): { pages: CorpusPage[]; bySite: Map<string, CorpusPage[]> } {
  const pages: CorpusPage[] = entries.map((e) => ({ ...e, saved: parseSavedDate(e.savedDate, e.sourcePath) }));
  const bySite = new Map<string, CorpusPage[]>();
  for (const page of pages) {
    if (isNegativeFolder(page.site)) continue;
    const list = bySite.get(page.site) ?? [];
    list.push(page);
    bySite.set(page.site, list);
  }
  return { pages, bySite };
}

/** Apply the protocol. Pages keep the manifest order within each list. */
export function splitCorpus(entries: readonly ManifestEntry[]): CorpusSplit {
  const { pages, bySite } = datedPagesBySite(entries);

  const referencedSites: ReferencedSite[] = [];
  const unreferencedSites: string[] = [];
  const referenceDayOf = new Map<string, string>();
  for (const [site, sitePages] of bySite) {
    const days = sitePages.map((p) => p.saved.day).filter((d): d is string => d !== null).sort();
    const earliest = days[0];
    // One page, or no dated page: nothing to call "earliest", so the site is unknown to the detector.
    if (sitePages.length < 2 || earliest === undefined) {
      unreferencedSites.push(site);
      continue;
    }
    referenceDayOf.set(site, earliest);
    const refs = sitePages.filter((p) => p.saved.day === earliest);
    referencedSites.push({
      site,
      referenceDay: earliest,
      referencePageTypes: [...new Set(refs.map((p) => p.pageType))].sort(),
      referenceCount: refs.length,
    });
  }
  const refTypes = new Map(referencedSites.map((s) => [s.site, new Set(s.referencePageTypes)]));

  const references: CorpusPage[] = [];
  const candidates: Candidate[] = [];
  for (const page of pages) {
    if (isNegativeFolder(page.site)) {
      candidates.push({ page, truth: { kind: 'negative', negativeClass: negativeClassOfFolder(page.site) } });
      continue;
    }
    const day = referenceDayOf.get(page.site);
    if (day === undefined) {
      candidates.push({ page, truth: { kind: 'negative', negativeClass: 'unknown-torrent' } });
    } else if (page.saved.day === day) {
      references.push(page);
    } else {
      const sameType = refTypes.get(page.site)?.has(page.pageType) ?? false;
      candidates.push({ page, truth: { kind: 'positive', site: page.site, sameType } });
    }
  }
  return { references, candidates, referencedSites, unreferencedSites };
}

/** `request https://host/path; status 200` in the notes of recorded HTTP exchanges. */
export function requestUrlOf(entry: Pick<ManifestEntry, 'notes'>): string | null {
  const m = /\brequest\s+(https?:\/\/[^\s;]+)/i.exec(entry.notes);
  return m ? m[1]! : null;
}

export function statusOf(entry: Pick<ManifestEntry, 'notes'>): number | undefined {
  const m = /\bstatus\s+(\d{3})\b/i.exec(entry.notes);
  return m ? Number(m[1]) : undefined;
}

/** The URL a page was served at, as far as the manifest tells: the recorded request, else its first host. */
export function pageUrlOf(entry: Pick<ManifestEntry, 'notes' | 'domainsSeen'>): string | null {
  const request = requestUrlOf(entry);
  if (request) return request;
  const host = entry.domainsSeen[0];
  return host ? `http://${host}/` : null;
}
