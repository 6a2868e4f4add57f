/**
 * What the views share while the tab is open: who is reviewing, the queue as last loaded (so
 * j / k on a match page walk the same list), and the status line.
 */
import { h, replaceChildren } from './dom.js';
import type { MatchPage, MatchSummary, Me, ReviewState, SiteInfo } from './types.js';

export interface QueueFilter {
  state: string;
  site: string;
  verdict: string;
  since: string;
  until: string;
  q: string;
  sort: string;
}

export const DEFAULT_FILTER: QueueFilter = Object.freeze({ state: 'unreviewed', site: '', verdict: '', since: '', until: '', q: '', sort: '-recorded' });

export interface QueueState {
  filter: QueueFilter;
  items: MatchSummary[];
  /** cursors of the pages before this one (Previous goes back through them) */
  pageCursors: string[];
  cursor: string;
  nextCursor: string | null;
  total: number;
  counts: MatchPage['counts'];
  /** row under the keyboard cursor */
  index: number;
  selected: Set<string>;
}

export const session = {
  me: null as Me | null,
  sites: null as SiteInfo[] | null,
  queue: null as QueueState | null,
};

export function canDecide(): boolean {
  return session.me?.role === 'reviewer' || session.me?.role === 'admin';
}

/** A decision recorded anywhere shows in the loaded queue at once. */
export function noteState(ids: readonly string[], state: ReviewState): void {
  const wanted = new Set(ids);
  for (const item of session.queue?.items ?? []) if (wanted.has(item.id)) item.state = state;
}

let statusTimer: ReturnType<typeof setTimeout> | undefined;

/** The status line under the header: what just happened, or what went wrong. */
export function say(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const line = document.getElementById('status');
  if (!line) return;
  line.className = `status status-${kind}`;
  replaceChildren(line, h('span', {}, message));
  if (statusTimer) clearTimeout(statusTimer);
  if (kind === 'ok') statusTimer = setTimeout(() => replaceChildren(line), 6000);
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
