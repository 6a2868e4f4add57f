/**
 * Connecting to the fleet's Redis and refusing one that would lose work: with any eviction policy
 * but `noeviction`, Redis under memory pressure silently deletes keys (queued jobs, locks, the
 * match feed). Persistence off is allowed (a test box, a cache-only Redis) but warned about.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { HopwatchError } from '../errors.js';
import { maskRedisUrl } from '../config/settings.js';

/**
 * ioredis as BullMQ needs it: `maxRetriesPerRequest: null` so a command waits through a Redis
 * restart instead of failing after 20 tries (a worker must survive a restart).
 */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    // reconnect quickly at first, then at most every 2 s: a restarted Redis is picked up fast
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    lazyConnect: false,
    ...options,
  });
  // errors surface through the commands that fail; without a listener ioredis prints every reconnect
  redis.on('error', () => undefined);
  return redis;
}

/** How long a command waits for Redis's first answer before it says Redis is unavailable. */
export const REDIS_STARTUP_TIMEOUT_MS = 5000;

export interface RedisServerReport {
  maxmemoryPolicy: string;
  appendOnly: boolean;
  rdbSaves: boolean;
  warnings: string[];
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * Check the server before doing any work. Reads INFO (allowed on managed Redis where CONFIG is
 * not) and falls back to CONFIG GET for the policy.
 */
export async function checkRedisServer(redis: Redis, url: string, startupTimeoutMs = REDIS_STARTUP_TIMEOUT_MS): Promise<RedisServerReport> {
  let info: string;
  // a worker's client waits through outages (maxRetriesPerRequest: null), which at start-up
  // meant waiting silently forever: the first answer gets a deadline, and the failure names the
  // address and the connection's own error, not "max retries per request"
  let lastError: string | null = null;
  const onError = (err: Error): void => {
    lastError = err.message;
  };
  redis.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = redis.info();
    answer.catch(() => undefined);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${startupTimeoutMs} ms`)), startupTimeoutMs);
    });
    info = await Promise.race([answer, deadline]);
  } catch (err) {
    const why = lastError ?? (err instanceof Error ? err.message : String(err));
    const shown = /max retries per request/i.test(why) ? 'no connection' : why;
    throw new HopwatchError('STORE_REDIS_UNAVAILABLE', `cannot reach Redis at ${maskRedisUrl(url)} (${shown}); is it running, and is REDIS_URL right?`, { action: 'retry', cause: err });
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
  let policy = infoField(info, 'maxmemory_policy');
  if (!policy) {
    const reply = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    policy = reply[1] ?? 'unknown';
  }
  if (policy !== 'noeviction') {
    throw new HopwatchError(
      'STORE_REDIS_EVICTION_POLICY',
      `Redis at ${maskRedisUrl(url)} has maxmemory-policy "${policy}": it may evict queued jobs and matches under memory pressure; set maxmemory-policy noeviction`,
      { details: { policy } },
    );
  }
  const appendOnly = infoField(info, 'aof_enabled') === '1';
  const rdbSaves = await rdbConfigured(redis);
  const warnings: string[] = [];
  if (!appendOnly && !rdbSaves) warnings.push(`Redis at ${maskRedisUrl(url)} has no persistence (appendonly no, no save rules): a restart loses the queue and the feed; set appendonly yes`);
  else if (!appendOnly) warnings.push(`Redis at ${maskRedisUrl(url)} persists with RDB snapshots only: a crash loses the work since the last snapshot; set appendonly yes`);
  return { maxmemoryPolicy: policy, appendOnly, rdbSaves, warnings };
}

async function rdbConfigured(redis: Redis): Promise<boolean> {
  try {
    const reply = (await redis.config('GET', 'save')) as string[];
    return (reply[1] ?? '').trim() !== '';
  } catch {
    // CONFIG disabled (managed Redis): assume the provider snapshots
    return true;
  }
}

/** quit politely, but never wait on a dead server longer than the deadline */
export async function closeRedis(redis: Redis, deadlineMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  const outcome = await Promise.race([redis.quit().then(() => 'quit' as const, () => 'failed' as const), deadline]);
  clearTimeout(timer);
  if (outcome !== 'quit') redis.disconnect();
}
