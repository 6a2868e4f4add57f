import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { Settings } from '../../src/config/settings.js';
import { dnsServerResolver } from '../../src/crawler/hostResolution.js';
import { createCheckQueue, type CheckJobData, type CheckQueue } from '../../src/queue/checkQueue.js';
import { DISCOVERY_JOB } from '../../src/queue/discoveryQueue.js';
import { nameResolverOf, startDiscoveryWorker, type DiscoveryWorker } from '../../src/queue/discoveryWorker.js';
import { createKnowledgeSource } from '../../src/queue/knowledgeSource.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { closeRedis, connectRedis } from '../../src/store/redisConnection.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { startDnsServer, type DnsServer } from '../world/dnsServer.js';
import { worldHistory } from '../world/discoveryHistory.js';
import { dropPrefix, testSettings, waitFor } from './queueHarness.js';

/**
 * The discovery queue on a real Redis with a real DNS server on loopback: what a trigger or the
 * schedule proposes, which of it is enqueued for checking, and with which source and reason.
 */
describe('discovery jobs', () => {
  let dns: DnsServer;
  const open: Array<{ discovery: DiscoveryWorker; checkQueue: CheckQueue; redis: Redis; settings: Settings }> = [];

  beforeAll(async () => {
    dns = await startDnsServer({
      records: {
        'watch-harbortorrents.site': ['127.0.0.1'],
        'harbortorrents.lol': ['127.0.0.1'],
        'harbortorrents.unblockharbor.io': ['127.0.0.1'],
        // a registrar that answers every name: the generator's names under it are not live
        '*.unblockharbor.net': ['127.0.0.9'],
        'harbortorrentsfree.info': ['127.0.0.1'],
        'harbortorrents-hd.info': ['127.0.0.1'],
      },
    });
  });
  afterEach(async () => {
    for (const { discovery, checkQueue, redis, settings } of open.splice(0)) {
      await discovery.close();
      await checkQueue.close();
      await closeRedis(redis);
      await dropPrefix(settings);
    }
  });
  afterAll(async () => {
    await dns.close();
  });

  async function start(overrides: Parameters<typeof testSettings>[0] = {}) {
    const settings = testSettings({ discoveryIntervalMs: 0, ...overrides });
    const keys = redisKeys(settings.keyPrefix);
    const redis = connectRedis(settings.redisUrl);
    const store = new CheckStore(redis, keys);
    const checkQueue = createCheckQueue(redis, keys, settings);
    const discovery = await startDiscoveryWorker({
      settings, redis, keys, store, checkQueue,
      knowledge: createKnowledgeSource({ fileHistory: worldHistory(), clock: () => Date.parse('2026-12-01T00:00:00Z') }),
      resolver: nameResolverOf(dnsServerResolver([`${dns.host}:${dns.port}`], { timeoutMs: 1000, tries: 1 })),
    });
    open.push({ discovery, checkQueue, redis, settings });
    return { discovery, checkQueue, store };
  }

  async function finished(discovery: DiscoveryWorker, count: number) {
    await waitFor(`${count} discovery jobs`, async () => ((await discovery.queue.getJobCounts("completed")).completed ?? 0) >= count);
    const done = await discovery.queue.getJobs(['completed'], 0, 100);
    return done.map((j) => j.returnvalue);
  }

  async function checkJobs(queue: CheckQueue): Promise<CheckJobData[]> {
    const jobs = await queue.getJobs(['wait', 'delayed', 'prioritized', 'active'], 0, 1000);
    return jobs.map((j) => j.data as CheckJobData).sort((a, b) => (a.domain < b.domain ? -1 : 1));
  }

  it('a link trigger enqueues only live, unknown, proposable hosts carrying a brand, with its source and reason', async () => {
    const { discovery, checkQueue } = await start();
    const outcome = await discovery.trigger({
      kind: 'link',
      from: 'harbortorrents.lol',
      site: 'harbor',
      hosts: ['169.254.169.254', 'metadata.google.internal', 'localhost', 'watch-harbortorrents.site', 'harbortorrents.org', 'gone-harbortorrents.site', 'bakery.com'],
    });
    expect(outcome).toBe('added');
    const [result] = await finished(discovery, 1);
    expect(result).toMatchObject({ kind: 'link', live: 1, enqueued: 1 });
    const jobs = await checkJobs(checkQueue);
    expect(jobs.map((j) => j.domain)).toEqual(['watch-harbortorrents.site']);
    expect(jobs[0]).toMatchObject({ source: 'discovery:link' });
    expect(jobs[0]!.reason).toMatch(/linked from harbortorrents\.lol/);
  });

  it('the scheduled run enqueues the generated names that are live, not a wildcard\'s, and not again', async () => {
    const { discovery, checkQueue } = await start({ discoveryBudget: 200 });
    await discovery.queue.add(DISCOVERY_JOB.generate, { kind: 'schedule' });
    const [first] = await finished(discovery, 1);
    expect(first).toMatchObject({ kind: 'schedule', proposed: 200, enqueued: 2 });
    const jobs = await checkJobs(checkQueue);
    expect(jobs.map((j) => j.domain)).toEqual(['harbortorrents.lol', 'harbortorrents.unblockharbor.io']);
    expect(jobs.map((j) => j.source)).toEqual(['discovery:schedule', 'discovery:schedule']);
    expect(jobs[1]!.reason).toMatch(/^proxy-hop: /);

    await discovery.queue.add(DISCOVERY_JOB.generate, { kind: 'schedule' });
    const results = await finished(discovery, 2);
    expect(results.map((r) => r.enqueued).sort()).toEqual([0, 2]);
  });

  it('a trigger kind spends at most its hourly budget, across jobs', async () => {
    const { discovery, checkQueue } = await start({ discoveryTriggerPerHour: 1 });
    await discovery.trigger({ kind: 'ct', from: 'ct', hosts: ['harbortorrentsfree.info', 'harbortorrents-hd.info', 'bakery.com'] });
    const [result] = await finished(discovery, 1);
    expect(result).toMatchObject({ kind: 'ct', proposed: 2, fresh: 2, overBudget: 1, enqueued: 1 });
    expect((await checkJobs(checkQueue)).map((j) => j.source)).toEqual(['discovery:ct']);
  });

  it('a full discovery queue drops new triggers and counts them', async () => {
    const { discovery } = await start({ discoveryQueueMax: 10 });
    await discovery.worker.pause();
    for (let i = 0; i < 12; i++) await discovery.trigger({ kind: 'ct', from: 'ct', hosts: [`harbortorrents${i}.info`] });
    expect(await discovery.queue.getWaitingCount()).toBe(10);
    expect(discovery.dropped()).toBe(2);
  });
});
