/** HopwatchError codes to HTTP statuses, and the one error body every route answers with. */
import { isHopwatchError } from '../errors.js';

const STATUS: Record<string, number> = {
  FEED_BAD_QUERY: 400,
  REVIEW_BAD_DECISION: 400,
  FEED_UNAUTHORIZED: 401,
  FEED_FORBIDDEN: 403,
  REVIEW_MATCH_NOT_FOUND: 404,
  REVIEW_UNKNOWN_SITE: 404,
  REVIEW_UNKNOWN_ORDER: 404,
  FEED_NOT_FOUND: 404,
  FEED_EVIDENCE_NOT_FOUND: 404,
  REVIEW_AUDIT_BUSY: 503,
};

/** `error` is the stable code (docs/errors.md), `message` says what to do. */
export interface ErrorBody {
  error: string;
  message: string;
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: code, message };
}

export function httpError(err: unknown): { status: number; body: ErrorBody } {
  if (isHopwatchError(err)) return { status: STATUS[err.code] ?? 500, body: errorBody(err.code, err.message) };
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: errorBody(e.statusCode === 429 ? 'FEED_RATE_LIMITED' : 'FEED_BAD_REQUEST', e.message ?? 'bad request') };
  }
  return { status: 500, body: errorBody('FEED_INTERNAL', 'internal error') };
}
