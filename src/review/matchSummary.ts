/**
 * A feed entry as reviewers see it. Pure: the feed's string fields in, typed summaries out.
 * Fields a worker did not write (an older entry, no evidence directory) come out as null.
 */
import type { FeedEntry } from '../store/checkStore.js';
import type { ReviewState } from './auditChain.js';

export interface MatchSummary {
  id: string;
  domain: string;
  site: string;
  verdict: string;
  relation: string | null;
  score: number;
  pageKind: string | null;
  title: string | null;
  /** UTC ISO */
  recordedAt: string;
  source: string | null;
  state: ReviewState;
  manifest: string | null;
  identifiers: string[];
}

export interface EvidenceItem {
  feature: string;
  matched: string;
  weight: number;
  reference?: string;
}

/** What the worker stored with the entry (`evidence` field): the evidence items and the fetch summary. */
export interface StoredEvidence {
  evidence: EvidenceItem[];
  fetch: Record<string, unknown> | null;
  probes: unknown[];
  truncated: boolean;
}

/** Similarity is a distance, not an identifier; every other evidence item names a value that matched. */
const NOT_IDENTIFIERS = new Set(['page-similarity']);

export function storedEvidence(entry: FeedEntry): StoredEvidence {
  const raw = entry.fields.evidence;
  if (!raw) return { evidence: [], fetch: null, probes: [], truncated: false };
  try {
    const parsed = JSON.parse(raw) as { evidence?: unknown; fetch?: unknown; probes?: unknown; truncated?: boolean };
    const evidence = Array.isArray(parsed.evidence) ? (parsed.evidence as EvidenceItem[]).filter((e) => e && typeof e.feature === 'string') : [];
    const fetch = parsed.fetch && typeof parsed.fetch === 'object' ? (parsed.fetch as Record<string, unknown>) : null;
    return { evidence, fetch, probes: Array.isArray(parsed.probes) ? parsed.probes : [], truncated: parsed.truncated === true };
  } catch {
    return { evidence: [], fetch: null, probes: [], truncated: true };
  }
}

const str = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

export function summarise(entry: FeedEntry, state: ReviewState): MatchSummary {
  const f = entry.fields;
  const { evidence } = storedEvidence(entry);
  const checkedAt = Number(f.checkedAt);
  const identifiers = [...new Set(evidence.filter((e) => !NOT_IDENTIFIERS.has(e.feature)).map((e) => e.matched))];
  return {
    id: entry.id,
    domain: f.domain ?? '',
    site: f.site ?? '',
    verdict: f.verdict ?? '',
    relation: str(f.relation),
    score: Number(f.score ?? 0),
    pageKind: str(f.pageKind),
    title: str(f.title),
    recordedAt: new Date(Number.isFinite(checkedAt) ? checkedAt : Number(entry.id.split('-')[0])).toISOString(),
    source: str(f.source),
    state,
    manifest: str(f.manifest),
    identifiers,
  };
}

/** The addresses a check resolved and connected to: what an IP blocklist would name. */
export function fetchAddresses(fetch: Record<string, unknown> | null): string[] {
  if (!fetch) return [];
  const out = new Set<string>();
  const resolved = fetch.resolvedAddresses;
  if (Array.isArray(resolved)) for (const a of resolved) if (typeof a === 'string' && a) out.add(a);
  if (typeof fetch.connectedAddress === 'string' && fetch.connectedAddress) out.add(fetch.connectedAddress);
  return [...out];
}
