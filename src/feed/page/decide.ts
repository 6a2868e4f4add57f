/** Recording decisions (one match or many) and telling the reviewer what happened. */
import { api, ApiError } from './api.js';
import { askDecision } from './decisionDialog.js';
import { errorText, noteState, say } from './session.js';
import { STATE_OF_DECISION, type DecisionKind, type MatchSummary } from './types.js';

/** The bulk route takes at most this many ids per call (the contract's cap). */
export const BULK_MAX = 1000;

function failure(err: unknown): string {
  if (err instanceof ApiError && err.status === 403) return 'Your role may not record decisions (viewer).';
  return errorText(err);
}

/** Ask for the reason, record, and report; true when the decision was recorded. */
export async function decideOne(item: Pick<MatchSummary, 'id' | 'domain'>, kind: DecisionKind): Promise<boolean> {
  const input = await askDecision(item.domain, kind);
  if (!input) return false;
  try {
    await api.decide(item.id, input.decision, input.reason);
    noteState([item.id], STATE_OF_DECISION[input.decision]);
    say(`${item.domain}: ${input.decision} recorded.`);
    return true;
  } catch (err) {
    say(`${item.domain}: not recorded: ${failure(err)}`, 'error');
    return false;
  }
}

export async function decideMany(ids: string[], kind: DecisionKind, subject: string): Promise<boolean> {
  if (ids.length > BULK_MAX) {
    say(`At most ${BULK_MAX} matches can be decided at once; ${ids.length} are selected.`, 'error');
    return false;
  }
  const input = await askDecision(subject, kind, 'Each match gets its own record in the audit log, all with this reason.');
  if (!input) return false;
  try {
    const { decisions } = await api.decideMany(ids, input.decision, input.reason);
    noteState(ids, STATE_OF_DECISION[input.decision]);
    say(`${decisions.length} decisions recorded (${input.decision}).`);
    return true;
  } catch (err) {
    say(`Not recorded: ${failure(err)}`, 'error');
    return false;
  }
}

/** Every match of a filter, page by page, up to the bulk cap. */
export async function fetchAllIds(query: Record<string, string>): Promise<MatchSummary[]> {
  const all: MatchSummary[] = [];
  let cursor = '';
  do {
    const page = await api.matches({ ...query, cursor, limit: 200 });
    all.push(...page.items);
    cursor = page.nextCursor ?? '';
  } while (cursor && all.length < BULK_MAX);
  return all.slice(0, BULK_MAX);
}
