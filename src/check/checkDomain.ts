/**
 * `check <domain|url>`: fetch a live candidate safely, fingerprint what it serves and match it.
 *
 * https first, then http (many pirate mirrors still answer only on http); when the home page is
 * not decisive, the paths the reference pages were captured at are probed on the host the fetch
 * ended on. Anything the network does (NXDOMAIN, refusal, SSRF refusal, a hostile answer) is a
 * result with `inconclusive` and the error, never an exception.
 */
import { createCrawler, type Crawler } from '../crawler/crawler.js';
import type { CrawlErrorCode } from '../crawler/crawlErrors.js';
import type { FetchRecord, RedirectHop, TlsDetails } from '../crawler/types.js';
import type { PageFingerprint, PageInput } from '../fingerprint/types.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { CheckResult, Verdict } from '../match/types.js';
import { unjudgedResult } from './checkPage.js';
import { checkUrls, parseDomainInput } from './domainInput.js';
import type { DomainCheckOptions } from './domainCheckOptions.js';
import { inlinePageJudge, type PageJudge } from './pageJudge.js';
import { isProposableHost } from '../discovery/proposableHost.js';

/** Redirect hosts reported per check; the crawler follows at most 50 redirects, a real move a few. */
const MAX_REDIRECT_HOSTS = 20;

/** How the page that decided the verdict was fetched: what a reviewer needs to trust it. */
export interface FetchSummary {
  requestedUrl: string;
  finalUrl: string;
  redirects: RedirectHop[];
  status: number | null;
  resolvedAddresses: string[];
  connectedAddress: string | null;
  tls: Pick<TlsDetails, 'authorized' | 'authorizationError' | 'subject' | 'subjectAltNames' | 'issuer' | 'validFrom' | 'validTo' | 'fingerprint256'> | null;
  contentType: string | null;
  charset: string;
  bytes: number;
  bodyTruncated: boolean;
  sha256: string;
  fetchedAt: string;
  timings: FetchRecord['timings'];
  error: { code: string; message: string } | null;
}

export interface ProbeSummary {
  url: string;
  status: number | null;
  verdict: Verdict;
  score: number;
  error: string | null;
}

export interface DomainCheckResult extends CheckResult {
  /** the fetch whose page decided the result (a probe's, if a probe decided) */
  fetch: FetchSummary;
  /** earlier attempts that got no response (https before falling back to http) */
  attempts: Array<{ url: string; error: string }>;
  /** reference paths probed on the host, in order */
  probes: ProbeSummary[];
  /** hosts other than the input's seen in the redirect chain: candidates for discovery */
  redirectHosts: string[];
  /** hosts the deciding page links to (capped): discovery looks for brands among them */
  linkedHosts: string[];
}

/** Linked hosts handed on per check: a hostile page may link to a million names. */
const MAX_LINKED_HOSTS = 1000;

/** Errors after which the same host on the other scheme cannot answer differently. */
const NO_SCHEME_FALLBACK = new Set<CrawlErrorCode>(['CRAWL_DNS_NXDOMAIN', 'CRAWL_DNS_NO_ADDRESS', 'CRAWL_SSRF_BLOCKED', 'CRAWL_ABORTED', 'CRAWL_CLOSED', 'CRAWL_INVALID_URL']);
/** Errors that leave a (partial) page worth fingerprinting: the response itself arrived. */
const BODY_ERRORS = new Set<CrawlErrorCode>(['CRAWL_BODY_TOO_LARGE', 'CRAWL_DECOMPRESSED_TOO_LARGE', 'CRAWL_TIMEOUT', 'CRAWL_CONNECTION_RESET', 'CRAWL_DECOMPRESSION_FAILED']);
/** Page kinds a probe cannot change: the whole host answers this way. */
const HOST_WIDE_KINDS = new Set(['challenge', 'parked', 'default-server']);
const VERDICT_RANK: Record<Verdict, number> = { mirror: 3, likely: 2, unrelated: 1, inconclusive: 0 };

export function summariseFetch(record: FetchRecord): FetchSummary {
  const tls = record.tls;
  return {
    requestedUrl: record.requestedUrl,
    finalUrl: record.finalUrl,
    redirects: record.redirects,
    status: record.status,
    resolvedAddresses: record.resolvedAddresses,
    connectedAddress: record.connectedAddress,
    tls: tls
      ? { authorized: tls.authorized, authorizationError: tls.authorizationError, subject: tls.subject, subjectAltNames: tls.subjectAltNames, issuer: tls.issuer, validFrom: tls.validFrom, validTo: tls.validTo, fingerprint256: tls.fingerprint256 }
      : null,
    contentType: record.contentType,
    charset: record.charset,
    bytes: record.body.byteLength,
    bodyTruncated: record.bodyTruncated,
    sha256: record.sha256,
    fetchedAt: record.fetchedAt,
    timings: record.timings,
    error: record.error ? { code: record.error.code, message: record.error.message } : null,
  };
}

/** The URLs to try for an input: a URL as given, a bare host on https then http (see domainInput.ts). */
export function targetUrls(target: string): string[] | null {
  const parsed = parseDomainInput(target, { allowIpLiteral: true });
  return parsed.ok ? checkUrls(parsed) : null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/** A response arrived and its (possibly partial) body can be judged. */
function judgeable(record: FetchRecord): boolean {
  if (record.status === null) return false;
  return record.error === null || BODY_ERRORS.has(record.error.code);
}

function pageInput(record: FetchRecord): PageInput {
  // the crawler sniffed the charset (BOM, header, meta anywhere in the first 4 KB): hand it on
  const contentType = record.contentType ?? (record.isHtml ? 'text/html' : undefined);
  const withCharset =
    contentType && record.charsetSource !== 'default' && !/charset=/i.test(contentType) ? `${contentType}; charset=${record.charset}` : contentType;
  return { body: record.body, ...(withCharset ? { contentType: withCharset } : {}), status: record.status ?? undefined, url: record.finalUrl };
}

function failedResult(input: string, domain: string | null, record: FetchRecord | null, code: string, message: string): CheckResult {
  return unjudgedResult(input, domain, { code, message: record?.error?.message ?? message }, `not fetched: ${code}`);
}

/** Judge one fetched page; a truncated body may prove a match but cannot prove there is none. */
async function judge(record: FetchRecord, judge: PageJudge, input: string): Promise<{ result: CheckResult; fingerprint: PageFingerprint | null }> {
  const domain = hostOf(record.finalUrl);
  if (!judgeable(record)) {
    const code = record.error?.code ?? 'CRAWL_NETWORK_ERROR';
    return { result: failedResult(input, domain, record, code, 'no response'), fingerprint: null };
  }
  const { result, fingerprint } = await judge.judge(pageInput(record), { input, domain });
  if (record.error) {
    result.error = { code: record.error.code, message: record.error.message };
    if (result.verdict === 'unrelated') result.verdict = 'inconclusive';
  }
  return { result, fingerprint };
}

function better(a: CheckResult, b: CheckResult): boolean {
  const rank = VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict];
  return rank > 0 || (rank === 0 && a.score > b.score);
}

export async function checkDomain(
  target: string,
  index: ReferenceIndex,
  options: DomainCheckOptions & { sharedCrawler?: Crawler; judge?: PageJudge },
  signal?: AbortSignal,
): Promise<DomainCheckResult> {
  return (await checkDomainDetailed(target, index, options, signal)).result;
}

/** A domain check with what an evidence package needs besides the result. */
export interface DetailedDomainCheck {
  result: DomainCheckResult;
  /** the whole fetch whose page decided the result (bytes, exchanges), or null if nothing was fetched */
  record: FetchRecord | null;
  /** that page's fingerprint, or null when it was not judged */
  fingerprint: PageFingerprint | null;
}

/** `checkDomain`, also handing back the deciding fetch and fingerprint (for evidence packages). */
export async function checkDomainDetailed(
  target: string,
  index: ReferenceIndex,
  // judge: the fleet's, scan's and the CLI's thread pool; without one the page is judged in this thread
  options: DomainCheckOptions & { sharedCrawler?: Crawler; judge?: PageJudge },
  signal?: AbortSignal,
): Promise<DetailedDomainCheck> {
  const parsed = parseDomainInput(target, { allowIpLiteral: true });
  if (!parsed.ok) {
    // refused before any fetch: the input is echoed only in its safe form (no credentials, no raw bytes)
    const message = `"${parsed.display}" is not a domain or an http(s) URL: ${parsed.reason}`;
    const result = failedResult(parsed.display, null, null, parsed.code, message);
    return { result: { ...result, fetch: emptySummary(parsed.display, parsed.code, message), attempts: [], probes: [], redirectHosts: [], linkedHosts: [] }, record: null, fingerprint: null };
  }
  const urls = checkUrls(parsed);
  const inputHost = parsed.host;
  const crawler = options.sharedCrawler ?? createCrawler(options.crawler);
  const fetchOptions = signal ? { signal } : {};
  const pageJudge = options.judge ?? inlinePageJudge(index);
  try {

    const tried: FetchRecord[] = [];
    for (const url of urls) {
      const record = await crawler.fetch(url, fetchOptions);
      tried.push(record);
      if (record.status !== null || (record.error && NO_SCHEME_FALLBACK.has(record.error.code))) break;
    }
    // urls is never empty, so neither is tried
    const home = tried[tried.length - 1]!;
    const attempts = tried.slice(0, -1).map((r) => ({ url: r.requestedUrl, error: r.error?.code ?? 'unknown' }));

    let decided = home;
    let { result, fingerprint } = await judge(home, pageJudge, target);
    const probes: ProbeSummary[] = [];
    // a host that already misbehaved (cut body, timeout) gets no more requests
    const worthProbing = home.status !== null && home.error === null && result.verdict !== 'mirror' && !HOST_WIDE_KINDS.has(result.pageKind);
    if (worthProbing && options.maxProbePaths > 0) {
      const origin = new URL(home.finalUrl).origin;
      for (const path of index.probePaths().slice(0, options.maxProbePaths)) {
        if (signal?.aborted) break;
        const probe = await crawler.fetch(`${origin}${path}`, fetchOptions);
        const probeJudgement = await judge(probe, pageJudge, target);
        const judged = probeJudgement.result;
        probes.push({ url: probe.requestedUrl, status: probe.status, verdict: judged.verdict, score: judged.score, error: probe.error?.code ?? null });
        if (judgeable(probe) && better(judged, result)) {
          result = judged;
          fingerprint = probeJudgement.fingerprint;
          decided = probe;
        }
        if (result.verdict === 'mirror') break;
      }
    }

    // only registered-looking names become candidates: an address or a local-only name a hostile
    // redirect chain named is never proposed (the crawler refused to connect to it anyway)
    const redirectHosts = [...new Set(home.redirects.map((r) => hostOf(r.location)).filter((h): h is string => h !== null && h !== inputHost && isProposableHost(h)))].slice(0, MAX_REDIRECT_HOSTS);
    const linkedHosts = (fingerprint?.linkedHosts ?? []).slice(0, MAX_LINKED_HOSTS);
    return { result: { ...result, input: target, fetch: summariseFetch(decided), attempts, probes, redirectHosts, linkedHosts }, record: decided, fingerprint };
  } finally {
    if (!options.sharedCrawler) await crawler.close();
  }
}

function emptySummary(url: string, code: string, message: string): FetchSummary {
  return {
    requestedUrl: url,
    finalUrl: url,
    redirects: [],
    status: null,
    resolvedAddresses: [],
    connectedAddress: null,
    tls: null,
    contentType: null,
    charset: 'utf-8',
    bytes: 0,
    bodyTruncated: false,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    fetchedAt: new Date(0).toISOString(),
    timings: { startedAt: 0, dnsMs: null, connectMs: null, headersMs: null, totalMs: 0 },
    error: { code, message },
  };
}
