/**
 * The candidate ranking as it was before issue 13 (a map cut back at twice the budget, a
 * closure per pending candidate), kept as the reference the equivalence test compares the
 * bounded heap against. Not used by the product.
 */
import type { CandidateSink } from '../../src/discovery/rankedCandidates.js';
import type { ReasonFormat, ReasonParts } from '../../src/discovery/reasonFormat.js';
import type { Candidate, CandidateSource } from '../../src/discovery/types.js';

interface Pending {
  domain: string;
  site: string;
  source: CandidateSource;
  raw: number;
  reason: () => string;
}

const labelPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function isValidName(domain: string): boolean {
  if (domain.length > 253) return false;
  return domain.split('.').every((label) => labelPattern.test(label) || (label.startsWith('xn--') && label.length <= 63));
}

/** Highest score first, then by name, so equal scores never depend on source order. */
function compare(a: Pending, b: Pending): number {
  return b.raw - a.raw || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0);
}

/**
 * The best `budget` candidates, one per domain (the best-scoring reason wins), never a
 * known domain. Memory stays O(budget): when twice the budget is held, the list is cut
 * back and its lowest score becomes the bar new candidates must reach.
 */
export class RankedCandidatesV0 implements CandidateSink {
  private readonly held = new Map<string, Pending>();
  private bar = 0;

  constructor(
    private readonly budget: number,
    private readonly known: ReadonlySet<string>,
  ) {}

  wants(score: number): boolean {
    return score > 0 && score >= this.bar;
  }

  add<P extends ReasonParts>(domain: string, site: string, source: CandidateSource, raw: number, format: ReasonFormat<P>, ...parts: P): void {
    if (!this.wants(raw) || this.known.has(domain)) return;
    const current = this.held.get(domain);
    if (current) {
      if (current.raw >= raw) return;
    } else if (!isValidName(domain)) {
      return;
    }
    // the closure it held before the reasons became formats and parts
    this.held.set(domain, { domain, site, source, raw, reason: () => format(...parts) });
    if (this.held.size >= 2 * this.budget + 1024) this.cut();
  }

  private cut(): Pending[] {
    const kept = [...this.held.values()].sort(compare).slice(0, this.budget);
    this.held.clear();
    for (const p of kept) this.held.set(p.domain, p);
    if (kept.length === this.budget) this.bar = kept.at(-1)!.raw;
    return kept;
  }

  /** The final ranking. Scores are squashed into (0, 1] (1 − e^−raw keeps the order). */
  result(): Candidate[] {
    return this.cut().map((p) => ({
      domain: p.domain,
      site: p.site,
      source: p.source,
      reason: p.reason(),
      score: Number((1 - Math.exp(-p.raw)).toPrecision(6)) || Number.MIN_VALUE,
    }));
  }
}
