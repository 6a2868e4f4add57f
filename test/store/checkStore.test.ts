import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, maskRedisUrl } from '../../src/config/settings.js';
import { isHopwatchError } from '../../src/errors.js';
import { CheckStore, type CheckRecord } from '../../src/store/checkStore.js';
import { checkRedisServer } from '../../src/store/redisConnection.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { startPrivateRedis, type PrivateRedis } from '../queue/privateRedis.js';
import { dropPrefix, testSettings, TEST_REDIS_URL } from '../queue/queueHarness.js';

function record(overrides: Partial<CheckRecord> = {}): CheckRecord {
  return {
    domain: 'mirror.example', jobKey: 'check:1', checkedAt: 1_700_000_000_000, verdict: 'mirror', site: 'harbor', relation: 'mirror', score: 0.93,
    pageKind: 'ok', sha256: 'a'.repeat(64), status: 200, finalUrl: 'https://mirror.example/', errorCode: null, liveness: 'alive', source: 'manual',
    evidenceJson: '{"evidence":[]}', ...overrides,
  };
}

describe('check store', () => {
  const settings = testSettings();
  const redis = new Redis(TEST_REDIS_URL);
  const store = new CheckStore(redis, redisKeys(settings.keyPrefix), { historyPerCandidate: 3, livenessStreamMaxLen: 100, jobGuardTtlMs: 60_000, maxEvidenceBytes: 1000 });

  afterEach(async () => {
    await dropPrefix(settings);
  });
  afterAll(() => {
    redis.disconnect();
  });

  it('every key is under the hash-tagged prefix (one Cluster slot)', () => {
    const keys = redisKeys('hw');
    for (const key of [keys.candidate('a.test'), keys.history('a.test'), keys.candidates, keys.mirrors, keys.matchGuard('a.test', 'x'), keys.feed, keys.unreviewed, keys.liveness, keys.hostLease('a.test')]) {
      expect(key.startsWith('{hw}:')).toBe(true);
    }
    expect(keys.bullPrefix).toBe('{hw}');
  });

  it('the same domain and page make one feed entry, however many jobs record them', async () => {
    const first = await store.recordCheck(record({ jobKey: 'check:1' }));
    const again = await store.recordCheck(record({ jobKey: 'check:2', checkedAt: 1_700_000_100_000 }));
    const otherPage = await store.recordCheck(record({ jobKey: 'check:3', sha256: 'b'.repeat(64) }));
    expect(first.feedId).not.toBeNull();
    expect(again).toMatchObject({ recorded: true, feedId: null });
    expect(otherPage.feedId).not.toBeNull();
    expect((await store.feed()).map((e) => e.fields.sha256)).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
  });

  it('the same job recorded twice (re-run after its worker died) changes nothing the second time', async () => {
    await store.recordCheck(record({ jobKey: 'check:7' }));
    const second = await store.recordCheck(record({ jobKey: 'check:7', sha256: 'c'.repeat(64) }));
    expect(second).toEqual({ recorded: false, feedId: null, transition: null });
    expect(await store.candidate('mirror.example')).toMatchObject({ checks: 1, sha256: 'a'.repeat(64) });
  });

  it('history is capped; liveness changes are recorded once per change', async () => {
    for (const [i, liveness] of (['alive', 'alive', 'dead', 'dead', 'alive'] as const).entries()) {
      await store.recordCheck(record({ jobKey: `check:h${i}`, liveness, verdict: liveness === 'dead' ? 'inconclusive' : 'mirror' }));
    }
    expect(await store.history('mirror.example')).toHaveLength(3);
    expect((await store.livenessChanges()).map((e) => `${e.fields.from}->${e.fields.to}`)).toEqual(['dead->alive', 'alive->dead']);
  });

  it('trimming the feed never drops an unreviewed entry', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const outcome = await store.recordCheck(record({ jobKey: `check:t${i}`, domain: `m${i}.example`, checkedAt: 1_700_000_000_000 + i }));
      ids.push(outcome.feedId!);
    }
    // entries 0, 1 and 3 reviewed; 2, 4, 5 not
    for (const i of [0, 1, 3]) await store.markReviewed(ids[i]!);
    await store.trimFeed(1);
    const left = (await store.feed()).map((e) => e.id);
    expect(left).toEqual(ids.slice(2));
    for (const i of [2, 4, 5]) await store.markReviewed(ids[i]!);
    await store.trimFeed(1);
    expect((await store.feed()).map((e) => e.id)).toEqual([ids[5]]);
  });
});

describe('redis server checks', () => {
  let lru: PrivateRedis;
  beforeAll(async () => {
    lru = await startPrivateRedis(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
  });
  afterAll(async () => {
    await lru.close();
  });

  it('refuses a Redis whose maxmemory-policy may evict keys, with STORE_REDIS_EVICTION_POLICY', async () => {
    const redis = new Redis(lru.url);
    try {
      const err = await checkRedisServer(redis, lru.url).catch((e: unknown) => e);
      expect(isHopwatchError(err) && err.code).toBe('STORE_REDIS_EVICTION_POLICY');
      expect(String((err as Error).message)).toContain('allkeys-lru');
    } finally {
      redis.disconnect();
    }
  });

  it('accepts noeviction and warns when persistence is off', async () => {
    const redis = new Redis(lru.url);
    try {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      const report = await checkRedisServer(redis, lru.url);
      expect(report.appendOnly).toBe(false);
      expect(report.warnings.join(' ')).toMatch(/appendonly yes/);
      await redis.config('SET', 'appendonly', 'yes');
      expect((await checkRedisServer(redis, lru.url)).warnings).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('settings', () => {
  it('one env var per field, validated once, frozen; the Redis password is masked', () => {
    const s = loadSettings({ REDIS_URL: 'redis://user:hunter2@redis.internal:6380/2', HOPWATCH_WORKER_CONCURRENCY: '3', HOPWATCH_POLITENESS_DELAY_MS: '' });
    expect(s).toMatchObject({ workerConcurrency: 3, politenessDelayMs: 2000 });
    expect(Object.isFrozen(s)).toBe(true);
    expect(maskRedisUrl(s.redisUrl)).toBe('redis://user:***@redis.internal:6380/2');
  });

  it('a bad value names its env var', () => {
    expect(() => loadSettings({ HOPWATCH_DEDUPE_WINDOW_MS: 'soon' })).toThrow(/HOPWATCH_DEDUPE_WINDOW_MS/);
    expect(() => loadSettings({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(() => loadSettings({ HOPWATCH_RECHECK_CRON: 'daily' })).toThrow(/HOPWATCH_RECHECK_CRON/);
  });
});
