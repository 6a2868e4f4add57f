/**
 * Politeness per hop: a check whose redirect leads to a host another check has just contacted
 * waits for that host's lease before the hop, instead of reaching it at once and only leasing it
 * afterwards.
 */
import { describe, expect, it } from 'vitest';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
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
});
