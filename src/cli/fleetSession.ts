/**
 * What a short fleet command (queue, domain) opens and closes: settings (`--config`, environment),
 * one Redis connection checked like a worker's (STORE_REDIS_UNAVAILABLE within 5 s, eviction
 * policy refused), the check queue and the store. Always closed, whatever the command does.
 */
import type { Redis } from 'ioredis';
import { commandSettings } from '../config/commandSettings.js';
import type { Settings } from '../config/settings.js';
import { createCheckQueue, type CheckQueue } from '../queue/checkQueue.js';
import { CheckStore, STORE_LIMIT_DEFAULTS } from '../store/checkStore.js';
import { checkRedisServer, closeRedis, connectRedis } from '../store/redisConnection.js';
import { redisKeys, type RedisKeys } from '../store/redisKeys.js';
import { writeLine, type CliIo } from './io.js';

export interface FleetSession {
  settings: Settings;
  redis: Redis;
  keys: RedisKeys;
  queue: CheckQueue;
  store: CheckStore;
}

export async function withFleet<T>(io: CliIo, command: string, configFile: string | undefined, work: (session: FleetSession) => Promise<T>): Promise<T> {
  const settings = await commandSettings(io.env, { configFile, warn: (line) => writeLine(io.stderr, `hopwatch ${command}: ${line}`) });
  const keys = redisKeys(settings.keyPrefix);
  const redis = connectRedis(settings.redisUrl, { maxRetriesPerRequest: 3 });
  try {
    const server = await checkRedisServer(redis, settings.redisUrl);
    for (const warning of server.warnings) writeLine(io.stderr, `hopwatch ${command}: warning: ${warning}`);
    const queue = createCheckQueue(redis, keys, settings);
    try {
      return await work({ settings, redis, keys, queue, store: new CheckStore(redis, keys, STORE_LIMIT_DEFAULTS) });
    } finally {
      await queue.close();
    }
  } finally {
    await closeRedis(redis);
  }
}
