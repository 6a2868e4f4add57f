import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckWorker, type CheckWorker } from '../../src/queue/checkWorker.js';
import { startCertstreamWorld, type CertstreamWorld } from '../world/certstream.js';
import { worldHistory } from '../world/discoveryHistory.js';
import { startWorld, type World } from '../world/world.js';
import { DISCOVERY_HOSTS, type DiscoveryRole } from '../world/worldHosts.js';
import { buildWorldReferenceIndex, WORLD_SITE_ID } from '../world/worldReferences.js';
import { dropPrefix, testSettings, waitFor } from './queueHarness.js';

/** The source each kind of new domain must be found by. */
const FOUND_BY: Record<DiscoveryRole, string> = {
  'new-tld': 'discovery:schedule',
  'proxy-new-base': 'discovery:schedule',
  'ct-only': 'discovery:ct',
  'link-only': 'discovery:link',
};

/**
 * The whole loop in the local world: a worker fleet (one worker, discovery on) learns the world
 * site's history, reads the world's CT stream, and with nobody calling enqueue, each kind of new
 * domain reaches the feed as a match with the source that found it.
 */
describe('discovery in the fleet, in the world', () => {
  let world: World;
  let ct: CertstreamWorld;
  let worker: CheckWorker | undefined;
  const settings = testSettings({ discoveryIntervalMs: 1000, discoveryBudget: 200, discoveryDnsConcurrency: 32, ctBatchMs: 100, workerConcurrency: 4 });

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
    ct = await startCertstreamWorld();
  });
  afterAll(async () => {
    await worker?.close();
    await dropPrefix(settings);
    await ct?.close();
    await world?.close();
  });

  it('a mirror on a new TLD, a brand on a proxy\'s new base TLD, a CT-only name and a linked-only name each reach the feed, with their source', async () => {
    worker = await startCheckWorker({
      settings: { ...settings, ctStreamUrl: ct.url },
      index: buildWorldReferenceIndex(),
      domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 5000 }), maxProbePaths: 0 },
      schedulers: false,
      discovery: { fileHistory: worldHistory() },
    });
    await waitFor('the CT stream connection', async () => ct.clients() === 1);
    const inFeed = (names: string[]) => async () => {
      const feed = await worker!.store.feed(1000);
      const seen = new Set(feed.map((e) => e.fields.domain));
      return names.every((n) => seen.has(n)) ? feed : null;
    };
    const ofRole = (...roles: DiscoveryRole[]) => DISCOVERY_HOSTS.filter((h) => roles.includes(h.discovery!)).map((h) => h.name);
    // the schedule first (a match it makes proposes more of the site's names: that is a source too)
    await waitFor('the generated names in the feed', inFeed(ofRole('new-tld', 'proxy-new-base')), 25_000, 100);
    // then a certificate for the CT-only name, among strangers' names
    ct.emit(['bakery-shop.example', 'harbortorrentsfree.info', 'www.harbortorrentsfree.info']);
    const entries = await waitFor('every discovery host in the feed', inFeed(DISCOVERY_HOSTS.map((h) => h.name)), 25_000, 100);

    for (const host of DISCOVERY_HOSTS) {
      const entry = entries.find((e) => e.fields.domain === host.name)!;
      expect({ domain: host.name, verdict: entry.fields.verdict, site: entry.fields.site, source: entry.fields.source })
        .toEqual({ domain: host.name, verdict: 'mirror', site: WORLD_SITE_ID, source: FOUND_BY[host.discovery!] });
      expect(entry.fields.reason).not.toBe('');
    }
    // nobody enqueued anything: every feed entry came from discovery
    expect(entries.every((e) => e.fields.source!.startsWith('discovery:'))).toBe(true);
    expect(world.internalHits()).toBe(0);
  });
});
