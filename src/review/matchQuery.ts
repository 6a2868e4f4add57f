/**
 * Filtering, sorting, faceting and paging the feed's summaries: the one place `GET /api/matches`
 * and `hopwatch matches` agree on what a filter means. Pure.
 */
import { HopwatchError } from '../errors.js';
import { REVIEW_STATES, type ReviewState } from './auditChain.js';
import type { MatchSummary } from './matchSummary.js';

export const MATCH_SORTS = ['recorded', '-recorded', 'score', '-score', 'domain'] as const;
export type MatchSort = (typeof MATCH_SORTS)[number];

export interface MatchQuery {
  state?: ReviewState;
  site?: string;
  verdict?: string;
  /** ms since the epoch, inclusive */
  since?: number;
  /** ms since the epoch, exclusive */
  until?: number;
  /** substring of the domain, or a glob with `*` (`*.unblockit.*`) */
  q?: string;
  sort: MatchSort;
  cursor?: string;
  limit: number;
}

export interface MatchPage {
  items: MatchSummary[];
  nextCursor: string | null;
  total: number;
  counts: { bySite: Record<string, number>; byVerdict: Record<string, number>; byState: Record<string, number> };
}

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

function bad(message: string): HopwatchError {
  return new HopwatchError('FEED_BAD_QUERY', message);
}

function time(value: string, name: string): number {
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw bad(`${name} must be an ISO date or milliseconds since the epoch, got "${value.slice(0, 50)}"`);
  return ms;
}

/** Query-string values (all strings) to a validated query; unknown values are refused, not ignored. */
export function parseMatchQuery(raw: Record<string, string | undefined>): MatchQuery {
  const q: MatchQuery = { sort: '-recorded', limit: DEFAULT_PAGE };
  if (raw.state) {
    if (!REVIEW_STATES.includes(raw.state as ReviewState)) throw bad(`state must be one of ${REVIEW_STATES.join(', ')}`);
    q.state = raw.state as ReviewState;
  }
  if (raw.site) q.site = raw.site.slice(0, 200);
  if (raw.verdict) q.verdict = raw.verdict.slice(0, 50);
  if (raw.since) q.since = time(raw.since, 'since');
  if (raw.until) q.until = time(raw.until, 'until');
  if (raw.q) q.q = raw.q.slice(0, 253).toLowerCase();
  if (raw.sort) {
    if (!(MATCH_SORTS as readonly string[]).includes(raw.sort)) throw bad(`sort must be one of ${MATCH_SORTS.join(', ')}`);
    q.sort = raw.sort as MatchSort;
  }
  if (raw.limit) {
    if (!/^\d{1,5}$/.test(raw.limit) || Number(raw.limit) < 1 || Number(raw.limit) > MAX_PAGE) throw bad(`limit must be 1..${MAX_PAGE}`);
    q.limit = Number(raw.limit);
  }
  if (raw.cursor) q.cursor = raw.cursor.slice(0, 500);
  return q;
}

function domainMatcher(q: string): (domain: string) => boolean {
  if (!q.includes('*')) return (d) => d.includes(q);
  const re = new RegExp(`^${q.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (d) => re.test(d);
}

type Key = string | number;

function sortKey(m: MatchSummary, sort: MatchSort): Key {
  if (sort === 'domain') return m.domain;
  if (sort === 'score' || sort === '-score') return m.score;
  return Date.parse(m.recordedAt);
}

function compare(a: [Key, string], b: [Key, string], descending: boolean): number {
  const byKey = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  const byId = a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  const c = byKey !== 0 ? byKey : byId;
  return descending ? -c : c;
}

function encodeCursor(key: Key, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function decodeCursor(cursor: string): [Key, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw bad('cursor is not one this server gave out');
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * One page of the filtered, sorted feed. The counts are facets: each counts the entries that pass
 * every other filter, so a page can show how many there would be with another state or site.
 */
export function queryMatches(all: Iterable<MatchSummary>, q: MatchQuery): MatchPage {
  const domainOk = q.q ? domainMatcher(q.q) : () => true;
  const counts: MatchPage['counts'] = { bySite: {}, byVerdict: {}, byState: {} };
  const hits: MatchSummary[] = [];
  for (const m of all) {
    const recorded = Date.parse(m.recordedAt);
    if (q.since !== undefined && recorded < q.since) continue;
    if (q.until !== undefined && recorded >= q.until) continue;
    if (!domainOk(m.domain)) continue;
    const stateOk = !q.state || m.state === q.state;
    const siteOk = !q.site || m.site === q.site;
    const verdictOk = !q.verdict || m.verdict === q.verdict;
    if (siteOk && verdictOk) bump(counts.byState, m.state);
    if (stateOk && verdictOk) bump(counts.bySite, m.site);
    if (stateOk && siteOk) bump(counts.byVerdict, m.verdict);
    if (stateOk && siteOk && verdictOk) hits.push(m);
  }
  const descending = q.sort.startsWith('-');
  const keyed = hits.map((m) => ({ m, k: [sortKey(m, q.sort), m.id] as [Key, string] }));
  keyed.sort((a, b) => compare(a.k, b.k, descending));
  let start = 0;
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    start = keyed.findIndex((x) => compare(x.k, after, descending) > 0);
    if (start === -1) start = keyed.length;
  }
  const page = keyed.slice(start, start + q.limit);
  const last = page[page.length - 1];
  const nextCursor = last && start + q.limit < keyed.length ? encodeCursor(last.k[0], last.k[1]) : null;
  return { items: page.map((x) => x.m), nextCursor, total: hits.length, counts };
}
