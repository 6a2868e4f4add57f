/**
 * The discovery side of a worker process: a BullMQ worker on the discovery queue, the fleet's
 * generation scheduler, and the triggers a check raises (`onChecked`, wired into the check
 * processor) or a CT stream raises (`trigger`). Runs beside the check worker on the same Redis
 * connection; `hopwatch worker --no-discovery` (HOPWATCH_DISCOVERY=off) leaves it out.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings.js';
import type { HostResolver } from '../crawler/hostResolution.js';
import { brandMatcher, type BrandMatcher } from '../discovery/brandMatch.js';
import type { DiscoveryKnowledge } from '../discovery/knowledge.js';
import { normaliseHost } from '../discovery/domainName.js';
import { isProposableHost } from '../discovery/proposableHost.js';
import type { NameResolver } from '../discovery/resolveCheck.js';
import type { CheckStore } from '../store/checkStore.js';
import type { RedisKeys } from '../store/redisKeys.js';
import type { GrownHistory } from '../store/grownHistory.js';
import { isoDay } from './knowledgeSource.js';
import type { CheckedDomain } from './checkProcessor.js';
import type { CheckQueue } from './checkQueue.js';
import { createDiscoveryProcessor } from './discoveryProcessor.js';
import {
  addTrigger, createDiscoveryQueue, DISCOVERY_QUEUE, upsertDiscoveryScheduler,
  type DiscoveryJobData, type DiscoveryJobResult, type DiscoveryQueue, type DiscoveryTrigger, type TriggerOutcome,
} from './discoveryQueue.js';
import type { KnowledgeSource } from './knowledgeSource.js';
import { connectionErrorLog } from './connectionErrorLog.js';
import { startCtStreamTriggers, type CtStreamTriggers } from './ctStreamTriggers.js';

export interface DiscoveryWorkerOptions {
  settings: Settings;
  redis: Redis;
  keys: RedisKeys;
  store: CheckStore;
  checkQueue: CheckQueue;
  knowledge: KnowledgeSource;
  resolver: NameResolver;
  alsoKnown?: ReadonlySet<string>;
  log?: (event: Record<string, unknown>) => void;
  /** upsert the generation scheduler (default true) */
  scheduler?: boolean;
  /** where redirect targets of confirmed mirrors are added to the site's known domains */
  grownHistory?: GrownHistory;
  clock?: () => number;
}

export interface DiscoveryWorker {
  queue: DiscoveryQueue;
  worker: Worker<DiscoveryJobData, DiscoveryJobResult, string>;
  schedule: { every: number } | null;
  /** the check processor's hook: matches, redirects, SANs and links become triggers */
  onChecked(checked: CheckedDomain): Promise<void>;
  /** add a trigger (CT stream, tests); bounded by the queue size */
  trigger(trigger: DiscoveryTrigger): Promise<TriggerOutcome>;
  /** triggers dropped because the queue was full, since start */
  dropped(): number;
  /** the live CT source, when HOPWATCH_CT_STREAM_URL is set */
  ctStream: CtStreamTriggers | null;
  close(): Promise<void>;
}

/** The crawler's resolver as the pre-check's: NXDOMAIN and no-address answers are absent, not errors. */
export function nameResolverOf(resolve: HostResolver): NameResolver {
  return {
    async resolve4(name) {
      try {
        return (await resolve(name)).filter((a) => !a.includes(':'));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'CRAWL_DNS_NXDOMAIN') throw Object.assign(new Error(`${name}: NXDOMAIN`), { code: 'ENOTFOUND' });
        if (code === 'CRAWL_DNS_NO_ADDRESS') throw Object.assign(new Error(`${name}: no address`), { code: 'ENODATA' });
        throw err;
      }
    },
  };
}

const MATCHING_VERDICTS = new Set(['mirror', 'likely']);
/** How long closing waits for running discovery jobs before leaving them to be taken back. */
const CLOSE_GRACE_MS = 2000;

function hostOfUrl(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export async function startDiscoveryWorker(options: DiscoveryWorkerOptions): Promise<DiscoveryWorker> {
  const { settings } = options;
  const log = options.log ?? (() => undefined);
  const queue = createDiscoveryQueue(options.redis, options.keys, settings, connectionErrorLog(log, 'discovery-queue'));
  let schedule: { every: number } | null = null;
  try {
    schedule = options.scheduler === false ? null : await upsertDiscoveryScheduler(queue, settings);
  } catch (err) {
    await queue.close();
    throw err;
  }
  const processor = createDiscoveryProcessor({
    settings, store: options.store, checkQueue: options.checkQueue, redis: options.redis, keys: options.keys,
    knowledge: options.knowledge, resolver: options.resolver, ...(options.alsoKnown ? { alsoKnown: options.alsoKnown } : {}),
    onResult: (r) => {
      if (r.enqueued > 0 || r.overBudget > 0) log({ level: 'info', msg: 'discovery', ...r });
    },
  });
  const worker = new Worker<DiscoveryJobData, DiscoveryJobResult, string>(DISCOVERY_QUEUE, processor, {
    connection: options.redis,
    prefix: options.keys.bullPrefix,
    // DNS pre-checks run their own bounded concurrency inside a job; two jobs keep a trigger from
    // waiting behind a whole scheduled run
    concurrency: 2,
    stalledInterval: settings.stalledIntervalMs,
    lockDuration: settings.lockDurationMs,
    autorun: true,
  });
  worker.on('error', connectionErrorLog(log, 'discovery-worker'));
  worker.on('failed', (job, err) => log({ level: 'warn', msg: 'discovery job failed', jobId: job?.id, kind: job?.data.kind, error: err.message }));

  let dropped = 0;
  const trigger = async (t: DiscoveryTrigger): Promise<TriggerOutcome> => {
    const outcome = await addTrigger(queue, settings, t);
    if (outcome === 'queue-full') {
      dropped++;
      if (dropped === 1 || dropped % 1000 === 0) log({ level: 'warn', msg: 'discovery queue full: triggers dropped', dropped, queueMax: settings.discoveryQueueMax });
    }
    return outcome;
  };

  // one matcher per learned knowledge (the knowledge object changes when the history does)
  let matcherFor: { knowledge: DiscoveryKnowledge; matcher: BrandMatcher } | undefined;
  const matcher = (knowledge: DiscoveryKnowledge): BrandMatcher => {
    if (matcherFor?.knowledge !== knowledge) matcherFor = { knowledge, matcher: brandMatcher(knowledge) };
    return matcherFor.matcher;
  };
  const unknownHosts = (hosts: readonly string[], knowledge: DiscoveryKnowledge, self: string): string[] => {
    const out = new Set<string>();
    for (const raw of hosts) {
      const host = normaliseHost(raw);
      if (host && host !== self && isProposableHost(host) && !knowledge.known.has(host) && !options.alsoKnown?.has(host)) out.add(host);
    }
    return [...out];
  };

  const onChecked = async ({ domain, result, newFeedEntry }: CheckedDomain): Promise<void> => {
    const knowledge = await options.knowledge.current();
    if (!knowledge) return;
    const matched = MATCHING_VERDICTS.has(result.verdict) && result.site !== null;
    const jobs: DiscoveryTrigger[] = [];
    if (matched && newFeedEntry) jobs.push({ kind: 'match', hosts: [domain], from: domain, site: result.site });
    // a matching page's redirect targets and certificate names are the site's; anyone else's only
    // when they carry a brand (a CDN certificate lists hundreds of strangers)
    const m = matcher(knowledge);
    const relevant = (hosts: string[]) => (matched ? hosts : hosts.filter((h) => m.match(h) !== undefined));
    const redirects = relevant(unknownHosts(result.redirectHosts, knowledge, domain));
    if (redirects.length > 0) jobs.push({ kind: 'redirect', hosts: redirects, from: domain, site: result.site });
    const sans = relevant(unknownHosts((result.fetch.tls?.subjectAltNames ?? []).map((s) => s.replace(/^DNS:/i, '')), knowledge, domain));
    if (sans.length > 0) jobs.push({ kind: 'san', hosts: sans, from: domain, site: result.site });
    // links: only to hosts that carry a brand or sit on a proxy base, whatever the page
    const links = unknownHosts(result.linkedHosts, knowledge, domain).filter((h) => m.match(h) !== undefined);
    if (links.length > 0) jobs.push({ kind: 'link', hosts: links, from: domain, site: result.site });
    for (const job of jobs) await trigger(job);
    // a confirmed mirror that now redirects: where it went is the site's too (the history grows)
    if (matched && options.grownHistory && result.redirectHosts.length > 0 && (await options.grownHistory.isSitesDomain(result.site!, domain))) {
      const final = normaliseHost(hostOfUrl(result.fetch.finalUrl) ?? '');
      if (final && final !== domain && isProposableHost(final)) await options.grownHistory.siteDomains.addKnownDomain(result.site!, final, isoDay((options.clock ?? Date.now)()), 'redirect-of-confirmed');
    }
  };

  const ctStream = settings.ctStreamUrl === ''
    ? null
    : startCtStreamTriggers({ url: settings.ctStreamUrl, batchMs: settings.ctBatchMs, knowledge: options.knowledge, trigger, log });

  let closing: Promise<void> | undefined;
  return {
    queue, worker, schedule, onChecked, trigger, ctStream,
    dropped: () => dropped,
    close() {
      closing ??= (async () => {
        await ctStream?.close();
        // a running job's DNS pre-check can take long on a slow resolver; it is safe to cut: the
        // job's lock lapses and it runs again (its candidates are deduplicated), so wait briefly
        const graceful = worker.close();
        let timer: NodeJS.Timeout | undefined;
        const lapsed = await Promise.race([graceful.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CLOSE_GRACE_MS)))]);
        clearTimeout(timer);
        if (lapsed) await worker.close(true);
        await queue.close();
      })();
      return closing;
    },
  };
}
