import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { CheckStore } from '../../src/store/checkStore.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { matchRecord } from '../feed/reviewHarness.js';
import { startPrivateRedis, type PrivateRedis } from '../queue/privateRedis.js';

describe('decisions survive a Redis crash with AOF', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await startPrivateRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  });
  afterAll(async () => {
    await server.close();
  });

  it('SIGKILL and restart: the chain, the states and the confirmed domains are all still there', async () => {
    const keys = redisKeys('aof');
    let redis = new Redis(server.url);
    const checks = new CheckStore(redis, keys);
    const ids: string[] = [];
    for (const domain of ['harbor-a.test', 'harbor-b.test']) ids.push((await checks.recordCheck(matchRecord({ domain, site: 'harbor' }))).feedId!);
    const store = new ReviewStore(redis, keys);
    const ctx = { manifest: null, sha256: null, addresses: ['5.9.10.13'] };
    await store.appendDecision({ matchId: ids[0]!, domain: 'harbor-a.test', site: 'harbor', decision: 'confirm', reason: 'same template', reviewer: 'alice', at: new Date().toISOString() }, ctx);
    await store.appendDecision({ matchId: ids[1]!, domain: 'harbor-b.test', site: 'harbor', decision: 'reject', reason: 'unrelated', reviewer: 'bob', at: new Date().toISOString() }, ctx);
    const before = await store.verifyAudit();
    redis.disconnect();

    await server.kill();
    await server.restart();

    redis = new Redis(server.url);
    try {
      const after = new ReviewStore(redis, keys);
      const report = await after.verifyAudit();
      expect(report).toMatchObject({ ok: true, entries: 2 });
      expect(report.head).toEqual(before.head);
      expect(await after.state(ids[0]!)).toBe('confirmed');
      expect(await after.state(ids[1]!)).toBe('rejected');
      expect((await after.confirmedDomains('harbor')).map((d) => d.domain)).toEqual(['harbor-a.test']);
      // and the chain goes on from where it was
      const next = await after.appendDecision({ matchId: ids[1]!, domain: 'harbor-b.test', site: 'harbor', decision: 'needs-more', reason: 'second look', reviewer: 'alice', at: new Date().toISOString() }, ctx);
      expect(next.prevHash).toBe(before.head.hash);
    } finally {
      redis.disconnect();
    }
  });
});
