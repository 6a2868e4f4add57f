/**
 * Who fingerprints and matches a page for a check. The fleet, `scan` and `check` hand pages to a
 * pool of worker threads (pagePool.ts) so a page that makes the parser or a pattern slow cannot
 * block the event loop that fetches, renews job locks and answers metrics; tests and benchmarks
 * may judge in the calling thread with the same interface.
 */
import type { PageFingerprint, PageInput } from '../fingerprint/types.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { CheckResult } from '../match/types.js';
import { checkPage, unjudgedResult, type CheckPageMeta } from './checkPage.js';

export interface JudgedPage {
  result: CheckResult;
  /** null when the page could not be fingerprinted (deadline passed, thread failed) */
  fingerprint: PageFingerprint | null;
}

export interface PageJudge {
  /** never rejects for anything the page does: a page that overruns or kills its thread is a typed result */
  judge(page: PageInput, meta: CheckPageMeta): Promise<JudgedPage>;
  close(): Promise<void>;
}

/** Codes of a page the judge could not finish; listed in docs/errors.md. */
export type JudgeFailureCode = 'FINGERPRINT_TIMEOUT' | 'FINGERPRINT_FAILED' | 'FINGERPRINT_POOL_CLOSED';

export function failedJudgement(meta: CheckPageMeta, code: JudgeFailureCode, message: string): JudgedPage {
  return { result: unjudgedResult(meta.input, meta.domain ?? null, { code, message }, `not fingerprinted: ${code}`), fingerprint: null };
}

/** Judge in the calling thread: no isolation, no deadline. For tests, benchmarks' baselines and one-off tools. */
export function inlinePageJudge(index: ReferenceIndex): PageJudge {
  return {
    judge: async (page, meta) => checkPage(page, index, meta),
    close: async () => undefined,
  };
}
