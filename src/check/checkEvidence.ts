/**
 * From a domain check to its evidence package: picks the reference page the match rests on, the
 * settings that shaped the result, and how names were resolved, then writes the package. Shared
 * by the worker (every match) and `check --evidence` / `scan --evidence` (every live check).
 */
import { CRAWLER_DEFAULTS } from '../crawler/crawler.js';
import { HopwatchError } from '../errors.js';
import { writeEvidencePackage, type EvidencePackage, type ScreenshotFunction } from '../evidence/evidencePackage.js';
import { openEvidenceStore } from '../evidence/evidenceStore.js';
import type { EvidenceJudgement, EvidenceReference } from '../evidence/manifest.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { DetailedDomainCheck } from './checkDomain.js';
import { parseDomainInput } from './domainInput.js';
import type { DomainCheckOptions } from './domainCheckOptions.js';

export interface CheckEvidenceOptions {
  /** the evidence directory */
  dir: string;
  index: ReferenceIndex;
  domainCheck: DomainCheckOptions;
  screenshot?: ScreenshotFunction;
  clock?: () => number;
}

/** The reference page behind the strongest piece of evidence for the matched site. */
export function matchedReference(index: ReferenceIndex, judgement: EvidenceJudgement): EvidenceReference | null {
  const pageIds = judgement.evidence.filter((e) => e.reference).sort((a, b) => b.weight - a.weight).map((e) => e.reference!);
  for (const pageId of pageIds) {
    const page = index.referenceSet.references.find((p) => p.id === pageId);
    if (page && (judgement.site === null || page.site === judgement.site)) return { siteId: page.site, pageId: page.id, provenance: page.provenance };
  }
  return null;
}

export type CheckEvidenceWriter = (domain: string, check: DetailedDomainCheck) => Promise<EvidencePackage>;

/** The options that decide what a check fetches and how it judges: what a reviewer must know to repeat it. */
export function evidenceSettings(options: DomainCheckOptions, index: ReferenceIndex): Record<string, unknown> {
  const c = options.crawler;
  return {
    maxProbePaths: options.maxProbePaths,
    allowPrivate: c.allowPrivate ?? false,
    allowAddresses: (c.allowAddresses ?? []).map((a) => `${a.address}:${a.port}`),
    resolve: c.resolve ?? [],
    connectTo: c.connectTo ?? [],
    extraCaCertificates: c.extraCaPem?.length ?? 0,
    userAgent: c.userAgent ?? CRAWLER_DEFAULTS.userAgent,
    totalTimeoutMs: c.totalTimeoutMs ?? CRAWLER_DEFAULTS.totalTimeoutMs,
    maxWireBytes: c.maxWireBytes ?? CRAWLER_DEFAULTS.maxWireBytes,
    maxDecodedBytes: c.maxDecodedBytes ?? CRAWLER_DEFAULTS.maxDecodedBytes,
    maxRedirects: c.maxRedirects ?? CRAWLER_DEFAULTS.maxRedirects,
    fingerprintSchema: index.referenceSet.fingerprintSchema,
    referencePages: index.size,
  };
}

export function resolverName(options: DomainCheckOptions): string {
  return options.resolverName ?? (options.crawler.resolver ? 'injected resolver' : 'system (getaddrinfo)');
}

export function createCheckEvidenceWriter(options: CheckEvidenceOptions): CheckEvidenceWriter {
  const store = openEvidenceStore(options.dir);
  const settings = evidenceSettings(options.domainCheck, options.index);
  const resolver = resolverName(options.domainCheck);
  return async (domain, check) => {
    if (!check.record) throw new HopwatchError('EVIDENCE_INCOMPLETE', `${domain}: nothing was fetched, so there is nothing to archive`);
    const { result } = check;
    return writeEvidencePackage(
      {
        domain,
        judgement: { verdict: result.verdict, site: result.site, relation: result.relation, score: result.score, pageKind: result.pageKind, pageKindReason: result.pageKindReason, evidence: result.evidence },
        record: check.record,
        fingerprint: check.fingerprint,
        reference: matchedReference(options.index, result),
        resolver,
        attempts: result.attempts,
        probes: result.probes,
        settings,
      },
      { store, ...(options.clock ? { clock: options.clock } : {}), ...(options.screenshot ? { screenshot: options.screenshot } : {}) },
    );
  };
}

/** What `check --evidence` and `scan --evidence` report per check: the package's hashes, or why there is none. */
export type EvidenceOutcome = { manifest: string; warc: string } | { error: { code: string; message: string } };

/** The host a check input names (a bare domain or a URL), for the manifest's `domain`. */
export function checkedHost(target: string, check: DetailedDomainCheck): string {
  const parsed = parseDomainInput(target, { allowIpLiteral: true });
  return parsed.ok ? parsed.host : (check.result.domain ?? target);
}

/** Write a live check's package; a failure is reported in the outcome, never thrown: the check itself stands. */
export async function writeCheckEvidence(writer: CheckEvidenceWriter, target: string, check: DetailedDomainCheck): Promise<EvidenceOutcome> {
  try {
    const pkg = await writer(checkedHost(target, check), check);
    return { manifest: pkg.manifest, warc: pkg.warc };
  } catch (err) {
    return { error: { code: (err as { code?: string }).code ?? 'EVIDENCE_WRITE_FAILED', message: err instanceof Error ? err.message : String(err) } };
  }
}
