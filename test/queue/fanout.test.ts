import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from '../../src/check/checkDomain.js';
import { harvestCandidates, hostsInText } from '../../src/discovery/harvest.js';
import { learnKnowledge } from '../../src/discovery/knowledge.js';
import { takeFanoutBudget } from '../../src/queue/fanoutBudget.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { fixtureHistory } from '../discovery/fixtures.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { dropPrefix, testSettings } from './queueHarness.js';

describe('fan-out from one check is bounded', () => {
  const settings = testSettings();
  const keys = redisKeys(settings.keyPrefix);
  let redis: Redis;
  let world: World;
  beforeAll(async () => {
    redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 });
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await world.close();
    redis.disconnect();
    await dropPrefix(settings);
  });

  it('per check at most fanoutPerCheck hosts, deduplicated; per site and hour at most fanoutPerSiteHour across calls', async () => {
    const limits = { fanoutPerCheck: 3, fanoutPerSiteHour: 5 };
    const now = Date.UTC(2026, 0, 1, 10, 30);
    const first = await takeFanoutBudget(redis, keys, null, ['a.test', 'b.test', 'a.test', 'c.test', 'd.test'], limits, now);
    expect(first).toEqual({ granted: ['a.test', 'b.test', 'c.test'], droppedPerCheck: 1, droppedPerSiteHour: 0 });
    const second = await takeFanoutBudget(redis, keys, null, ['e.test', 'f.test', 'g.test'], limits, now + 1000);
    expect(second).toEqual({ granted: ['e.test', 'f.test'], droppedPerCheck: 0, droppedPerSiteHour: 1 });
    const third = await takeFanoutBudget(redis, keys, null, ['h.test'], limits, now + 2000);
    expect(third.granted).toEqual([]);
    // another site has its own budget; the next hour starts afresh
    expect((await takeFanoutBudget(redis, keys, 'harbor', ['h.test'], limits, now)).granted).toEqual(['h.test']);
    expect((await takeFanoutBudget(redis, keys, null, ['h.test'], limits, now + 3_600_000)).granted).toEqual(['h.test']);
    expect(await redis.pttl(keys.fanout('-', Math.floor(now / 3_600_000)))).toBeGreaterThan(0);
  });

  it('a redirect to an address or a local-only name is never a candidate', async () => {
    const options = { crawler: world.crawlerOptions({ totalTimeoutMs: 3000 }), maxProbePaths: 0 };
    const index = buildWorldReferenceIndex();
    for (const host of ['to-loopback.hostile.test', 'to-decimal.hostile.test', 'to-v6.hostile.test', 'to-metadata.hostile.test']) {
      const result = await checkDomain(host, index, options);
      expect(result.error?.code).toBe('CRAWL_SSRF_BLOCKED');
      expect(result.redirectHosts).toEqual([]);
    }
    // a real move still is one
    expect((await checkDomain('old.test', index, options)).redirectHosts).toEqual(['mirror-one.test']);
  });

  it('harvest never proposes addresses, local-only or invalid names, from any source', () => {
    const knowledge = learnKnowledge(fixtureHistory());
    const candidates = harvestCandidates(
      {
        requestedUrl: 'https://old.example/',
        redirects: ['http://127.0.0.1/', 'http://[::1]/', 'http://2130706433/', 'http://metadata.google.internal/'],
        certificateSans: ['localhost', '10.0.0.1', 'printer.local', '*.bad'],
        text: 'our new domain is 192.168.0.1 and moved to 0x7f.0.0.1, now at router.home.arpa',
        linkedHosts: ['169.254.169.254'],
      },
      knowledge,
    );
    expect(candidates).toEqual([]);
    expect(hostsInText('see 10.0.0.1, a.b.c.example and x..y and -bad-.example', 10)).toEqual(['a.b.c.example']);
  });
});
