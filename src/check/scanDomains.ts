/**
 * Check many domains in one process: a bounded pool of checks pulling targets from a stream, a
 * politeness delay per host, results handed out as they complete. Nothing grows with the input:
 * lines are read on demand, results are not kept, the per-host table is pruned.
 */
import { createCrawler } from '../crawler/crawler.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import type { Verdict } from '../match/types.js';
import { checkDomainDetailed, type DomainCheckResult } from './checkDomain.js';
import { writeCheckEvidence, type CheckEvidenceWriter, type EvidenceOutcome } from './checkEvidence.js';
import { INPUT_INVALID_DOMAIN, parseDomainInput } from './domainInput.js';
import type { DomainCheckOptions } from './domainCheckOptions.js';
import type { PageJudge } from './pageJudge.js';

export interface ScanOptions {
  domainCheck: DomainCheckOptions;
  /** checks running at once; default 8 */
  concurrency?: number;
  /** least time between two checks of the same host, ms; default 1000 */
  perHostDelayMs?: number;
  /** stops taking new targets and aborts the checks in flight */
  signal?: AbortSignal;
  /** ms clock for the politeness table and the summary; default Date.now */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** fingerprints and matches the pages (the CLI's thread pool); default: in this thread */
  judge?: PageJudge;
  /** write an evidence package for every check (`scan --evidence DIR`) */
  evidence?: CheckEvidenceWriter;
}

export interface ScanTarget {
  /** 1-based line number in the input */
  line: number;
  target: string;
}

export interface ScanItem extends ScanTarget {
  result: DomainCheckResult;
  /** set when the scan writes evidence packages */
  evidence?: EvidenceOutcome;
}

export interface ScanSummary {
  total: number;
  verdicts: Record<Verdict, number>;
  /** error code → count (a closed set of codes, so this stays small) */
  errors: Record<string, number>;
  /** lines that were not a domain or URL */
  invalid: number;
  elapsedMs: number;
  domainsPerSecond: number;
}

export const SCAN_DEFAULTS = Object.freeze({ concurrency: 8, perHostDelayMs: 1000, maxLineChars: 2048 });
/** The politeness table is pruned of expired hosts when it grows past this. */
const MAX_TRACKED_HOSTS = 10_000;

/**
 * Targets from a text stream: one per line, the first field (space, tab or comma separated);
 * blank lines and `#` comments skipped. Read on demand, so a huge file is never held in memory.
 */
export async function* readTargets(stream: AsyncIterable<string | Buffer>): AsyncGenerator<ScanTarget> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 0;
  const parse = (text: string): ScanTarget | null => {
    line++;
    const field = text.slice(0, SCAN_DEFAULTS.maxLineChars + 1).trim().split(/[\s,]+/)[0] ?? '';
    if (!field || field.startsWith('#')) return null;
    return { line, target: field.length > SCAN_DEFAULTS.maxLineChars ? field.slice(0, SCAN_DEFAULTS.maxLineChars) : field };
  };
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const target = parse(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (target) yield target;
    }
    // a "line" without end is cut: keep only what could still be a target
    if (pending.length > SCAN_DEFAULTS.maxLineChars * 2) pending = pending.slice(0, SCAN_DEFAULTS.maxLineChars + 1);
  }
  pending += decoder.decode();
  const last = pending ? parse(pending) : null;
  if (last) yield last;
}

/** Politeness is per host as the check will fetch it: `A.test.` and `a.test/x` are one host. */
function hostKey(target: string): string {
  const parsed = parseDomainInput(target, { allowIpLiteral: true });
  return parsed.ok ? parsed.host : target;
}

export async function scanDomains(
  targets: AsyncIterable<ScanTarget>,
  index: ReferenceIndex,
  options: ScanOptions,
  onResult: (item: ScanItem) => void | Promise<void>,
): Promise<ScanSummary> {
  const concurrency = options.concurrency ?? SCAN_DEFAULTS.concurrency;
  const perHostDelayMs = options.perHostDelayMs ?? SCAN_DEFAULTS.perHostDelayMs;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = clock();
  const summary: ScanSummary = {
    total: 0,
    verdicts: { mirror: 0, likely: 0, unrelated: 0, inconclusive: 0 },
    errors: {},
    invalid: 0,
    elapsedMs: 0,
    domainsPerSecond: 0,
  };
  const crawler = createCrawler({ ...options.domainCheck.crawler, ...(options.evidence ? { recordConnections: true } : {}) });
  const nextSlot = new Map<string, number>();
  const iterator = targets[Symbol.asyncIterator]();

  /** Reserve the host's next slot now (so parallel workers queue behind each other), then wait for it. */
  async function politely(host: string): Promise<void> {
    const now = clock();
    if (nextSlot.size > MAX_TRACKED_HOSTS) for (const [h, t] of nextSlot) if (t <= now) nextSlot.delete(h);
    const slot = Math.max(now, nextSlot.get(host) ?? 0);
    nextSlot.set(host, slot + perHostDelayMs);
    if (slot > now) await sleep(slot - now);
  }

  async function worker(): Promise<void> {
    for (;;) {
      if (options.signal?.aborted) return;
      const next = await iterator.next();
      if (next.done) return;
      const { line, target } = next.value;
      await politely(hostKey(target));
      const detailed = await checkDomainDetailed(target, index, { ...options.domainCheck, sharedCrawler: crawler, ...(options.judge ? { judge: options.judge } : {}) }, options.signal);
      const result = detailed.result;
      // a check our own stop (Ctrl-C, the caller's signal) cut short was abandoned, not done: the
      // summary counts what was checked, and the caller never sees a result for it
      if (options.signal?.aborted && result.error?.code === 'CRAWL_ABORTED') return;
      const evidence = options.evidence && detailed.record ? await writeCheckEvidence(options.evidence, target, detailed) : undefined;
      summary.total++;
      summary.verdicts[result.verdict]++;
      if (result.error?.code === INPUT_INVALID_DOMAIN) summary.invalid++;
      if (result.error) {
        summary.errors[result.error.code] = (summary.errors[result.error.code] ?? 0) + 1;
      }
      await onResult({ line, target, result, ...(evidence ? { evidence } : {}) });
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
  } finally {
    await crawler.close();
  }
  summary.elapsedMs = clock() - started;
  summary.domainsPerSecond = summary.elapsedMs > 0 ? (summary.total * 1000) / summary.elapsedMs : 0;
  return summary;
}
