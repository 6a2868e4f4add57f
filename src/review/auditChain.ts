/**
 * The audit log of review decisions as a hash chain: each entry carries the hash of the entry
 * before it, so editing, deleting or reordering any entry breaks every hash after it. Pure: the
 * store appends and reads, this module decides what an entry's hash is and whether a log holds.
 */
import { createHash } from 'node:crypto';

export type DecisionKind = 'confirm' | 'reject' | 'needs-more';
export type ReviewState = 'unreviewed' | 'confirmed' | 'rejected' | 'needs-more';

export const DECISION_KINDS: readonly DecisionKind[] = ['confirm', 'reject', 'needs-more'];
export const REVIEW_STATES: readonly ReviewState[] = ['unreviewed', 'confirmed', 'rejected', 'needs-more'];

/** What a reviewer decided about one feed entry. */
export interface DecisionInput {
  matchId: string;
  domain: string;
  site: string;
  decision: DecisionKind;
  reason: string;
  /** from the bearer token (`alice`) or the CLI (`cli:alice`), never from a request body */
  reviewer: string;
  /** UTC ISO time */
  at: string;
}

export interface Decision extends DecisionInput {
  /** 1-based position in the log */
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** prevHash of the first entry */
export const GENESIS_HASH = '0'.repeat(64);
export const EMPTY_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** Version tag inside every hashed entry: a future format cannot be confused with this one. */
const CHAIN_FORMAT = 'hopwatch.audit/1';

export function stateOf(decision: DecisionKind): ReviewState {
  return decision === 'confirm' ? 'confirmed' : decision === 'reject' ? 'rejected' : 'needs-more';
}

/** The hash of an entry: SHA-256 over its fields in a fixed order (an array, so key order cannot vary). */
export function decisionHash(d: Omit<Decision, 'hash'>): string {
  const canonical = JSON.stringify([CHAIN_FORMAT, d.seq, d.matchId, d.domain, d.site, d.decision, d.reason, d.reviewer, d.at, d.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The entry that follows `head`. */
export function chainDecision(input: DecisionInput, head: ChainHead): Decision {
  const unsigned = { seq: head.seq + 1, ...input, prevHash: head.hash };
  return { ...unsigned, hash: decisionHash(unsigned) };
}

export interface ChainProblem {
  /** 1-based position in the stored log (not the entry's own seq, which may be forged) */
  position: number;
  problem: string;
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  head: ChainHead;
  problems: ChainProblem[];
}

/** Most problems listed: one broken link makes every later one suspect, a thousand lines help nobody. */
const MAX_PROBLEMS = 100;

/**
 * Checks a log entry by entry (feed it in order with `push`, then `finish`), so a long log is
 * verified in pages without holding it in memory.
 */
export class ChainVerifier {
  private position = 0;
  private prev: ChainHead = EMPTY_HEAD;
  private readonly problems: ChainProblem[] = [];
  private dropped = 0;

  private note(problem: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ position: this.position, problem });
    else this.dropped += 1;
  }

  push(raw: string): void {
    this.position += 1;
    let entry: Decision;
    try {
      entry = JSON.parse(raw) as Decision;
    } catch {
      this.note('not JSON');
      this.prev = { seq: this.prev.seq + 1, hash: 'unparsable' };
      return;
    }
    if (entry.seq !== this.prev.seq + 1) this.note(`seq ${String(entry.seq)} where ${this.prev.seq + 1} was expected (an entry deleted, inserted or moved)`);
    if (entry.prevHash !== this.prev.hash) this.note(`prevHash ${String(entry.prevHash).slice(0, 12)}… does not match the previous entry's hash ${this.prev.hash.slice(0, 12)}… (an entry before it changed, went missing or moved)`);
    const { hash, ...unsigned } = entry;
    const recomputed = decisionHash(unsigned);
    if (recomputed !== hash) this.note(`hash does not match the entry's content (the entry was edited): stored ${String(hash).slice(0, 12)}…, recomputed ${recomputed.slice(0, 12)}…`);
    this.prev = { seq: typeof entry.seq === 'number' ? entry.seq : this.prev.seq + 1, hash: String(hash) };
  }

  /** `stored` is the head the store keeps: a log cut at its end still ends where the head says it must. */
  finish(stored: ChainHead): ChainReport {
    if (stored.seq !== this.position || stored.hash !== this.prev.hash) {
      this.position += 1;
      this.note(`the log ends at entry ${this.position - 1} (hash ${this.prev.hash.slice(0, 12)}…) but its head records entry ${stored.seq} (hash ${stored.hash.slice(0, 12)}…): entries were removed from or added to its end`);
      this.position -= 1;
    }
    if (this.dropped > 0) this.problems.push({ position: this.position, problem: `${this.dropped} more problems not listed` });
    return { ok: this.problems.length === 0, entries: this.position, head: this.prev, problems: this.problems };
  }
}
