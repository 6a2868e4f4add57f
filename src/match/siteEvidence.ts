import type { Evidence, MatchResult, Relation, RelatedSite, Verdict } from './types.js';
import { LIKELY_SCORE, LONE_IDENTIFIER_FOR_LIKELY, MIRROR_SCORE, NEAR_DUPLICATE_STRENGTH, OPERATOR_WEIGHT, OWN_DOMAIN_ALONE_WEIGHT, STRONG_IDENTIFIER, SUPPORT_ONLY_CAP, SUPPORTING_KINDS, similarityStrength } from './evidenceWeights.js';

/**
 * Everything found linking one candidate page to one blocked site, and the pure decision over it.
 * Kept apart from the index so the rules a reviewer must be able to explain live in one place.
 */
export interface SiteEvidence {
  site: string;
  /** best combined simhash distance to any of the site's reference pages, and which page */
  bestDistance: number | null;
  bestDistances: { structure: number; text: number; resources: number } | null;
  bestReference: string | null;
  /** site-level links (identifiers, brand in the domain), one per distinct value */
  links: Evidence[];
  /** operator-level links: the same account behind another site */
  operatorLinks: Evidence[];
}

export interface SiteScore {
  site: string;
  score: number;
  verdict: Verdict;
  relation: Relation | null;
  evidence: Evidence[];
}

const kindOf = (l: Evidence): string => l.feature.split(':')[0]!;

function noisyOr(weights: number[]): number {
  let miss = 1;
  for (const w of weights) miss *= 1 - w;
  return 1 - miss;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export function scoreSite(e: SiteEvidence): SiteScore {
  const sim = e.bestDistance === null ? 0 : similarityStrength(e.bestDistance);
  // Links to a site's domains count as a claim only when the page also calls itself that site
  // (`brand:<slot>`: one of its own name slots is one of the site's names).
  const namesItself = e.links.some((l) => l.feature.startsWith('brand:'));
  const links = namesItself ? e.links : e.links.map((l) => (kindOf(l) === 'own-domain' ? { ...l, weight: OWN_DOMAIN_ALONE_WEIGHT } : l));
  // several values of one kind (two donation addresses, two brand spellings) are one piece of proof
  const strongestPerKind = new Map<string, number>();
  for (const l of links) {
    const kind = kindOf(l);
    strongestPerKind.set(kind, Math.max(strongestPerKind.get(kind) ?? 0, l.weight));
  }
  const decisive = [...strongestPerKind.keys()].some((kind) => !SUPPORTING_KINDS.has(kind));
  // the page's name and its own-domain links, agreeing: the one pair of claims that reaches `likely`
  const selfDescribed = namesItself && strongestPerKind.has('own-domain');
  const strengthOf = (kinds: Map<string, number>): number => {
    const s = noisyOr([...kinds.values()]);
    return !decisive && sim === 0 && !selfDescribed ? Math.min(s, SUPPORT_ONLY_CAP) : s;
  };
  const idStrength = strengthOf(strongestPerKind);
  const score = noisyOr([sim, idStrength]);
  // own-domain links never push a page to `mirror`: the mirror decision is taken without them
  const withoutOwnDomain = new Map([...strongestPerKind].filter(([kind]) => kind !== 'own-domain'));
  const mirrorIdStrength = Math.min(noisyOr([...withoutOwnDomain.values()]), decisive || sim > 0 ? 1 : SUPPORT_ONLY_CAP);
  const mirrorScore = noisyOr([sim, mirrorIdStrength]);
  const strongLinks = [...strongestPerKind.entries()].filter(([kind, w]) => w >= STRONG_IDENTIFIER && !SUPPORTING_KINDS.has(kind)).length;

  const evidence: Evidence[] = [];
  if (e.bestDistance !== null && e.bestDistances && sim > 0) {
    const d = e.bestDistances;
    evidence.push({
      feature: 'page-similarity',
      matched: `simhash distance ${e.bestDistance}/192 (structure ${d.structure}, text ${d.text}, resources ${d.resources} of 64 bits)`,
      weight: round(sim),
      ...(e.bestReference ? { reference: e.bestReference } : {}),
    });
  }
  evidence.push(...links);

  // A mirror needs two independent kinds of proof, or a near-duplicate page: one shared ID alone
  // can be a moved analytics property or a copied snippet, and a shared template alone a clone.
  const corroborated = strongLinks >= 2 || sim >= NEAR_DUPLICATE_STRENGTH || (mirrorIdStrength >= STRONG_IDENTIFIER && sim > 0);
  // operator-level links did not count towards the score, but a reviewer wants to see them
  const shown = [...evidence, ...e.operatorLinks.map((l) => ({ ...l, weight: 0 }))];
  if (mirrorScore >= MIRROR_SCORE && corroborated) return { site: e.site, score: round(score), verdict: 'mirror', relation: 'mirror', evidence: sortEvidence(shown) };
  const decisiveWeights = [...strongestPerKind.entries()].filter(([kind]) => !SUPPORTING_KINDS.has(kind)).map(([, w]) => w);
  const worthALook = sim > 0 || selfDescribed || decisiveWeights.length >= 2 || Math.max(0, ...decisiveWeights) >= LONE_IDENTIFIER_FOR_LIKELY;
  if (score >= LIKELY_SCORE && worthALook) return { site: e.site, score: round(score), verdict: 'likely', relation: 'mirror', evidence: sortEvidence(shown) };
  if (e.operatorLinks.length > 0) {
    const opScore = noisyOr([score, ...e.operatorLinks.map(() => OPERATOR_WEIGHT)]);
    return { site: e.site, score: round(Math.min(opScore, MIRROR_SCORE - 0.01)), verdict: 'likely', relation: 'same-operator', evidence: sortEvidence([...evidence, ...e.operatorLinks]) };
  }
  return { site: e.site, score: round(score), verdict: 'unrelated', relation: null, evidence: sortEvidence(evidence) };
}

function sortEvidence(ev: Evidence[]): Evidence[] {
  return [...ev].sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature));
}

const VERDICT_RANK: Record<Verdict, number> = { mirror: 3, likely: 2, unrelated: 1, inconclusive: 0 };

/** The best site for the page; the other sites' operator links become leads. */
export function decide(scores: SiteScore[]): MatchResult {
  const ranked = [...scores].sort(
    (a, b) => (a.relation === 'mirror' ? 1 : 0) - (b.relation === 'mirror' ? 1 : 0) || VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || a.score - b.score || (a.site < b.site ? 1 : -1),
  ).reverse();
  const best = ranked[0];
  const related = ranked
    .slice(1)
    .filter((s) => s.verdict !== 'unrelated')
    .map((s): RelatedSite => ({ site: s.site, relation: s.relation ?? 'same-operator', score: s.score, evidence: s.evidence }));
  if (!best || best.verdict === 'unrelated') {
    return { verdict: 'unrelated', site: null, relation: null, score: best ? best.score : 0, evidence: best ? best.evidence.slice(0, 5) : [], related };
  }
  return { verdict: best.verdict, site: best.site, relation: best.relation, score: best.score, evidence: best.evidence, related };
}
