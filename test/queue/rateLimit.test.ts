/**
 * The global rate limit (BullMQ's queue limiter): with two workers of four slots each, no more than
 * `rateLimitMax` checks start per window across the fleet. Measured on the jobs' own processedOn
 * times, with slack for timer jitter rather than tight wall-clock bounds.
 */
import { describe, expect, it } from 'vitest';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { testSettings, waitFor, worldWorkers } from './queueHarness.js';

const MAX = 2;
const WINDOW_MS = 400;
const JOBS = 8;
/** timers and Redis round trips blur a window edge by a few ms; this much is not a violation */
const SLACK_MS = 60;

describe('global rate limit', () => {
  const fixture = worldWorkers({ totalTimeoutMs: 3000 });
  const { workers } = fixture;

  it(`at most ${MAX} checks start per ${WINDOW_MS} ms window, across two workers`, async () => {
    const settings = testSettings({ rateLimitMax: MAX, rateLimitWindowMs: WINDOW_MS, workerConcurrency: 4 });
    const first = await workers.start(settings);
    await workers.start(settings);
    const domains = Array.from({ length: JOBS }, (_, i) => fixture.world.domain('plain', `rate${i}`));
    await enqueueDomains(first.queue, first.store, settings, domains, 'manual');
    const done = await waitFor('every job completed', async () => {
      const jobs = await first.queue.getCompleted(0, -1);
      return jobs.length === JOBS ? jobs : null;
    }, 10_000);

    const started = done.map((j) => j.processedOn ?? Number.NaN).sort((a, b) => a - b);
    expect(started.every(Number.isFinite)).toBe(true);
    // any window that opens at a job's start holds at most MAX starts
    for (const [i, t] of started.entries()) {
      const inWindow = started.slice(i).filter((s) => s < t + WINDOW_MS - SLACK_MS).length;
      expect(inWindow, `starts within ${WINDOW_MS} ms of ${t - started[0]!} ms`).toBeLessThanOrEqual(MAX);
    }
    // so the run spans at least (JOBS / MAX - 1) windows; unlimited, it would take a few ms
    expect(started[started.length - 1]! - started[0]!).toBeGreaterThanOrEqual((JOBS / MAX - 1) * WINDOW_MS - SLACK_MS);
    // the limit spaces checks; it does not drop any
    expect(new Set(done.map((j) => (j.returnvalue as { domain: string }).domain))).toEqual(new Set(domains));
  }, 15_000);
});
