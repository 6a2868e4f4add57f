/**
 * The review API as the page sees it (docs: the review contract, routes under /api). Written out
 * here rather than imported from the server: the page is compiled for the browser on its own.
 * test/feed/pageTypes.test.ts checks, in `npm run typecheck`, that what the server sends fits these.
 */
export type Role = 'viewer' | 'reviewer' | 'admin';
export type ReviewState = 'unreviewed' | 'confirmed' | 'rejected' | 'needs-more';
export type DecisionKind = 'confirm' | 'reject' | 'needs-more';

export interface Me {
  reviewer: string;
  role: Role;
}

export interface MatchSummary {
  id: string;
  domain: string;
  site: string | null;
  verdict: string;
  relation: string | null;
  score: number;
  pageKind: string | null;
  title: string | null;
  recordedAt: string;
  source: string | null;
  state: ReviewState;
  manifest: string | null;
  identifiers: string[];
}

export interface MatchPage {
  items: MatchSummary[];
  nextCursor: string | null;
  total: number;
  counts: { bySite: Record<string, number>; byVerdict: Record<string, number>; byState: Record<string, number> };
}

export interface EvidenceItem {
  feature: string;
  matched: string;
  weight: number;
  reference?: string;
}

export interface Decision {
  seq: number;
  matchId: string;
  domain: string;
  site: string | null;
  decision: DecisionKind;
  reason: string;
  reviewer: string;
  at: string;
  prevHash: string;
  hash: string;
}

export interface MatchDetail extends MatchSummary {
  evidence: EvidenceItem[];
  fetch: Record<string, unknown> | null;
  manifestJson: Record<string, unknown> | null;
  decisions: Decision[];
  guard: { excluded: Array<{ value: string; reason: string }> };
  history: { firstSeenAt: string | number | null; lastCheckedAt: string | number | null; checks: number; liveness: string | null; redirects: string[] } | null;
  reference: { siteId: string; pageId: string; provenance: unknown; title: string | null; identifiers: string[] } | null;
  candidateView: string | null;
  referenceView: string | null;
  screenshot: string | null;
}

export interface SiteInfo {
  id: string;
  name: string;
  order: { reference: string; court: string; date: string } | null;
  knownDomains: Array<{ domain: string; since: string | null }>;
  confirmedDomains: Array<{ domain: string; confirmedAt: string }>;
  counts: { unreviewed: number; confirmed: number; rejected: number };
}

export const DECISION_LABEL: Record<DecisionKind, string> = { confirm: 'Confirm', reject: 'Reject', 'needs-more': 'Needs more' };
export const STATE_OF_DECISION: Record<DecisionKind, ReviewState> = { confirm: 'confirmed', reject: 'rejected', 'needs-more': 'needs-more' };
