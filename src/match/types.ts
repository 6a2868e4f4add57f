import type { PageKind } from '../fingerprint/types.js';

/**
 * `mirror`: this page is one of the blocked sites. `likely`: worth a human look.
 * `unrelated`: no link found. `inconclusive`: the page could not be judged (not `ok`).
 */
export type Verdict = 'mirror' | 'likely' | 'unrelated' | 'inconclusive';

/**
 * `mirror`: a copy of the site (covered by a "future domains" clause).
 * `same-operator`: only an operator-level identifier links them: another site, one operator: a lead.
 */
export type Relation = 'mirror' | 'same-operator';

export interface Evidence {
  /** feature family or identifier kind: `structure`, `text`, `resources`, `ga-property`, ... */
  feature: string;
  /** what matched, in words a reviewer can check against the page */
  matched: string;
  /** contribution to the score, 0..1 */
  weight: number;
  /** the reference page it matched (site/page id) */
  reference?: string;
}

/** Another blocked site linked to the page, e.g. through a shared analytics account: a lead, not a verdict. */
export interface RelatedSite {
  site: string;
  relation: Relation;
  score: number;
  evidence: Evidence[];
}

export interface MatchResult {
  verdict: Verdict;
  site: string | null;
  relation: Relation | null;
  score: number;
  evidence: Evidence[];
  related: RelatedSite[];
}

/** What `check` reports for one input, saved page or live domain alike. */
export interface CheckResult extends MatchResult {
  input: string;
  domain: string | null;
  pageKind: PageKind;
  pageKindReason: string;
  /** set when the input could not be read or fetched: a stable error code and message */
  error?: { code: string; message: string };
}
