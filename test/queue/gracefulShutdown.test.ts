/**
 * Graceful shutdown past its deadline: a check still running when `shutdownTimeoutMs` runs out is
 * aborted and its job put back (delayed/waiting, unrecorded, no attempt spent), then another
 * worker finishes it: nothing lost, nothing doubled.
 */
import { describe, expect, it } from 'vitest';
import { createCheckQueue, enqueueDomains, type CheckJobData } from '../../src/queue/checkQueue.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { closeRedis, connectRedis } from '../../src/store/redisConnection.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { testSettings, waitFor, worldWorkers } from './queueHarness.js';

const SLOW_MS = 2000;
const SHUTDOWN_TIMEOUT_MS = 300;

describe('graceful shutdown', () => {
  const fixture = worldWorkers({ totalTimeoutMs: 10_000, world: { slowMs: SLOW_MS } });
  const { workers } = fixture;

  it('a check outliving the deadline is aborted, put back, and finished by another worker', async () => {
    const settings = testSettings({ shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS });
    const logged: Array<Record<string, unknown>> = [];
    const first = await workers.start(settings, { log: (e) => logged.push(e) });
    const slow = fixture.world.domain('slow', 'shutdown');
    await enqueueDomains(first.queue, first.store, settings, [slow], 'manual');
    await waitFor('the slow host contacted', async () => fixture.world.requestTimes().has(slow));

    const started = Date.now();
    await first.close();
    const took = Date.now() - started;
    // the deadline, not the slow page, ended the shutdown
    expect(took).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 20);
    expect(took).toBeLessThan(SLOW_MS);
    expect(logged.some((e) => e.level === 'warn' && String(e.msg).includes('aborting'))).toBe(true);

    // with no worker running, the job sits in the queue: put back, not lost, not recorded
    const redis = connectRedis(settings.redisUrl);
    const queue = createCheckQueue(redis, redisKeys(settings.keyPrefix), settings);
    let jobId: string;
    try {
      const jobs = await queue.getJobs(['delayed', 'wait', 'active', 'failed', 'completed']);
      expect(jobs).toHaveLength(1);
      const job = jobs[0]!;
      jobId = String(job.id);
      expect((job.data as CheckJobData).domain).toBe(slow);
      expect(['delayed', 'waiting']).toContain(await job.getState());
      expect(job.attemptsMade).toBe(0);
      expect(await new CheckStore(redis, redisKeys(settings.keyPrefix)).candidate(slow)).toMatchObject({ state: 'queued', checks: 0 });
    } finally {
      await queue.close();
      await closeRedis(redis);
    }

    const second = await workers.start(settings);
    const done = await waitFor('the job finished by the second worker', async () => (await second.queue.getCompleted()).find((j) => String(j.id) === jobId), 10_000);
    expect(done.returnvalue).toMatchObject({ domain: slow, verdict: 'mirror' });
    expect(await second.store.candidate(slow)).toMatchObject({ state: 'checked', verdict: 'mirror', checks: 1 });
    expect((await second.store.feed()).filter((e) => e.fields.domain === slow)).toHaveLength(1);
    expect(await second.queue.getFailedCount()).toBe(0);
    // the aborted request and the one that finished
    expect(fixture.world.requestTimes().get(slow)).toHaveLength(2);
  }, 15_000);
});
