import { NEGATIVE_CLASSES, type Candidate, type NegativeClass } from './corpusProtocol.js';

/**
 * Scoring of one detector's answers on the candidates. A detector names at most one site per
 * candidate (or none). A claim is any named site; it is right only on a positive of that site.
 *
 * - precision = right claims / claims; recall = right claims / positives; F1 their harmonic mean.
 * - "all": every positive counts. "same type": only positives whose page type is among their
 *   site's reference page types count as positives; claims on the other positives are left out
 *   of both sides (they are neither required nor penalised), claims on negatives still count.
 * - false matches: negatives that got a site, split by negative class. Naming the wrong site on a
 *   positive is a false claim too, counted as `wrongSite`.
 */

export interface PrecisionRecall {
  positives: number;
  claims: number;
  truePositives: number;
  /** null when the detector made no claim at all (precision is undefined, F1 is 0) */
  precision: number | null;
  recall: number;
  f1: number;
}

export interface FalseMatches {
  count: number;
  of: number;
  /** `local_path → named site` of each false match */
  pages: string[];
}

export interface DetectorScores {
  all: PrecisionRecall;
  sameType: PrecisionRecall;
  falseMatches: Record<NegativeClass, FalseMatches> & { total: FalseMatches };
  wrongSite: FalseMatches;
}

export function precisionRecall(truePositives: number, claims: number, positives: number): PrecisionRecall {
  const precision = claims === 0 ? null : truePositives / claims;
  const recall = positives === 0 ? 0 : truePositives / positives;
  const f1 = precision === null || precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { positives, claims, truePositives, precision, recall, f1 };
}

/** `named[i]` is the site named for `candidates[i]`, or null. */
export function scoreDetector(candidates: readonly Candidate[], named: ReadonlyArray<string | null>): DetectorScores {
  if (named.length !== candidates.length) throw new Error(`scoreDetector: ${named.length} answers for ${candidates.length} candidates`);
  let positives = 0, claims = 0, tp = 0;
  let stPositives = 0, stClaims = 0, stTp = 0;
  const emptyFalse = (): FalseMatches => ({ count: 0, of: 0, pages: [] });
  const falseMatches = Object.fromEntries([...NEGATIVE_CLASSES, 'total'].map((c) => [c, emptyFalse()])) as DetectorScores['falseMatches'];
  const wrongSite = emptyFalse();

  candidates.forEach((candidate, i) => {
    const site = named[i] ?? null;
    const { truth } = candidate;
    if (site !== null) claims++;
    if (truth.kind === 'positive') {
      positives++;
      const right = site === truth.site;
      if (right) tp++;
      wrongSite.of++;
      if (site !== null && !right) {
        wrongSite.count++;
        wrongSite.pages.push(`${candidate.page.localPath} → ${site}`);
      }
      if (truth.sameType) {
        stPositives++;
        if (site !== null) stClaims++;
        if (right) stTp++;
      }
    } else {
      if (site !== null) stClaims++;
      for (const bucket of [falseMatches[truth.negativeClass], falseMatches.total]) {
        bucket.of++;
        if (site !== null) {
          bucket.count++;
          bucket.pages.push(`${candidate.page.localPath} → ${site}`);
        }
      }
    }
  });

  return {
    all: precisionRecall(tp, claims, positives),
    sameType: precisionRecall(stTp, stClaims, stPositives),
    falseMatches,
    wrongSite,
  };
}

/** A distance-based detector's raw answer: the nearest reference, or null when it cannot hash the page. */
export interface NearestReference {
  site: string;
  reference: string;
  distance: number;
}

export interface ThresholdPoint {
  threshold: number;
  scores: DetectorScores;
}

/** Name the nearest reference's site when it is within `threshold` (inclusive). */
export function namedAtThreshold(nearest: ReadonlyArray<NearestReference | null>, threshold: number): Array<string | null> {
  return nearest.map((n) => (n !== null && n.distance <= threshold ? n.site : null));
}

/**
 * Every threshold that changes the outcome (each distinct nearest distance), scored. The "oracle"
 * threshold is the one with the best F1 over all positives on this very data, the smallest on a
 * tie: favourable to the baseline, since a real deployment cannot tune on its test set.
 */
export function sweepThresholds(candidates: readonly Candidate[], nearest: ReadonlyArray<NearestReference | null>): { points: ThresholdPoint[]; oracle: ThresholdPoint; bestSameTypeF1: ThresholdPoint } {
  const distances = [...new Set(nearest.filter((n): n is NearestReference => n !== null).map((n) => n.distance))].sort((a, b) => a - b);
  const thresholds = [-1, ...distances];
  const points = thresholds.map((threshold) => ({ threshold, scores: scoreDetector(candidates, namedAtThreshold(nearest, threshold)) }));
  const best = (key: 'all' | 'sameType'): ThresholdPoint =>
    points.reduce((a, b) => (b.scores[key].f1 > a.scores[key].f1 ? b : a), points[0]!);
  return { points, oracle: best('all'), bestSameTypeF1: best('sameType') };
}
