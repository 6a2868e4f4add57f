import { normaliseHost } from './domainName.js';
import { sortByDate } from './history.js';
import { learnKnowledge, type DiscoveryKnowledge } from './knowledge.js';
import { classifyHop, HOP_PATTERNS, type HopPattern } from './replayPattern.js';
import type { HistoryEntry } from './types.js';

/**
 * A generator under test: given what was known strictly before a date, its ranked
 * candidate domains (at most `budget`). It receives the learned knowledge so the
 * replay learns once per step for every generator.
 */
export type RankedGenerator = (knowledge: DiscoveryKnowledge, budget: number) => readonly string[];

export interface ReplayTarget {
  date: string;
  domain: string;
  site: string;
  pattern: HopPattern;
  /** rank (0-based) in each generator's list, or -1 when absent */
  rank: Record<string, number>;
}

export interface RecallRow {
  generator: string;
  period: 'dev' | 'held-out';
  budget: number;
  pattern: HopPattern | 'all';
  found: number;
  total: number;
  recall: number;
}

export interface ReplayReport {
  cutDate: string;
  budgets: number[];
  steps: number;
  /** new domains whose `www.`-less form was already known: not new, left out */
  skippedAlreadyKnown: number;
  targets: ReplayTarget[];
  rows: RecallRow[];
}

/**
 * Walk the history in date order. At each date D, everything listed strictly before D is
 * known (learned as of the last earlier date, so nothing about D leaks in); every
 * generator proposes one ranked list with a budget shared by all sites; each domain first
 * listed on D is a hit at budget N when it is among the first N of that list.
 */
export function replay(history: readonly HistoryEntry[], generators: Record<string, RankedGenerator>, budgets: number[], cutDate: string): ReplayReport {
  const entries = sortByDate(history);
  const maxBudget = Math.max(...budgets);
  const dates = [...new Set(entries.map((e) => e.date))];
  const targets: ReplayTarget[] = [];
  let skippedAlreadyKnown = 0;
  let steps = 0;
  let cursor = 0;
  for (const date of dates) {
    const before = entries.slice(0, cursor);
    while (cursor < entries.length && entries[cursor]!.date === date) cursor += 1;
    if (before.length === 0) continue;
    const knowledge = learnKnowledge(before, { asOf: before.at(-1)!.date });
    const today = new Map<string, HistoryEntry>();
    for (const entry of entries.slice(before.length, cursor)) {
      const host = normaliseHost(entry.domain);
      if (host === undefined) continue;
      if (knowledge.known.has(host)) {
        skippedAlreadyKnown += 1;
        continue;
      }
      if (!today.has(host)) today.set(host, entry);
    }
    if (today.size === 0) continue;
    steps += 1;
    const ranks: Record<string, Map<string, number>> = {};
    for (const [name, generate] of Object.entries(generators)) {
      ranks[name] = new Map(generate(knowledge, maxBudget).map((domain, index) => [domain, index] as const));
    }
    for (const [host, entry] of today) {
      const rank: Record<string, number> = {};
      for (const name of Object.keys(generators)) rank[name] = ranks[name]!.get(host) ?? -1;
      targets.push({ date, domain: host, site: entry.site, pattern: classifyHop(host, entry.site, knowledge), rank });
    }
  }
  return { cutDate, budgets, steps, skippedAlreadyKnown, targets, rows: recallRows(targets, Object.keys(generators), budgets, cutDate) };
}

function recallRows(targets: readonly ReplayTarget[], generators: string[], budgets: number[], cutDate: string): RecallRow[] {
  const rows: RecallRow[] = [];
  for (const period of ['dev', 'held-out'] as const) {
    const inPeriod = targets.filter((t) => (period === 'dev' ? t.date < cutDate : t.date >= cutDate));
    for (const generator of generators) {
      for (const budget of budgets) {
        for (const pattern of ['all', ...HOP_PATTERNS] as const) {
          const pool = pattern === 'all' ? inPeriod : inPeriod.filter((t) => t.pattern === pattern);
          const found = pool.filter((t) => t.rank[generator]! >= 0 && t.rank[generator]! < budget).length;
          rows.push({ generator, period, budget, pattern, found, total: pool.length, recall: pool.length === 0 ? 0 : found / pool.length });
        }
      }
    }
  }
  return rows;
}
