/**
 * What discovery knows, for a long-running worker: the domain histories read from files at start
 * plus the histories that grow in Redis (confirmed domains, redirect targets of confirmed
 * mirrors), learned as of today. Learning is pure and takes a fraction of a second on hundreds of
 * lines, but a worker asks on every discovery job, so the result is kept until the Redis history
 * changes or the day does.
 */
import { learnKnowledge, type DiscoveryKnowledge } from '../discovery/knowledge.js';
import type { HistoryEntry } from '../discovery/types.js';

export interface KnowledgeSource {
  /** null when no history is known at all (nothing to learn brands from) */
  current(): Promise<DiscoveryKnowledge | null>;
  /** the history the knowledge was learned from (files first, then Redis) */
  history(): Promise<HistoryEntry[]>;
}

export interface KnowledgeSourceOptions {
  fileHistory: readonly HistoryEntry[];
  /** the history kept in Redis (siteDomains): its version is asked on every call, its lines only when it changed */
  storedHistory?: { version(): Promise<string>; history(): Promise<HistoryEntry[]> };
  clock?: () => number;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function createKnowledgeSource(options: KnowledgeSourceOptions): KnowledgeSource {
  const clock = options.clock ?? Date.now;
  let cached: { key: string; knowledge: DiscoveryKnowledge | null } | undefined;
  let stored: { version: string; entries: HistoryEntry[] } = { version: '', entries: [] };
  const storedEntries = async (): Promise<{ version: string; entries: HistoryEntry[] }> => {
    if (!options.storedHistory) return stored;
    const version = await options.storedHistory.version();
    if (version !== stored.version) stored = { version, entries: await options.storedHistory.history() };
    return stored;
  };
  const history = async (): Promise<HistoryEntry[]> => [...options.fileHistory, ...(await storedEntries()).entries];
  return {
    history,
    async current() {
      const { version, entries: fromRedis } = await storedEntries();
      const today = isoDay(clock());
      const key = `${today}:${version}`;
      if (cached?.key === key) return cached.knowledge;
      const entries = [...options.fileHistory, ...fromRedis];
      const latest = entries.reduce((max, e) => (e.date > max ? e.date : max), '');
      const knowledge = entries.length === 0 ? null : learnKnowledge(entries, { asOf: latest > today ? latest : today });
      cached = { key, knowledge };
      return knowledge;
    },
  };
}
