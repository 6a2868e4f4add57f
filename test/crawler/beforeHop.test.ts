/**
 * The crawler's per-hop hook (`beforeHop`): called before the first request and before each
 * redirect followed, with the fetch's signal; a hook that waits delays the hop; an abort while it
 * waits ends the fetch as aborted without contacting the next host; a hook's own failure rejects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCrawler, type Crawler } from '../../src/crawler/index.js';
import { startManyHosts, type ManyHostsWorld } from '../world/manyHosts.js';

describe('crawler beforeHop', () => {
  let world: ManyHostsWorld;
  let crawler: Crawler;

  beforeAll(async () => {
    world = await startManyHosts();
    crawler = createCrawler(world.crawlerOptions({ totalTimeoutMs: 5000 }));
  });
  afterAll(async () => {
    await crawler.close();
    await world.close();
  });

  it('is called before every hop, in order, and a waiting hook delays the hop', async () => {
    const moved = world.domain('moved', 'hook');
    const target = world.domain('mirror', 'hook');
    const calls: Array<{ url: string; index: number; at: number }> = [];
    const record = await crawler.fetch(`https://${moved}/`, {
      beforeHop: async (url, hop) => {
        calls.push({ url: url.href, index: hop.index, at: Date.now() });
        if (hop.index > 0) await sleep(300, undefined, { signal: hop.signal });
      },
    });
    expect(record.status).toBe(200);
    expect(calls.map((c) => [c.url, c.index])).toEqual([
      [`https://${moved}/`, 0],
      [`https://${target}/`, 1],
    ]);
    // the target was contacted only after the hook let it through
    const reached = world.requestTimes().get(target)?.[0];
    expect(reached).toBeDefined();
    expect(reached! - calls[1]!.at).toBeGreaterThanOrEqual(295);
  });

  it('an abort while the hook waits ends the fetch as aborted; the next host is never contacted', async () => {
    const moved = world.domain('moved', 'hookabort');
    const target = world.domain('mirror', 'hookabort');
    const controller = new AbortController();
    const record = await crawler.fetch(`https://${moved}/`, {
      signal: controller.signal,
      beforeHop: async (_url, hop) => {
        if (hop.index === 0) return;
        setTimeout(() => controller.abort(), 50);
        await sleep(10_000, undefined, { signal: hop.signal });
      },
    });
    expect(record.error?.code).toBe('CRAWL_ABORTED');
    expect(record.redirects).toHaveLength(1);
    expect(world.requestTimes().has(target)).toBe(false);
  });

  it('time spent in the hook does not count against the fetch deadline', async () => {
    const short = createCrawler(world.crawlerOptions({ totalTimeoutMs: 1000 }));
    try {
      const moved = world.domain('moved', 'hookdeadline');
      // the hook waits longer than the whole deadline before the redirect hop
      const record = await short.fetch(`https://${moved}/`, {
        beforeHop: async (_url, hop) => {
          if (hop.index > 0) await sleep(1500, undefined, { signal: hop.signal });
        },
      });
      expect(record.error).toBeNull();
      expect(record.status).toBe(200);
      expect(record.redirects).toHaveLength(1);
    } finally {
      await short.close();
    }
  });

  it("a hook's own failure rejects the fetch", async () => {
    const plain = world.domain('plain', 'hookfail');
    await expect(crawler.fetch(`https://${plain}/`, { beforeHop: async () => Promise.reject(new Error('lease store down')) })).rejects.toThrow('lease store down');
    expect(world.requestTimes().has(plain)).toBe(false);
  });
});
