/**
 * Where `--known` histories come from: files ("DATE DOMAIN [SITE]" lines), or `redis:`, the
 * sites' known domains the fleet keeps in Redis (REDIS_URL, HOPWATCH_KEY_PREFIX), which grow with
 * every confirmation in review and every redirect target of a confirmed mirror.
 */
import { fleetSettings } from '../config/commandSettings.js';
import type { HistoryEntry } from '../discovery/types.js';
import { checkRedisServer, closeRedis, connectRedis } from '../store/redisConnection.js';
import { redisKeys } from '../store/redisKeys.js';
import { SiteDomains } from '../store/siteDomains.js';
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
    entries.push(...(await new SiteDomains(redis, redisKeys(settings.keyPrefix)).history()));
  } finally {
    await closeRedis(redis);
  }
  return entries;
}
