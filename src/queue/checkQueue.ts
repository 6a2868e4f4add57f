/**
 * The check queue: what a job carries, how a domain is normalised for deduplication, and the job
 * options every producer uses (so `enqueue`, redirects and re-checks dedupe against each other).
 */
import { HopwatchError } from '../errors.js';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { displayInput, parseDomainInput } from '../check/domainInput.js';
import type { Settings } from '../config/settings.js';
import type { CheckStore } from '../store/checkStore.js';
import type { RedisKeys } from '../store/redisKeys.js';

export const CHECK_QUEUE = 'check';

/** Job names on the check queue. */
export const JOB = {
  /** check one candidate domain */
  check: 'check',
  /** fan out re-checks: confirmed mirrors or the blocked sites' known domains */
  recheck: 'recheck',
} as const;

/**
 * Why a domain is being checked; kept on the candidate, in the feed entry and in metrics.
 * `discovery:KIND` is the discovery job that proposed it (the schedule, or a trigger).
 */
export type CandidateSource = 'manual' | 'redirect' | 'recheck-mirror' | 'recheck-known' | `discovery:${DiscoveryKind}`;

/** What started a discovery run: the repeatable schedule, or something a check or CT saw. */
export type DiscoveryKind = 'schedule' | 'match' | 'redirect' | 'san' | 'link' | 'ct';

export interface CheckJobData {
  domain: string;
  source: CandidateSource;
  enqueuedAt: number;
  /** why discovery proposed it; absent for manual enqueues and re-checks */
  reason?: string;
}

export interface RecheckJobData {
  kind: 'mirrors' | 'known-domains';
}

export type CheckQueueData = CheckJobData | RecheckJobData;

/** What a finished check job returns (kept in Redis with the job: small on purpose). */
export interface CheckJobResult {
  domain: string;
  verdict: string;
  site: string | null;
  errorCode: string | null;
  feedId: string | null;
}

export type CheckQueue = Queue<CheckQueueData, CheckJobResult | number, string>;

/**
 * The host of a domain or URL in the form everyone dedupes on: lower case, IDN as punycode, no
 * trailing dot, no port. Null when the input is not a host name a check could fetch. The one
 * parser of domain input (src/check/domainInput.ts) decides; a candidate is never an IP literal.
 */
export function normaliseDomain(input: string): string | null {
  const parsed = parseDomainInput(input);
  return parsed.ok ? parsed.host : null;
}

/**
 * `onError` gets the queue's connection errors. There is always a listener: without one BullMQ
 * prints each error's stack with console.error (see connectionErrorLog). The default drops them,
 * as connectRedis does for the client: a command that fails still rejects to its caller.
 */
export function createCheckQueue(connection: Redis, keys: RedisKeys, settings: Settings, onError: (err: Error) => void = () => undefined): CheckQueue {
  const queue = new Queue<CheckQueueData, CheckJobResult | number, string>(CHECK_QUEUE, {
    connection,
    prefix: keys.bullPrefix,
    streams: { events: { maxLen: settings.eventStreamMaxLen } },
  });
  queue.on('error', onError);
  return queue;
}

/** Job options of a check: dedupe window, retries with backoff and jitter, bounded retention. */
export function checkJobOptions(domain: string, settings: Settings): JobsOptions {
  return {
    ...(settings.dedupeWindowMs > 0 ? { deduplication: { id: `check:${domain}`, ttl: settings.dedupeWindowMs } } : {}),
    attempts: settings.checkAttempts,
    backoff: { type: 'exponential', delay: settings.backoffDelayMs, jitter: settings.backoffJitter },
    removeOnComplete: { count: settings.keepCompletedJobs },
    removeOnFail: { count: settings.keepFailedJobs },
  };
}

export interface EnqueueOutcome {
  /** inputs given */
  submitted: number;
  /** distinct normalised domains among them */
  distinct: number;
  /** inputs that are not a domain */
  invalid: string[];
  /** jobs BullMQ created (the rest were within the dedupe window of an earlier job) */
  created: number;
}

const ADD_BATCH = 500;
const MAX_SEEN = 200_000;

/**
 * Enqueue domains for checking: normalised, deduplicated within the batch and (by BullMQ) within
 * the dedupe window, noted in the store as candidates. Sent in batches so a 100 000-line file
 * never builds one huge Redis command.
 */
/** Redis's answer under maxmemory with noeviction: `OOM command not allowed when used memory > 'maxmemory'`. */
function isOutOfMemory(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (/\bOOM\b/.test(String((e as { message?: unknown }).message ?? e))) return true;
    // a transaction refused command by command ends as EXECABORT, the cause listed with it
    if (/EXECABORT/.test(String((e as { message?: unknown }).message ?? '')) && /OOM/.test(JSON.stringify((e as { previousErrors?: unknown }).previousErrors ?? ''))) return true;
  }
  return false;
}

export async function enqueueDomains(
  queue: CheckQueue,
  store: CheckStore,
  settings: Settings,
  inputs: Iterable<string>,
  source: CandidateSource,
  now: () => number = Date.now,
  reasons?: ReadonlyMap<string, string>,
): Promise<EnqueueOutcome> {
  const outcome: EnqueueOutcome = { submitted: 0, distinct: 0, invalid: [], created: 0 };
  const seen = new Set<string>();
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const at = now();
    try {
      // BullMQ job ids count up; a deduplicated add returns the older job, whose id is not above this
      // (a concurrent producer can blur the count, never the dedupe itself)
      const lastId = Number((await store.redisClient.get(queue.keys.id ?? queue.toKey('id'))) ?? 0);
      // jobs first, in one transaction: a Redis that refuses (out of memory) refuses the whole
      // batch, and no candidate is ever noted "queued" without its job
      const jobs = await queue.addBulk(batch.map((domain) => ({ name: JOB.check, data: { domain, source, enqueuedAt: at, ...(reasons?.has(domain) ? { reason: reasons.get(domain)! } : {}) }, opts: checkJobOptions(domain, settings) })));
      outcome.created += jobs.filter((job) => Number(job.id) > lastId).length;
      await store.noteCandidates(batch, source, at);
    } catch (err) {
      if (!isOutOfMemory(err)) throw err;
      const queued = outcome.distinct - batch.length;
      throw new HopwatchError(
        'STORE_REDIS_OOM',
        `Redis is out of memory (maxmemory reached): ${queued} of the ${outcome.distinct} distinct domains so far were queued (${outcome.created} new jobs), the batch of ${batch.length} was refused whole; free memory or raise maxmemory, then enqueue again (already queued domains are deduplicated)`,
        { action: 'retry', cause: err, details: { submitted: outcome.submitted, distinct: outcome.distinct, queued, created: outcome.created, refused: batch.length } },
      );
    }
    batch = [];
  };
  for (const input of inputs) {
    outcome.submitted++;
    const domain = normaliseDomain(input);
    if (!domain) {
      if (outcome.invalid.length < 100) outcome.invalid.push(displayInput(input));
      continue;
    }
    if (seen.has(domain)) continue;
    // the in-batch set is only a saving; BullMQ's dedupe catches what a cleared set lets through
    if (seen.size >= MAX_SEEN) seen.clear();
    seen.add(domain);
    outcome.distinct++;
    batch.push(domain);
    if (batch.length >= ADD_BATCH) await flush();
  }
  await flush();
  return outcome;
}
