/**
 * The vocabulary of discovery: what the history says, and what a source proposes.
 * Every source yields `Candidate`s with a prior `score` on one scale (roughly: the
 * expected chance that this name goes live for that site soon), so candidates from
 * different sources can be ranked in one list and cut at one budget.
 */

/** One line of a domain history: `DATE DOMAIN [SITE]`. */
export interface HistoryEntry {
  /** ISO calendar date, `YYYY-MM-DD` (the day the domain was first listed). */
  date: string;
  /** The host as listed, lower-cased, without a trailing dot. */
  domain: string;
  /** The blocked site (or proxy service) the history line belongs to. */
  site: string;
  /** `file:line`, for error messages and provenance. */
  origin?: string;
}

export type CandidateSource =
  /** a proxy base moved to a new TLD: the base and the brands it carries there */
  | 'proxy-hop'
  /** a brand seen on a base that other brands do not use yet */
  | 'proxy-spread'
  /** a site's own name on another TLD */
  | 'tld-swap'
  /** a site's own name with an affix seen in the history (digit, `x`, `the`, hyphen...) */
  | 'affix'
  /** a name in a Certificate Transparency log */
  | 'ct'
  /** found while crawling: redirects, links, notices, certificate SANs */
  | 'harvest';

export interface Candidate {
  domain: string;
  /** The blocked site the candidate would belong to (`proxy:LABEL` for a bare proxy base with no history of its own). */
  site: string;
  source: CandidateSource;
  /** One line a reviewer can read: why this name. */
  reason: string;
  /** Prior score in (0, 1]; higher first. Comparable across sources. */
  score: number;
}
