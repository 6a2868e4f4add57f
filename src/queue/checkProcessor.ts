/**
 * What a worker does with a job: the same `checkDomain` as `hopwatch check`, wrapped in what a
 * fleet needs. Per-host politeness first (a job whose host is leased elsewhere is parked as
 * delayed, which costs no attempt; a redirect to another host waits for that host's lease before
 * the hop); then the check; then the outcome decides the job's fate:
 *
 * - a page was judged (any verdict): recorded, job completes;
 * - a passing fault (timeout, reset, DNS failure, refused): thrown as a plain error, so BullMQ
 *   retries with exponential backoff and jitter; the last attempt is recorded before it fails;
 * - a permanent fault (NXDOMAIN, SSRF refusal, TLS failure ...): recorded as the domain's result
 *   (inconclusive with the error; NXDOMAIN means dead), job completes: no attempt is wasted and a
 *   dead domain is not a failure;
 * - an input that is not a domain: UnrecoverableError (the job itself is wrong);
 * - the worker is shutting down (the signal fired): the job goes back to delayed, unrecorded.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { checkDomainDetailed, type DetailedDomainCheck, type DomainCheckResult } from '../check/checkDomain.js';
import type { CheckEvidenceWriter } from '../check/checkEvidence.js';
import { parseDomainInput } from '../check/domainInput.js';
import type { DomainCheckOptions } from '../check/domainCheckOptions.js';
import type { PageJudge } from '../check/pageJudge.js';
import type { Settings } from '../config/settings.js';
import { CRAWLER_DEFAULTS, type Crawler } from '../crawler/crawler.js';
import { CRAWL_ERROR_ACTIONS, type CrawlErrorCode } from '../crawler/crawlErrors.js';
import { HopwatchError, type ErrorAction } from '../errors.js';
import { isProposableHost } from '../discovery/proposableHost.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { CheckStore, Liveness, RecordOutcome } from '../store/checkStore.js';
import { enqueueDomains, JOB, normaliseDomain, type CheckJobData, type CheckJobResult, type CheckQueue, type CheckQueueData, type RecheckJobData } from './checkQueue.js';
import { takeFanoutBudget } from './fanoutBudget.js';
import type { HostPoliteness } from './hostPoliteness.js';

export interface CheckProcessorDeps {
  index: ReferenceIndex;
  domainCheck: DomainCheckOptions;
  /** one crawler (connection pools) shared by every job of the worker */
  crawler: Crawler;
  store: CheckStore;
  politeness: HostPoliteness;
  /** for new candidates (redirect targets) and re-check fan-out */
  queue: CheckQueue;
  settings: Settings;
  /** the worker's fingerprint thread pool; default: judge in this thread (tests) */
  judge?: PageJudge;
  clock?: () => number;
  /** told about every finished check (metrics, logs) */
  onOutcome?: (outcome: CheckOutcome) => void;
  /** writes an evidence package for every new match (set when HOPWATCH_EVIDENCE_DIR is) */
  evidence?: CheckEvidenceWriter;
  /** warnings (an evidence package that could not be written) */
  log?: (event: Record<string, unknown>) => void;
  /**
   * told about every judged check after it is recorded (discovery triggers: matches, redirects,
   * certificate SANs, links); its failure is logged by the caller's wiring, never fails the job
   */
  onChecked?: (checked: CheckedDomain) => Promise<void>;
}

/** A judged check as discovery sees it. */
export interface CheckedDomain {
  domain: string;
  source: string;
  result: DomainCheckResult;
  newFeedEntry: boolean;
}

export type OutcomeKind = 'judged' | 'retry' | 'gave-up' | 'politeness-delay' | 'shutdown-delay';

export interface CheckOutcome {
  kind: OutcomeKind;
  domain: string;
  jobId: string;
  verdict: string | null;
  site: string | null;
  errorCode: string | null;
  durationMs: number;
  newFeedEntry: boolean;
  /** the feed entry this check made, if any */
  feedId: string | null;
  transition: RecordOutcome['transition'];
  /** whether an evidence package was written for this check's match, or failed to be */
  evidence?: 'written' | 'failed';
}

/** Page kinds that mean nobody runs a site here any more. */
const DEAD_PAGE_KINDS = new Set(['parked']);
const DEAD_ERRORS = new Set(['CRAWL_DNS_NXDOMAIN', 'CRAWL_DNS_NO_ADDRESS']);
/** The caller (our shutdown) stopped the check: not the host's doing. */
const OUR_ABORTS = new Set(['CRAWL_ABORTED', 'CRAWL_CLOSED']);
/** Added to a politeness delay so parked jobs of one host do not all wake in the same ms. */
const POLITENESS_SPREAD_MS = 50;

function errorAction(code: string): ErrorAction {
  return (CRAWL_ERROR_ACTIONS as Record<string, ErrorAction>)[code as CrawlErrorCode] ?? 'give-up';
}

function livenessOf(result: DomainCheckResult): Liveness | null {
  if (result.error && DEAD_ERRORS.has(result.error.code)) return 'dead';
  if (result.fetch.status === null) return null;
  return DEAD_PAGE_KINDS.has(result.pageKind) ? 'dead' : 'alive';
}


function fetchDeadlineMs(options: DomainCheckOptions): number {
  return options.crawler.totalTimeoutMs ?? CRAWLER_DEFAULTS.totalTimeoutMs;
}

/** Longest a check can take: https and http home pages plus the probes, each within the fetch deadline. */
function checkDeadlineMs(options: DomainCheckOptions): number {
  return (2 + options.maxProbePaths) * fetchDeadlineMs(options);
}

/**
 * The fetch stopped at a redirect it could not follow (a timeout or reset on the next hop): the
 * page the domain leads to was never seen, so there is nothing to judge, only to retry.
 */
function endedOnRedirect(fetch: DomainCheckResult['fetch']): boolean {
  const last = fetch.redirects[fetch.redirects.length - 1];
  return last !== undefined && last.url === fetch.finalUrl;
}

/** A redirect target stayed leased by other checks longer than this check may wait for it. */
class LeaseWaitGaveUp extends Error {
  constructor(readonly host: string) {
    super(`politeness: gave up waiting for the lease of redirect target ${host}`);
  }
}

export function createCheckProcessor(deps: CheckProcessorDeps) {
  const clock = deps.clock ?? Date.now;

  /**
   * The evidence package of a new match, before it is recorded (the feed entry carries the
   * manifest's hash, and stream entries cannot be changed later). A failure to write it never
   * loses the check: it is logged and counted, and the match is recorded without `manifest`.
   */
  async function writeEvidence(domain: string, check: DetailedDomainCheck): Promise<{ manifest: string | null; status?: 'written' | 'failed' }> {
    const { result } = check;
    if (!deps.evidence || (result.verdict !== 'mirror' && result.verdict !== 'likely')) return { manifest: null };
    // a re-check of a page already in the feed makes no new entry, so no new package either
    if (await deps.store.inFeed(domain, result.fetch.sha256)) return { manifest: null };
    try {
      return { manifest: (await deps.evidence(domain, check)).manifest, status: 'written' };
    } catch (err) {
      deps.log?.({ level: 'warn', msg: 'evidence package not written', domain, error: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code ?? null });
      return { manifest: null, status: 'failed' };
    }
  }

  async function record(job: Job<CheckQueueData>, data: CheckJobData, result: DomainCheckResult, manifest: string | null = null): Promise<RecordOutcome> {
    const outcome = await deps.store.recordCheck({
      domain: data.domain,
      jobKey: `${job.queueName}:${job.id}`,
      checkedAt: clock(),
      verdict: result.verdict,
      site: result.site,
      relation: result.relation,
      score: result.score,
      pageKind: result.pageKind,
      sha256: result.fetch.sha256,
      status: result.fetch.status,
      finalUrl: result.fetch.finalUrl,
      errorCode: result.error?.code ?? null,
      liveness: livenessOf(result),
      source: data.source,
      reason: data.reason ?? '',
      evidenceJson: JSON.stringify({ evidence: result.evidence, fetch: result.fetch, probes: result.probes }),
      manifest,
    });
    if (outcome.feedId) await deps.store.trimFeed(deps.settings.reviewedFeedKept);
    return outcome;
  }

  async function check(job: Job<CheckQueueData>, data: CheckJobData, token: string | undefined, signal: AbortSignal | undefined): Promise<CheckJobResult> {
    const started = clock();
    const jobId = String(job.id);
    const report = (kind: OutcomeKind, extra: Partial<CheckOutcome> = {}): void =>
      deps.onOutcome?.({ kind, domain: data.domain, jobId, verdict: null, site: null, errorCode: null, durationMs: clock() - started, newFeedEntry: false, feedId: null, transition: null, ...extra });

    // jobs come from any producer (an older enqueue, a script): validated like every CLI input
    const parsed = parseDomainInput(String(data.domain ?? ''));
    if (!parsed.ok) throw new UnrecoverableError(`${parsed.code}: "${parsed.display}" is not a domain: ${parsed.reason}`);
    const domain = parsed.host;

    // one token per run of the job: its hops share its lease, its own retry does not
    const holder = `${jobId}:${randomUUID()}`;
    // hold each contacted host for the whole check, then for the delay after its end (see hostPoliteness.ts)
    const holdMs = deps.politeness.delayMs + checkDeadlineMs(deps.domainCheck);
    const contacted = new Set<string>([domain]);
    // a redirect target's lease is waited for apart from the fetch deadline, at most this long
    const leaseWaitMs = deps.politeness.delayMs + fetchDeadlineMs(deps.domainCheck);
    const parkFor = (retryInMs: number): number =>
      // a lease held by a running check shows its worst-case TTL; it is shortened to the delay when
      // that check ends, so look again after at most one delay
      clock() + Math.min(retryInMs, Math.max(deps.politeness.delayMs, 1)) + Math.floor(Math.random() * POLITENESS_SPREAD_MS);
    const lease = await deps.politeness.take(domain, holder, holdMs);
    if (!lease.granted) {
      report('politeness-delay');
      await job.moveToDelayed(parkFor(lease.retryInMs), token);
      throw new DelayedError(`politeness: ${domain} was contacted less than ${deps.politeness.delayMs} ms ago`);
    }

    // the shared crawler, with the host lease taken before each redirect hop to another host
    const politeCrawler: Crawler = {
      fetch: (url, options = {}) =>
        deps.crawler.fetch(url, {
          ...options,
          beforeHop: async (hopUrl, hop) => {
            const host = normaliseDomain(hopUrl.hostname);
            if (host && host !== domain) {
              const granted = await deps.politeness.waitForLease(host, holder, hop.signal, { spreadMs: POLITENESS_SPREAD_MS, holdMs, maxWaitMs: leaseWaitMs });
              if (!granted) throw new LeaseWaitGaveUp(host);
              contacted.add(host);
            }
          },
        }),
      // the worker closes the shared crawler, not a check
      close: async () => undefined,
    };
    let detailed: DetailedDomainCheck;
    try {
      detailed = await checkDomainDetailed(domain, deps.index, { ...deps.domainCheck, sharedCrawler: politeCrawler, ...(deps.judge ? { judge: deps.judge } : {}) }, signal);
    } catch (err) {
      if (!(err instanceof LeaseWaitGaveUp)) throw err;
      // not the domain's fault and nothing learned: run the whole check again later, no attempt used
      report('politeness-delay');
      await job.moveToDelayed(parkFor(deps.politeness.delayMs), token);
      throw new DelayedError(err.message);
    } finally {
      await Promise.all([...contacted].map((host) => deps.politeness.release(host, holder)));
    }
    const result = detailed.result;
    const code = result.error?.code ?? null;

    if (signal?.aborted || (code !== null && OUR_ABORTS.has(code))) {
      report('shutdown-delay');
      await job.moveToDelayed(clock(), token);
      throw new DelayedError('worker shutting down: check put back');
    }

    const noResponse = result.fetch.status === null;
    const retryable = code !== null && errorAction(code) === 'retry';
    if (retryable && (noResponse || endedOnRedirect(result.fetch))) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!lastAttempt) {
        report('retry', { errorCode: code });
        throw new HopwatchError(code, result.error?.message ?? code, { action: 'retry' });
      }
      const recorded = await record(job, data, result);
      report('gave-up', { errorCode: code, verdict: result.verdict, transition: recorded.transition });
      // the attempt count is the job's own (status shows it once)
      throw new UnrecoverableError(`${code}: ${result.error?.message ?? ''}`);
    }
    if (noResponse && code !== null) {
      // NXDOMAIN, an SSRF refusal, a TLS failure ...: a result about the domain (often: it is
      // dead), recorded as checked; the job completes, since nothing failed that a retry or an
      // operator could fix (counting these as failures buried the real ones in `status`)
      const recorded = await record(job, data, result);
      report('gave-up', { errorCode: code, verdict: result.verdict, site: result.site, transition: recorded.transition });
      return { domain, verdict: result.verdict, site: result.site, errorCode: code, feedId: null };
    }

    const evidence = await writeEvidence(domain, detailed);
    const recorded = await record(job, data, result, evidence.manifest);
    if (result.redirectHosts.length > 0) {
      // a redirect to an address or a local-only name is evidence, never a candidate; and bounded
      // fan-out: a hostile redirect chain must not fill the queue with hosts it picked
      const fanout = await takeFanoutBudget(deps.store.redisClient, deps.store.keys, result.site, result.redirectHosts.filter(isProposableHost), deps.settings, clock());
      if (fanout.granted.length > 0) await enqueueDomains(deps.queue, deps.store, deps.settings, fanout.granted, 'redirect', clock);
    }
    if (deps.onChecked) await deps.onChecked({ domain, source: data.source, result, newFeedEntry: recorded.feedId !== null }).catch(() => undefined);
    report('judged', { verdict: result.verdict, site: result.site, errorCode: code, newFeedEntry: recorded.feedId !== null, feedId: recorded.feedId, transition: recorded.transition, ...(evidence.status ? { evidence: evidence.status } : {}) });
    return { domain, verdict: result.verdict, site: result.site, errorCode: code, feedId: recorded.feedId };
  }

  /** Fan a re-check out into check jobs (deduped like any other enqueue). */
  async function recheck(data: RecheckJobData): Promise<number> {
    const domains: string[] = [];
    if (data.kind === 'mirrors') {
      for await (const domain of deps.store.mirrorDomains()) domains.push(domain);
    } else {
      for (const site of deps.index.referenceSet.sites) for (const d of site.domains) domains.push(d.domain);
    }
    const outcome = await enqueueDomains(deps.queue, deps.store, deps.settings, domains, data.kind === 'mirrors' ? 'recheck-mirror' : 'recheck-known', clock);
    return outcome.distinct;
  }

  // three parameters: BullMQ passes the AbortSignal only to processors that declare it
  return async function processCheckJob(job: Job<CheckQueueData>, token?: string, signal?: AbortSignal): Promise<CheckJobResult | number> {
    if (job.name === JOB.recheck) return recheck(job.data as RecheckJobData);
    if (job.name === JOB.check) return check(job, job.data as CheckJobData, token, signal);
    throw new UnrecoverableError(`unknown job name "${job.name}"`);
  };
}
