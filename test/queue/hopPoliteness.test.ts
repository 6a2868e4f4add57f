/**
 * Politeness per hop: a check whose redirect leads to a host another check has just contacted
 * waits for that host's lease before the hop, instead of reaching it at once and only leasing it
 * afterwards.
 */
import { describe, expect, it } from 'vitest';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { HostPoliteness } from '../../src/queue/hostPoliteness.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { queueSettled, testSettings, waitFor, worldWorkers } from './queueHarness.js';

const DELAY_MS = 600;

describe('politeness on redirect hops', () => {
  const fixture = worldWorkers({ totalTimeoutMs: 5000 });
  const { workers } = fixture;

  it('a redirect to a host leased by another check waits for the lease before the hop', async () => {
    const settings = testSettings({ politenessDelayMs: DELAY_MS, workerConcurrency: 4 });
    const w = await workers.start(settings);
    const target = fixture.world.domain('mirror', 'hop-polite');
    const moved = fixture.world.domain('moved', 'hop-polite');
    // both start at once: one check contacts the mirror directly, the other reaches it by redirect
    await enqueueDomains(w.queue, w.store, settings, [target, moved], 'manual');
    await waitFor('both checked', async () => (await w.store.candidate(target))?.state === 'checked' && (await w.store.candidate(moved))?.state === 'checked', 10_000);
    await waitFor('the queue to drain', async () => queueSettled(w));

    const times = [...(fixture.world.requestTimes().get(target) ?? [])].sort((a, b) => a - b);
    // the direct check and the redirect hop; the redirect's own candidate is deduped against the first
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(DELAY_MS - 10);
    expect(await w.store.candidate(moved)).toMatchObject({ verdict: 'mirror' });
    expect(await w.queue.getFailedCount()).toBe(0);
  });

  it('a check that cannot get its redirect target in time goes back to the queue unrecorded, then checks it', async () => {
    const settings = testSettings({ politenessDelayMs: 200, workerConcurrency: 2 });
    const w = await workers.start(settings);
    const target = fixture.world.domain('mirror', 'hop-held');
    const moved = fixture.world.domain('moved', 'hop-held');
    // someone else holds the target far longer than the check may wait (delay + 5 s fetch deadline)
    const other = new HostPoliteness(w.store.redisClient, redisKeys(settings.keyPrefix), settings.politenessDelayMs);
    expect(await other.take(target, 'someone-else', 60_000)).toEqual({ granted: true });
    await enqueueDomains(w.queue, w.store, settings, [moved], 'manual');
    await new Promise((resolve) => setTimeout(resolve, 7000));
    // not judged on a timeout: still waiting to be checked, no attempt used, never reached the target
    expect((await w.store.candidate(moved))?.state).not.toBe('checked');
    expect(fixture.world.requestTimes().has(target)).toBe(false);
    await other.release(target, 'someone-else');
    const checked = await waitFor('the check after the lease ends', async () => {
      const c = await w.store.candidate(moved);
      return c?.state === 'checked' ? c : null;
    }, 15_000);
    expect(checked).toMatchObject({ verdict: 'mirror', errorCode: null });
    expect(await w.queue.getFailedCount()).toBe(0);
  }, 40_000);
});
