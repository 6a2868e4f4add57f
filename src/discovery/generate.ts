import type { DiscoveryKnowledge } from './knowledge.js';
import { RankedCandidates } from './rankedCandidates.js';
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
export function generateCandidates(knowledge: DiscoveryKnowledge, budget = DEFAULT_BUDGET): Candidate[] {
  const ranked = new RankedCandidates(budget, knowledge.known);
  // Highest-scoring sources first so the bar rises early and the big ones stop sooner.
  proxySpreadCandidates(knowledge, ranked);
  proxyHopCandidates(knowledge, ranked);
  tldSwapCandidates(knowledge, ranked);
  affixCandidates(knowledge, ranked);
  return ranked.result();
}
