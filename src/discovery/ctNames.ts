import { brandMatcher, type BrandMatcher } from './brandMatch.js';
import { normaliseHost } from './domainName.js';
import type { DiscoveryKnowledge } from './knowledge.js';
import type { Candidate } from './types.js';

/** A CT line longer than this is cut off: one certificate never needs more. */
export const MAX_CT_LINE_CHARS = 1_000_000;
/** Names taken from one line (a certificate may carry hundreds of SANs; more is abuse). */
export const MAX_NAMES_PER_LINE = 1000;

function namesFromJson(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  // certstream: {"message_type":"certificate_update","data":{"leaf_cert":{"all_domains":[...]}}}
  const data = (record.data ?? record) as Record<string, unknown>;
  const leaf = (data.leaf_cert ?? data) as Record<string, unknown>;
  for (const key of ['all_domains', 'domains', 'names', 'dns_names']) {
    const list = leaf[key];
    if (Array.isArray(list)) return list.filter((v): v is string => typeof v === 'string');
  }
  if (typeof leaf.subject === 'object' && leaf.subject !== null) {
    const cn = (leaf.subject as Record<string, unknown>).CN;
    if (typeof cn === 'string') return [cn];
  }
  return [];
}

/** The names on one line: certstream JSON, a JSON array or string, or plain names split on space and commas. */
export function namesFromCtLine(line: string): string[] {
  const text = line.length > MAX_CT_LINE_CHARS ? line.slice(0, MAX_CT_LINE_CHARS) : line;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return [];
  let names: string[];
  if (/^[[{"]/.test(trimmed)) {
    try {
      // JSON.parse of the whole line, then one path read: a grammar-checking scanner in JS that
      // built only all_domains was 1.5x slower than V8's JSON.parse on certstream lines (1.8 KB)
      names = namesFromJson(JSON.parse(trimmed));
    } catch {
      return [];
    }
  } else {
    names = trimmed.split(/[\s,]+/);
  }
  return names.slice(0, MAX_NAMES_PER_LINE);
}

/** A CT filter built once (the brand matcher is the expensive part) and fed line by line. */
export interface CtLineFilter {
  /** the candidates on one line, each name once; known domains left out */
  line(line: string): Candidate[];
}

export function ctLineFilter(knowledge: DiscoveryKnowledge, matcher: BrandMatcher = brandMatcher(knowledge)): CtLineFilter {
  return {
    line(line) {
      return filterNames(namesFromCtLine(line), knowledge, matcher, new Set<string>(), []);
    },
  };
}

function filterNames(names: readonly string[], knowledge: DiscoveryKnowledge, matcher: BrandMatcher, seen: Set<string>, out: Candidate[]): Candidate[] {
  for (const name of names) {
    const host = normaliseHost(name);
    if (host === undefined || seen.has(host) || knowledge.known.has(host)) continue;
    seen.add(host);
    const hit = matcher.match(host);
    if (!hit) continue;
    out.push({ domain: host, site: hit.site, source: 'ct', reason: `certificate issued for ${hit.reason}`, score: 0.8 });
  }
  return out;
}

/**
 * Filter CT names down to the ones that carry a brand or a proxy base. Known domains
 * are left out (a renewed certificate of a known address is no news); each name once.
 */
export function ctCandidates(lines: Iterable<string>, knowledge: DiscoveryKnowledge, matcher: BrandMatcher = brandMatcher(knowledge)): Candidate[] {
  // a caller filtering batch after batch passes a matcher built once (building is the costly part)
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const line of lines) filterNames(namesFromCtLine(line), knowledge, matcher, seen, out);
  return out;
}
