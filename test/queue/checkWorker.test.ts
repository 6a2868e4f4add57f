import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/settings.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { startCheckWorker, type CheckWorker } from '../../src/queue/checkWorker.js';
import type { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { startManyHosts, smallestHostGapMs, type ManyHostsWorld } from '../world/manyHosts.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { runCli } from '../cli/cliHarness.js';
import { dropPrefix, testSettings, waitFor } from './queueHarness.js';

describe('check worker on BullMQ against the many-hosts world', () => {
  let world: ManyHostsWorld;
  let index: ReferenceIndex;
  let running: Array<{ worker: CheckWorker; settings: Settings }> = [];

  beforeAll(async () => {
    world = await startManyHosts({ flakyFailures: 2 });
    index = buildWorldReferenceIndex();
  });
  afterEach(async () => {
    for (const { worker, settings } of running) {
      await worker.close();
      await dropPrefix(settings);
    }
    running = [];
  });
  afterAll(async () => {
    await world.close();
  });

  async function start(overrides: Parameters<typeof testSettings>[0] = {}): Promise<CheckWorker> {
    const settings = testSettings(overrides);
    const worker = await startCheckWorker({ settings, index, domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 3000 }), maxProbePaths: 0 }, schedulers: false });
    running.push({ worker, settings });
    return worker;
  }

  const settled = (w: CheckWorker) => async () => {
    const c = await w.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((sum, n) => sum + n, 0) === 0;
  };

  it('a domain enqueued many times within the dedupe window is checked once, with one feed entry', async () => {
    const w = await start();
    const mirror = world.domain('mirror', 'dedupe');
    const outcome = await enqueueDomains(w.queue, w.store, w.settings, [mirror, mirror.toUpperCase(), `https://${mirror}/x`, mirror], 'manual');
    expect(outcome).toMatchObject({ submitted: 4, distinct: 1, invalid: [] });
    await enqueueDomains(w.queue, w.store, w.settings, [mirror, `${mirror}.`], 'manual');
    const candidate = await waitFor('the check', async () => {
      const c = await w.store.candidate(mirror);
      return c?.state === 'checked' ? c : null;
    });
    await waitFor('the queue to drain', settled(w));
    expect(candidate).toMatchObject({ verdict: 'mirror', site: 'harbor', liveness: 'alive', checks: 1 });
    expect((await w.store.feed()).map((e) => e.fields.domain)).toEqual([mirror]);
    expect(world.requestTimes().get(mirror)?.length).toBe(1);
  });

  it('NXDOMAIN is a result at once (no retry), recorded as dead; the job completes, it did not fail', async () => {
    const w = await start();
    const gone = world.domain('gone', 'nx');
    await enqueueDomains(w.queue, w.store, w.settings, [gone], 'manual');
    const done = await waitFor('the job to complete', async () => (await w.queue.getCompleted())[0]);
    expect(done.attemptsMade).toBe(1);
    expect(done.returnvalue).toMatchObject({ verdict: 'inconclusive', errorCode: 'CRAWL_DNS_NXDOMAIN' });
    expect(await w.queue.getFailedCount()).toBe(0);
    // status counts it as a check done now, not as a failure, and not only once the minute is over
    const status = await runCli(['status', '--json'], '', { REDIS_URL: w.settings.redisUrl, HOPWATCH_KEY_PREFIX: w.settings.keyPrefix });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ checks: { lastMinute: 1, lastHour: 1 }, failures: { lastMinute: 0 }, jobs: { failed: 0, completed: 1 } });
    expect(await w.store.candidate(gone)).toMatchObject({ verdict: 'inconclusive', liveness: 'dead', errorCode: 'CRAWL_DNS_NXDOMAIN', checks: 1 });
  });

  it('a passing fault is retried with backoff and then succeeds', async () => {
    const w = await start({ checkAttempts: 3 });
    const flaky = world.domain('flaky', 'retry');
    await enqueueDomains(w.queue, w.store, w.settings, [flaky], 'manual');
    const candidate = await waitFor('the retried check', async () => {
      const c = await w.store.candidate(flaky);
      return c?.state === 'checked' ? c : null;
    });
    expect(candidate).toMatchObject({ verdict: 'mirror', checks: 1 });
    const done = await waitFor('the completed job', async () => (await w.queue.getCompleted())[0]);
    expect(done.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(await w.store.history(flaky)).toHaveLength(1);
  });

  it('a host that never answers fails after the configured attempts, recorded once', async () => {
    const w = await start({ checkAttempts: 2 });
    const down = world.domain('down', 'always');
    await enqueueDomains(w.queue, w.store, w.settings, [down], 'manual');
    const failed = await waitFor('the job to fail', async () => (await w.queue.getFailed())[0]);
    expect(failed.attemptsMade).toBe(2);
    const status = await runCli(['status'], '', { REDIS_URL: w.settings.redisUrl, HOPWATCH_KEY_PREFIX: w.settings.keyPrefix });
    // the attempt count is said once
    expect(status.stdout).toMatch(/failed +\S+: CRAWL_CONNECTION_RESET: .*\(2 attempts\)$/m);
    expect(status.stdout).not.toContain('(after');
    expect(await w.store.candidate(down)).toMatchObject({ verdict: 'inconclusive', errorCode: 'CRAWL_CONNECTION_RESET', checks: 1 });
  });

  it('checks of one host are spaced by the politeness delay across workers', async () => {
    const delay = 400;
    const first = await start({ dedupeWindowMs: 0, politenessDelayMs: delay });
    const settings = first.settings;
    // a second worker on the same prefix: the lease is in Redis, not in a process
    const second = await startCheckWorker({ settings, index, domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 3000 }), maxProbePaths: 0 }, schedulers: false });
    running.push({ worker: second, settings });
    const host = world.domain('plain', 'polite');
    await enqueueDomains(first.queue, first.store, settings, [host], 'manual');
    await enqueueDomains(first.queue, first.store, settings, [host], 'manual');
    await enqueueDomains(first.queue, first.store, settings, [host], 'manual');
    await waitFor('three checks', async () => ((await first.store.candidate(host))?.checks ?? 0) >= 3);
    const times = world.requestTimes().get(host) ?? [];
    expect(times).toHaveLength(3);
    expect(smallestHostGapMs(new Map([[host, times]]), 0)).toBeGreaterThanOrEqual(delay - 5);
  });

  it('a redirect to a new domain becomes a new candidate, checked in turn', async () => {
    const w = await start();
    const moved = world.domain('moved', 'hop');
    await enqueueDomains(w.queue, w.store, w.settings, [moved], 'manual');
    const target = world.domain('mirror', 'hop');
    const candidate = await waitFor('the redirect target to be checked', async () => {
      const c = await w.store.candidate(target);
      return c?.state === 'checked' ? c : null;
    });
    expect(candidate).toMatchObject({ source: 'redirect', verdict: 'mirror' });
  });

  it('the same page checked again adds no feed entry; a dead mirror coming back is recorded', async () => {
    const w = await start({ dedupeWindowMs: 0 });
    const settings = w.settings;
    const mirror = world.domain('mirror', 'again');
    await enqueueDomains(w.queue, w.store, settings, [mirror], 'manual');
    await waitFor('first check', async () => ((await w.store.candidate(mirror))?.checks ?? 0) >= 1);
    await enqueueDomains(w.queue, w.store, settings, [mirror], 'recheck-mirror');
    await waitFor('second check', async () => ((await w.store.candidate(mirror))?.checks ?? 0) >= 2);
    expect(await w.store.feed()).toHaveLength(1);

    // the mirror's DNS disappears, then comes back
    world.dns.set(`*.mirror.many.test`, []);
    await enqueueDomains(w.queue, w.store, settings, [mirror], 'recheck-mirror');
    await waitFor('the dead check', async () => (await w.store.candidate(mirror))?.liveness === 'dead');
    world.dns.set(`*.mirror.many.test`, ['127.0.0.1']);
    await enqueueDomains(w.queue, w.store, settings, [mirror], 'recheck-mirror');
    await waitFor('the alive check', async () => (await w.store.candidate(mirror))?.liveness === 'alive');
    const changes = (await w.store.livenessChanges()).map((e) => `${e.fields.from}->${e.fields.to}`);
    expect(changes).toEqual(['dead->alive', 'alive->dead']);
    expect(await w.store.feed()).toHaveLength(1);
  });
});

