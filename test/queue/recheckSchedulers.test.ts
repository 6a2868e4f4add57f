/**
 * The re-check job schedulers firing for real, on a 300 ms interval: confirmed mirrors and the
 * blocked site's known domains are checked again on schedule, a domain that dies (NXDOMAIN,
 * parked) is recorded as dead and as alive when it comes back, and a redirect found by a
 * re-check becomes a new candidate.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addReference } from '../../src/match/referenceSet.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { RECHECK_SCHEDULERS } from '../../src/queue/recheckSchedulers.js';
import { startManyHosts, type ManyHostsWorld } from '../world/manyHosts.js';
import { buildWorldReferenceSet, WORLD_SITE_ID } from '../world/worldReferences.js';
import { testSettings, waitFor, workerTracker } from './queueHarness.js';

const INTERVAL_MS = 300;

describe('re-check schedulers', () => {
  let world: ManyHostsWorld;
  let index: ReferenceIndex;
  let known: { alive: string; parked: string; moved: string };
  const workers = workerTracker(() => ({ index, domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 3000 }), maxProbePaths: 0 } }));

  beforeAll(async () => {
    world = await startManyHosts();
    known = { alive: world.domain('plain', 'known'), parked: world.domain('parked', 'known'), moved: world.domain('moved', 'known') };
    // the blocked site's known domains live in the reference set, as `refs add --domain` puts them
    const set = addReference(buildWorldReferenceSet(), { id: WORLD_SITE_ID, domains: Object.values(known).map((domain) => ({ domain, firstSeen: null })) }, null);
    index = ReferenceIndex.build(set);
  });
  afterEach(async () => {
    world.dns.set(`*.mirror.many.test`, ['127.0.0.1']);
    await workers.closeAll();
  });
  afterAll(async () => {
    await world.close();
  });

  it('re-checks mirrors and known domains on schedule; records death, return and redirects', async () => {
    // no dedupe window: each firing must reach the domains again
    const settings = testSettings({ recheckIntervalMs: INTERVAL_MS, dedupeWindowMs: 0 });
    const w = await workers.start(settings);
    expect(w.schedule).toEqual({ every: INTERVAL_MS });
    const schedulers = await w.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(RECHECK_SCHEDULERS.map((s) => s.id).sort());

    // a mirror confirmed by an ordinary check joins the re-checked set
    const mirror = world.domain('mirror', 'rechecked');
    await enqueueDomains(w.queue, w.store, settings, [mirror], 'manual');
    await waitFor('the mirror re-checked twice', async () => ((await w.store.candidate(mirror))?.checks ?? 0) >= 3, 10_000);
    const mirrorHistory = (await w.store.history(mirror)) as Array<{ verdict: string; job: string }>;
    expect(mirrorHistory.every((h) => h.verdict === 'mirror')).toBe(true);
    expect(new Set(mirrorHistory.map((h) => h.job)).size).toBe(mirrorHistory.length);

    // known domains: checked without anyone enqueueing them
    await waitFor('the alive known domain re-checked', async () => ((await w.store.candidate(known.alive))?.checks ?? 0) >= 2, 10_000);
    expect(await w.store.candidate(known.alive)).toMatchObject({ source: 'recheck-known', verdict: 'unrelated', liveness: 'alive' });
    expect(await waitFor('the parked known domain checked', async () => w.store.candidate(known.parked).then((c) => (c?.state === 'checked' ? c : null)))).toMatchObject({
      source: 'recheck-known',
      liveness: 'dead',
    });
    // the moved known domain redirects to a domain nobody submitted: a new candidate, checked in turn
    const target = world.domain('mirror', 'known');
    const redirected = await waitFor('the redirect target checked', async () => w.store.candidate(target).then((c) => (c?.state === 'checked' ? c : null)));
    expect(redirected).toMatchObject({ source: 'redirect', verdict: 'mirror' });

    // the mirror's zone disappears (NXDOMAIN): the next re-check records it dead ...
    world.dns.set(`*.mirror.many.test`, []);
    await waitFor('the mirror recorded dead', async () => (await w.store.candidate(mirror))?.liveness === 'dead', 10_000);
    expect(await w.store.candidate(mirror)).toMatchObject({ errorCode: 'CRAWL_DNS_NXDOMAIN' });
    // ... and, still in the mirror set, it is re-checked and recorded alive when it comes back
    world.dns.set(`*.mirror.many.test`, ['127.0.0.1']);
    await waitFor('the mirror recorded alive', async () => (await w.store.candidate(mirror))?.liveness === 'alive', 10_000);
    const changes = (await w.store.livenessChanges(1000)).filter((e) => e.fields.domain === mirror).map((e) => `${e.fields.from}->${e.fields.to}`);
    expect(changes).toEqual(['dead->alive', 'alive->dead']);
    // one page, one feed entry, however often it was re-checked
    expect((await w.store.feed(1000)).filter((e) => e.fields.domain === mirror)).toHaveLength(1);
  }, 30_000);
});
