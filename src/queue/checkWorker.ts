/**
 * A worker process's runtime: checks the Redis server, then runs a BullMQ worker on the check
 * queue with the processor, the schedulers and (optionally) the metrics server, and shuts all of
 * it down racing a deadline: running checks get `shutdownTimeoutMs` to finish, then their
 * AbortSignal fires (they go back to the queue as delayed jobs), then the rest is closed.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DomainCheckOptions } from '../check/domainCheckOptions.js';
import { createPagePool } from '../check/pagePool.js';
import { maskRedisUrl, type Settings } from '../config/settings.js';
import { createCheckEvidenceWriter } from '../check/checkEvidence.js';
import { createCrawler } from '../crawler/crawler.js';
import type { ScreenshotFunction } from '../evidence/evidencePackage.js';
import { HopwatchError } from '../errors.js';
import type { ReferenceIndex } from '../match/referenceIndex.js';
import { CheckStore, STORE_LIMIT_DEFAULTS } from '../store/checkStore.js';
import { checkRedisServer, closeRedis, connectRedis, type RedisServerReport } from '../store/redisConnection.js';
import { redisKeys } from '../store/redisKeys.js';
import { SiteDomains } from '../store/siteDomains.js';
import { grownHistory } from '../store/grownHistory.js';
import { createCheckProcessor, type CheckedDomain, type CheckOutcome } from './checkProcessor.js';
import { CHECK_QUEUE, createCheckQueue, type CheckJobResult, type CheckQueue, type CheckQueueData } from './checkQueue.js';
import { HostPoliteness } from './hostPoliteness.js';
import { upsertRecheckSchedulers, type RecheckSchedule } from './recheckSchedulers.js';
import { connectionErrorLog } from './connectionErrorLog.js';
import { nameResolverOf, startDiscoveryWorker, type DiscoveryWorker } from './discoveryWorker.js';
import { createKnowledgeSource } from './knowledgeSource.js';
import { systemResolver } from '../crawler/hostResolution.js';
import { resolverFor, type NameResolver } from '../discovery/resolveCheck.js';
import type { HistoryEntry } from '../discovery/types.js';
import { createWorkerMetrics, serveMetrics, type MetricsServer } from './workerMetrics.js';
import { logOutcome } from './workerLog.js';

export interface CheckWorkerOptions {
  settings: Settings;
  domainCheck: DomainCheckOptions;
  index: ReferenceIndex;
  /** progress and warnings, one line each (the CLI sends them to stderr) */
  log?: (event: Record<string, unknown>) => void;
  /** skip upserting the re-check schedulers (tests that count jobs) */
  schedulers?: boolean;
  /** renders a screenshot for each evidence package (src/evidence/screenshot.ts); none when absent */
  screenshot?: ScreenshotFunction;
  /** the fingerprint thread's module (tests only: see PagePoolOptions.threadModule) */
  pageThreadModule?: URL;
  /**
   * the discovery worker beside the checks (on unless HOPWATCH_DISCOVERY=off or false here): the
   * histories it learns from, and the resolver of its DNS pre-check (default: the crawler's)
   */
  discovery?: false | { fileHistory?: readonly HistoryEntry[]; resolver?: NameResolver; scheduler?: boolean };
}

export interface CheckWorker {
  settings: Settings;
  worker: Worker<CheckQueueData, CheckJobResult | number, string>;
  queue: CheckQueue;
  store: CheckStore;
  server: RedisServerReport;
  schedule: RecheckSchedule;
  /** null when discovery is off */
  discovery: DiscoveryWorker | null;
  /** the sites' known domains in Redis (review confirmations call addKnownDomain / addConfirmed) */
  siteDomains: SiteDomains;
  metricsPort: number | null;
  /** resolves when everything is closed; idempotent */
  close(): Promise<void>;
}

/** Extra time after aborting the running checks for them to hand their jobs back. */
const ABORT_GRACE_MS = 2000;
/** Data points of BullMQ's per-minute completed/failed counts (a week), read by `status`. */
const METRICS_DATA_POINTS = 7 * 24 * 60;

/** `0.0.0.0`, `::` and their spellings: a listener there answers on every network the machine is on. */
export function bindsEveryInterface(host: string): boolean {
  return /^(?:0+\.0+\.0+\.0+|::|\[::\]|(?:0+:){7}0+|0+)$/.test(host.trim());
}

async function raceDeadline<T>(work: Promise<T>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startCheckWorker(options: CheckWorkerOptions): Promise<CheckWorker> {
  const { settings } = options;
  const log = options.log ?? (() => undefined);
  const keys = redisKeys(settings.keyPrefix);
  const redis: Redis = connectRedis(settings.redisUrl);
  let server: RedisServerReport;
  try {
    server = await checkRedisServer(redis, settings.redisUrl);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  for (const warning of server.warnings) log({ level: 'warn', msg: warning });
  // later outages are waited through (jobs are not lost), but said: one line per distinct error
  // (throttled), and one when the connection is back
  let lostConnection = false;
  const redisErrors = connectionErrorLog(log, 'redis');
  redis.on('error', (err: Error) => {
    lostConnection = true;
    redisErrors(err);
  });
  redis.on('ready', () => {
    if (lostConnection) log({ level: 'info', msg: 'redis connection back', redis: maskRedisUrl(settings.redisUrl) });
    lostConnection = false;
  });

  const store = new CheckStore(redis, keys, { ...STORE_LIMIT_DEFAULTS, historyPerCandidate: settings.historyPerCandidate });
  const queue = createCheckQueue(redis, keys, settings, connectionErrorLog(log, 'queue'));
  // with an evidence directory every connection is described (TLS chain), since any check may match
  const crawler = createCrawler({ ...options.domainCheck.crawler, ...(settings.evidenceDir ? { recordConnections: true } : {}) });
  const evidence = settings.evidenceDir ? createCheckEvidenceWriter({ dir: settings.evidenceDir, index: options.index, domainCheck: options.domainCheck, ...(options.screenshot ? { screenshot: options.screenshot } : {}) }) : undefined;
  // pages are judged off the event loop: a slow one cannot stop lock renewal, fetches or metrics
  const judge = createPagePool(options.index, { threads: settings.fingerprintThreads, deadlineMs: settings.fingerprintDeadlineMs, ...(options.pageThreadModule ? { threadModule: options.pageThreadModule } : {}) });
  const metrics = createWorkerMetrics(queue);
  const onOutcome = (outcome: CheckOutcome): void => {
    metrics.observe(outcome);
    logOutcome(log, outcome);
    if (outcome.transition) log({ level: 'info', msg: 'liveness changed', domain: outcome.domain, from: outcome.transition.from, to: outcome.transition.to });
  };
  const siteDomains = new SiteDomains(redis, keys);
  const grown = grownHistory(redis, keys, siteDomains);
  let discovery: DiscoveryWorker | null = null;
  if (settings.discoveryEnabled === 'on' && options.discovery !== false) {
    const d = options.discovery ?? {};
    const resolver = d.resolver
      ?? (settings.discoveryDnsServer !== '' ? resolverFor(settings.discoveryDnsServer) : nameResolverOf(options.domainCheck.crawler.resolver ?? systemResolver));
    try {
      discovery = await startDiscoveryWorker({
        settings, redis, keys, store, checkQueue: queue, resolver, log,
        knowledge: createKnowledgeSource({ fileHistory: d.fileHistory ?? [], storedHistory: grown }),
        grownHistory: grown,
        alsoKnown: new Set(options.index.referenceSet.sites.flatMap((site) => site.domains.map((x) => x.domain))),
        ...(d.scheduler === undefined ? {} : { scheduler: d.scheduler }),
      });
    } catch (err) {
      await Promise.all([crawler.close(), raceDeadline(queue.close(), ABORT_GRACE_MS)]);
      await closeRedis(redis);
      throw err;
    }
  }
  const onChecked = discovery
    ? (checked: CheckedDomain) => discovery!.onChecked(checked).catch((err: unknown) => log({ level: 'warn', msg: 'discovery trigger failed', domain: checked.domain, error: err instanceof Error ? err.message : String(err) }))
    : undefined;
  const processor = createCheckProcessor({
    index: options.index,
    domainCheck: options.domainCheck,
    crawler,
    store,
    politeness: new HostPoliteness(redis, keys, settings.politenessDelayMs),
    queue,
    settings,
    judge,
    onOutcome,
    ...(evidence ? { evidence } : {}),
    log,
    ...(onChecked ? { onChecked } : {}),
  });

  // Metrics server and schedulers before the BullMQ worker, so a failure here (port taken) stops
  // the start before any job is taken, and closes what was already opened.
  let metricsServer: MetricsServer | null = null;
  let schedule: RecheckSchedule;
  try {
    if (settings.metricsPort > 0) {
      // the metrics name domains under check and the fleet's error rates: not for every network
      if (bindsEveryInterface(settings.metricsHost)) {
        log({ level: 'warn', msg: `metrics bind every interface (${settings.metricsHost}:${settings.metricsPort}): anyone who can reach this machine can read them; set HOPWATCH_METRICS_HOST=127.0.0.1 or firewall the port` });
      }
      metricsServer = await serveMetrics(metrics.registry, settings.metricsHost, settings.metricsPort).catch((err: unknown) => {
        throw new HopwatchError('QUEUE_METRICS_LISTEN', `cannot serve metrics on ${settings.metricsHost}:${settings.metricsPort}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
    }
    schedule = options.schedulers === false ? null : await upsertRecheckSchedulers(queue, settings);
  } catch (err) {
    await Promise.all([crawler.close(), judge.close(), metricsServer?.close(), raceDeadline(queue.close(), ABORT_GRACE_MS), discovery && raceDeadline(discovery.close(), ABORT_GRACE_MS)]);
    await closeRedis(redis);
    throw err;
  }

  const worker = new Worker<CheckQueueData, CheckJobResult | number, string>(CHECK_QUEUE, processor, {
    // the worker duplicates this connection for its blocking commands
    connection: redis,
    prefix: keys.bullPrefix,
    concurrency: settings.workerConcurrency,
    limiter: { max: settings.rateLimitMax, duration: settings.rateLimitWindowMs },
    stalledInterval: settings.stalledIntervalMs,
    lockDuration: settings.lockDurationMs,
    maxStalledCount: settings.maxStalledCount,
    metrics: { maxDataPoints: METRICS_DATA_POINTS },
    autorun: true,
  });
  // one line per distinct error (throttled), never a stack: a Redis blip must not flood the log
  worker.on('error', connectionErrorLog(log, 'worker'));
  worker.on('failed', (job, err) => {
    if (job && err.name !== 'DelayedError') log({ level: 'warn', msg: 'job failed', jobId: job.id, domain: (job.data as { domain?: string }).domain, error: err.message, attempts: job.attemptsMade });
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const graceful = worker.close();
      if ((await raceDeadline(graceful, settings.shutdownTimeoutMs)) === 'timeout') {
        log({ level: 'warn', msg: `checks still running after ${settings.shutdownTimeoutMs} ms: aborting them` });
        worker.cancelAllJobs('shutdown');
        if ((await raceDeadline(graceful, ABORT_GRACE_MS)) === 'timeout') await raceDeadline(worker.close(true), ABORT_GRACE_MS);
      }
      if (discovery && (await raceDeadline(discovery.close(), settings.shutdownTimeoutMs)) === 'timeout') {
        log({ level: 'warn', msg: `discovery jobs still running after ${settings.shutdownTimeoutMs} ms: leaving them to be taken back` });
      }
      await Promise.all([crawler.close(), judge.close(), metricsServer?.close(), raceDeadline(queue.close(), ABORT_GRACE_MS)]);
      await closeRedis(redis);
    })();
    return closing;
  };

  return { settings, worker, queue, store, server, schedule, discovery, siteDomains, metricsPort: metricsServer?.port ?? null, close };
}
