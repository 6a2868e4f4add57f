import { fingerprintPage } from '../fingerprint/fingerprintPage.js';
import type { PageFingerprint, PageInput } from '../fingerprint/types.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { CheckResult } from '../match/types.js';

export interface CheckPageMeta {
  /** what the user gave: a file path, a domain, a URL */
  input: string;
  /** the host the page was served from, if known */
  domain?: string | null;
}

/** Fingerprint one page and match it: the pure core that `check --html`, `check <domain>` and workers share. */
export function checkPage(page: PageInput, index: ReferenceIndex, meta: CheckPageMeta): { result: CheckResult; fingerprint: PageFingerprint } {
  const fingerprint = fingerprintPage(page);
  const domain = meta.domain ?? null;
  const match = index.match(fingerprint, { domain });
  return {
    fingerprint,
    result: { input: meta.input, domain, pageKind: fingerprint.pageKind, pageKindReason: fingerprint.pageKindReason, ...match },
  };
}

/** The result for an input that could not be judged at all (unreadable file, failed fetch). */
export function unjudgedResult(input: string, domain: string | null, error: { code: string; message: string }, reason = error.message): CheckResult {
  return {
    input,
    domain,
    pageKind: 'error',
    pageKindReason: reason,
    verdict: 'inconclusive',
    site: null,
    relation: null,
    score: 0,
    evidence: [],
    related: [],
    error,
  };
}
