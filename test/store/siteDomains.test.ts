import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { DomainCheckResult } from '../../src/check/checkDomain.js';
import type { Settings } from '../../src/config/settings.js';
import { learnKnowledge } from '../../src/discovery/knowledge.js';
import { createCheckQueue } from '../../src/queue/checkQueue.js';
import { nameResolverOf, startDiscoveryWorker } from '../../src/queue/discoveryWorker.js';
import { createKnowledgeSource } from '../../src/queue/knowledgeSource.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { closeRedis, connectRedis } from '../../src/store/redisConnection.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { SiteDomains } from '../../src/store/siteDomains.js';
import { grownHistory } from '../../src/store/grownHistory.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { runCli } from '../cli/cliHarness.js';
import { dropPrefix, testSettings } from '../queue/queueHarness.js';

describe('site domains in Redis: the histories that grow', () => {
  const open: Array<{ redis: Redis; settings: Settings }> = [];
  afterEach(async () => {
    for (const { redis, settings } of open.splice(0)) {
      await closeRedis(redis);
      await dropPrefix(settings);
    }
  });
  function start(limits?: { maxDomainsPerSite: number; maxSites: number }) {
    const settings = testSettings();
    const redis = connectRedis(settings.redisUrl);
    open.push({ redis, settings });
    const keys = redisKeys(settings.keyPrefix);
    return { settings, redis, keys, siteDomains: new SiteDomains(redis, keys, limits) };
  }

  it('a confirmed domain and its redirect targets join the site history once, with their first date', async () => {
    const { siteDomains } = start();
    const v0 = await siteDomains.version();
    expect(await siteDomains.addConfirmed('harbor', 'HarborTorrents.lol', '2026-11-30', ['https://harbortorrents.bond/', 'http://10.0.0.1/', 'harbortorrents.lol'])).toEqual(['added', 'added']);
    expect(await siteDomains.addKnownDomain('harbor', 'harbortorrents.lol', '2026-12-01', 'review')).toBe('known');
    expect(await siteDomains.version()).not.toBe(v0);
    const history = await siteDomains.history();
    expect(history.map(({ date, domain, site }) => `${date} ${domain} ${site}`)).toEqual(['2026-11-30 harbortorrents.bond harbor', '2026-11-30 harbortorrents.lol harbor']);
    expect(learnKnowledge(history).known.has('harbortorrents.bond')).toBe(true);
  });

  it('addresses, local-only names and bad dates are refused with a clear error; a full site refuses more', async () => {
    const { siteDomains } = start({ maxDomainsPerSite: 1, maxSites: 10 });
    for (const bad of ['169.254.169.254', 'metadata.google.internal', 'localhost', 'not a host']) {
      await expect(siteDomains.addKnownDomain('harbor', bad, '2026-12-01', 'review')).rejects.toMatchObject({ code: 'STORE_BAD_KNOWN_DOMAIN' });
    }
    await expect(siteDomains.addKnownDomain('harbor', 'harbortorrents.lol', '1 Dec', 'review')).rejects.toMatchObject({ code: 'STORE_BAD_KNOWN_DOMAIN' });
    expect(await siteDomains.addKnownDomain('harbor', 'harbortorrents.lol', '2026-12-01', 'review')).toBe('added');
    expect(await siteDomains.addKnownDomain('harbor', 'harbortorrents.bond', '2026-12-01', 'review')).toBe('full');
  });

  it('a confirmed mirror that now redirects adds where it went to the site history', async () => {
    const { settings, redis, keys, siteDomains } = start();
    await siteDomains.addKnownDomain('harbor', 'harbortorrents.lol', '2026-11-01', 'review');
    const grown = grownHistory(redis, keys, siteDomains);
    const checkQueue = createCheckQueue(redis, keys, settings);
    const discovery = await startDiscoveryWorker({
      settings: { ...settings, discoveryIntervalMs: 0 }, redis, keys, store: new CheckStore(redis, keys), checkQueue, grownHistory: grown,
      knowledge: createKnowledgeSource({ fileHistory: [], storedHistory: grown }),
      resolver: nameResolverOf(async () => ['127.0.0.1']),
      clock: () => Date.parse('2026-12-01T12:00:00Z'),
    });
    try {
      const result = {
        verdict: 'mirror', site: 'harbor', redirectHosts: ['harbortorrents.bond'], linkedHosts: [],
        fetch: { finalUrl: 'https://harbortorrents.bond/', tls: null },
      } as unknown as DomainCheckResult;
      await discovery.onChecked({ domain: 'harbortorrents.lol', source: 'recheck-mirror', result, newFeedEntry: false });
      expect((await siteDomains.domains('harbor')).map((d) => [d.domain, d.date, d.source])).toEqual([
        ['harbortorrents.lol', '2026-11-01', 'review'],
        ['harbortorrents.bond', '2026-12-01', 'redirect-of-confirmed'],
      ]);
    } finally {
      await discovery.close();
      await checkQueue.close();
    }
  });

  it('a domain confirmed in review joins the history discovery learns from, dated by its confirmation', async () => {
    const { redis, keys, siteDomains } = start();
    const grown = grownHistory(redis, keys, siteDomains);
    const v0 = await grown.version();
    await new ReviewStore(redis, keys).appendDecision(
      { matchId: '1-0', domain: 'harbortorrents.bond', site: 'harbor', decision: 'confirm', reason: 'same page', reviewer: 'cli:test', at: '2026-11-29T10:00:00.000Z' },
      { manifest: null, sha256: null, addresses: [] },
    );
    expect(await grown.version()).not.toBe(v0);
    expect((await grown.history()).map(({ date, domain, site }) => `${date} ${domain} ${site}`)).toEqual(['2026-11-29 harbortorrents.bond harbor']);
    expect(await grown.isSitesDomain('harbor', 'harbortorrents.bond')).toBe(true);
    const knowledge = await createKnowledgeSource({ fileHistory: [], storedHistory: grown }).current();
    expect(knowledge?.known.has('harbortorrents.bond')).toBe(true);
  });

  it('`hopwatch candidates --known redis:` learns from the history in Redis', async () => {
    const { settings, siteDomains } = start();
    await siteDomains.addKnownDomain('harbor', 'harbortorrents.org', '2025-01-01', 'import');
    await siteDomains.addKnownDomain('harbor', 'harbortorrents.net', '2025-06-01', 'review');
    const env = { REDIS_URL: settings.redisUrl, HOPWATCH_KEY_PREFIX: settings.keyPrefix };
    const { code, stdout, stderr } = await runCli(['candidates', '--known', 'redis:', '--budget', '5', '--json'], '', env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { domain: string; site: string });
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => l.site === 'harbor' && l.domain.startsWith('harbortorrents.'))).toBe(true);
    expect(lines.map((l) => l.domain)).not.toContain('harbortorrents.org');
  });
});
