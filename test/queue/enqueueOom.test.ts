import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckQueue, enqueueDomains } from '../../src/queue/checkQueue.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { isHopwatchError } from '../../src/errors.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';
import { testSettings } from './queueHarness.js';

describe('enqueue on a Redis that is out of memory', () => {
  let server: PrivateRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startPrivateRedis(['--maxmemory-policy', 'noeviction']);
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('gives STORE_REDIS_OOM with counts, and leaves no candidate without its job', async () => {
    const settings = testSettings({ redisUrl: server.url });
    const keys = redisKeys(settings.keyPrefix);
    const store = new CheckStore(redis, keys);
    const queue = createCheckQueue(redis, keys, settings);
    try {
      // the first batch fits; then memory is full
      const first = await enqueueDomains(queue, store, settings, ['a.example', 'b.example'], 'manual');
      expect(first.created).toBe(2);
      const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
      await redis.config('SET', 'maxmemory', String(used + 64 * 1024));
      await redis.set('filler', 'x'.repeat(256 * 1024)).catch(() => undefined);
      let caught: unknown;
      try {
        await enqueueDomains(queue, store, settings, Array.from({ length: 50 }, (_, i) => `n${i}.example`), 'manual');
      } catch (err) {
        caught = err;
      }
      expect(isHopwatchError(caught) && caught.code).toBe('STORE_REDIS_OOM');
      expect(isHopwatchError(caught) && caught.details).toMatchObject({ distinct: 50, queued: 0, created: 0, refused: 50 });
      // nothing half-done: no new candidate, no new job
      await redis.config('SET', 'maxmemory', '0');
      expect(await store.candidateCount()).toBe(2);
      expect(await queue.count()).toBe(2);
    } finally {
      await redis.config('SET', 'maxmemory', '0');
      await queue.close();
    }
  }, 30_000);
});
