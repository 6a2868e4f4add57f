import type { DiscoveryKnowledge } from './knowledge.js';
import { RankedCandidates, type CandidateSink, type RankingOptions } from './rankedCandidates.js';
import { affixCandidates } from './sources/affix.js';
import { proxyHopCandidates } from './sources/proxyHop.js';
import { proxySpreadCandidates } from './sources/proxySpread.js';
import { tldSwapCandidates } from './sources/tldSwap.js';
import type { Candidate } from './types.js';

export const DEFAULT_BUDGET = 1000;

/**
 * Every history-driven source into one ranked list, cut at `budget`. Pure and
 * deterministic: the same knowledge gives the same list, in the same order.
 */
export function generateCandidates(knowledge: DiscoveryKnowledge, budget = DEFAULT_BUDGET, options: RankingOptions = {}): Candidate[] {
  return rankCandidates(knowledge, budget, options).result();
}

/** The same ranking, for a caller that takes the candidates one at a time (`ranked()`). */
export function rankCandidates(knowledge: DiscoveryKnowledge, budget = DEFAULT_BUDGET, options: RankingOptions = {}): RankedCandidates {
  const ranked = new RankedCandidates(budget, knowledge.known, options);
  feedSources(knowledge, ranked);
  return ranked;
}

/** Every history-driven source, in order, into a sink (the ranking, or a test's reference ranking). */
export function feedSources(knowledge: DiscoveryKnowledge, sink: CandidateSink): void {
  // Highest-scoring sources first so the bar rises early and the big ones stop sooner.
  proxySpreadCandidates(knowledge, sink);
  proxyHopCandidates(knowledge, sink);
  tldSwapCandidates(knowledge, sink);
  affixCandidates(knowledge, sink);
}
