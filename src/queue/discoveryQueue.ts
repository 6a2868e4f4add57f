/**
 * The discovery queue: jobs that propose candidate domains and enqueue the live ones for checking.
 * Its own queue (not the check queue), so a flood of CT names or a slow DNS pre-check never sits
 * in front of checks, and so its size can be bounded on its own.
 *
 * Two job names: `generate`, made by a repeatable job scheduler (one for the fleet, upserted by
 * every worker), ranks candidates from the known domain histories at a budget; `trigger` carries
 * hosts something else saw (a match, a redirect, a certificate SAN, a link, a CT line).
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings.js';
import type { RedisKeys } from '../store/redisKeys.js';
import type { DiscoveryKind } from './checkQueue.js';

export const DISCOVERY_QUEUE = 'discovery';

export const DISCOVERY_JOB = {
  generate: 'generate',
  trigger: 'trigger',
} as const;

export const DISCOVERY_SCHEDULER_ID = 'discovery-generate';

export type TriggerKind = Exclude<DiscoveryKind, 'schedule'>;

/** Something seen that may name a new domain of a blocked site. */
export interface DiscoveryTrigger {
  kind: TriggerKind;
  /** the hosts seen (for `match`: the matched domain) */
  hosts: string[];
  /** where they were seen: the checked domain, or `ct` */
  from: string;
  /** the site the page matched, when it did */
  site?: string | null;
  /** the trigger's own reason per host (CT names carry theirs); else the processor writes one */
  reasons?: Record<string, string>;
}

export interface GenerateJobData {
  kind: 'schedule';
}

export type DiscoveryJobData = DiscoveryTrigger | GenerateJobData;

/** What a discovery job returns (kept with the job, small). */
export interface DiscoveryJobResult {
  kind: DiscoveryKind;
  /** candidates the source proposed */
  proposed: number;
  /** of those, not known and not seen recently */
  fresh: number;
  /** dropped because the trigger kind's hourly budget was spent */
  overBudget: number;
  /** of the fresh ones, live in DNS (and not a wildcard's answer) */
  live: number;
  /** check jobs created */
  enqueued: number;
}

export type DiscoveryQueue = Queue<DiscoveryJobData, DiscoveryJobResult, string>;

/** Hosts one trigger job carries: a page with 10 000 links becomes one bounded job. */
export const MAX_TRIGGER_HOSTS = 1000;
const KEEP_DISCOVERY_JOBS = 200;

export function createDiscoveryQueue(connection: Redis, keys: RedisKeys, settings: Settings, onError: (err: Error) => void = () => undefined): DiscoveryQueue {
  const queue = new Queue<DiscoveryJobData, DiscoveryJobResult, string>(DISCOVERY_QUEUE, {
    connection,
    prefix: keys.bullPrefix,
    streams: { events: { maxLen: settings.eventStreamMaxLen } },
  });
  queue.on('error', onError);
  return queue;
}

function discoveryJobOptions(settings: Settings): JobsOptions {
  return {
    attempts: 3,
    backoff: { type: 'exponential', delay: settings.backoffDelayMs },
    removeOnComplete: { count: KEEP_DISCOVERY_JOBS },
    removeOnFail: { count: KEEP_DISCOVERY_JOBS },
  };
}

/** Create or update the fleet's one generation scheduler; remove it when the interval is 0. */
export async function upsertDiscoveryScheduler(queue: DiscoveryQueue, settings: Settings): Promise<{ every: number } | null> {
  if (settings.discoveryIntervalMs <= 0) {
    await queue.removeJobScheduler(DISCOVERY_SCHEDULER_ID);
    return null;
  }
  const every = settings.discoveryIntervalMs;
  await queue.upsertJobScheduler(DISCOVERY_SCHEDULER_ID, { every }, { name: DISCOVERY_JOB.generate, data: { kind: 'schedule' }, opts: discoveryJobOptions(settings) });
  return { every };
}

export type TriggerOutcome = 'added' | 'empty' | 'queue-full';

/**
 * Add a trigger, unless it names no host or the queue already holds `discoveryQueueMax` waiting
 * jobs (then it is dropped and the caller counts it: a bound, so a CT flood cannot fill Redis).
 */
export async function addTrigger(queue: DiscoveryQueue, settings: Settings, trigger: DiscoveryTrigger): Promise<TriggerOutcome> {
  const hosts = [...new Set(trigger.hosts)].slice(0, MAX_TRIGGER_HOSTS);
  if (hosts.length === 0) return 'empty';
  if ((await queue.getWaitingCount()) >= settings.discoveryQueueMax) return 'queue-full';
  await queue.add(DISCOVERY_JOB.trigger, { ...trigger, hosts }, discoveryJobOptions(settings));
  return 'added';
}
