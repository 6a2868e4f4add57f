/**
 * How many new candidates the checks of one site may propose per hour, across the whole fleet.
 *
 * Every judged check may enqueue the hosts its redirect chain went through. A hostile domain
 * picks those hosts, so without a bound one enqueued domain fans out into thousands of attacker-
 * chosen hosts within a minute (measured: 1,210 candidates in 60 s). Per check the list is cut at
 * `fanoutPerCheck`; per site and clock hour a Redis counter grants at most `fanoutPerSiteHour`.
 * Checks that matched no site share the budget `-`, which is the one hostile domains draw from.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../store/redisKeys.js';

const HOUR_MS = 3_600_000;

// grant min(wanted, cap - used) atomically, so workers racing for the last slots never overshoot
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.min(tonumber(ARGV[1]), math.max(0, tonumber(ARGV[2]) - used))
if grant > 0 then redis.call('INCRBY', KEYS[1], grant) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return grant`;

export interface FanoutGrant {
  /** the hosts that may be enqueued, in the order given */
  granted: string[];
  /** hosts dropped: past the per-check cap, or past the site's hourly budget */
  droppedPerCheck: number;
  droppedPerSiteHour: number;
}

export async function takeFanoutBudget(
  redis: Redis,
  keys: RedisKeys,
  site: string | null,
  hosts: readonly string[],
  limits: { fanoutPerCheck: number; fanoutPerSiteHour: number },
  now: number,
): Promise<FanoutGrant> {
  const unique = [...new Set(hosts)];
  const wanted = unique.slice(0, limits.fanoutPerCheck);
  const droppedPerCheck = unique.length - wanted.length;
  if (wanted.length === 0) return { granted: [], droppedPerCheck, droppedPerSiteHour: 0 };
  const hour = Math.floor(now / HOUR_MS);
  const key = keys.fanout(site ?? '-', hour);
  const grant = Number(await redis.eval(TAKE, 1, key, wanted.length, limits.fanoutPerSiteHour, 2 * HOUR_MS));
  return { granted: wanted.slice(0, grant), droppedPerCheck, droppedPerSiteHour: wanted.length - grant };
}
