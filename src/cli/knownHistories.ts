/**
 * Where `--known` histories come from: files ("DATE DOMAIN [SITE]" lines), or `redis:`, the
 * history the fleet keeps in Redis (REDIS_URL, HOPWATCH_KEY_PREFIX): the domains confirmed in
 * review and the sites' known domains (redirect targets of confirmed mirrors, imports).
 */
import { fleetSettings } from '../config/commandSettings.js';
import type { HistoryEntry } from '../discovery/types.js';
import { checkRedisServer, closeRedis, connectRedis } from '../store/redisConnection.js';
import { redisKeys } from '../store/redisKeys.js';
import { grownHistory } from '../store/grownHistory.js';
import { readHistories } from './commands/candidates.js';

export const REDIS_HISTORY = 'redis:';

export async function readKnownHistories(sources: readonly string[], env: NodeJS.ProcessEnv): Promise<HistoryEntry[]> {
  const files = sources.filter((s) => s !== REDIS_HISTORY);
  const entries = await readHistories(files);
  if (files.length === sources.length) return entries;
  const settings = fleetSettings(env);
  const redis = connectRedis(settings.redisUrl);
  try {
    await checkRedisServer(redis, settings.redisUrl);
    // one push per entry: spreading a long history overflows the call stack (125,000+ arguments)
    for (const entry of await grownHistory(redis, redisKeys(settings.keyPrefix)).history()) entries.push(entry);
  } finally {
    await closeRedis(redis);
  }
  return entries;
}
