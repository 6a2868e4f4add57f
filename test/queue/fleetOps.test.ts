/**
 * Fleet operations from the CLI: `queue pause|resume|drain|clean` and `domain DOMAIN`, against
 * a real worker on Redis and the many-hosts world.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/cliHarness.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { queueSettled, testSettings, waitFor, worldWorkers } from './queueHarness.js';

describe('fleet operations', () => {
  const fixture = worldWorkers({ totalTimeoutMs: 5000 });

  it('pause stops workers taking jobs, resume restarts them, drain removes what waits, clean removes finished jobs', async () => {
    const settings = testSettings();
    const env = { REDIS_URL: settings.redisUrl, HOPWATCH_KEY_PREFIX: settings.keyPrefix };
    const w = await fixture.workers.start(settings);
    const paused = await runCli(['queue', 'pause', '--json'], '', env);
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ action: 'pause', paused: true });

    const first = fixture.world.domain('mirror', 'ops-1');
    const second = fixture.world.domain('mirror', 'ops-2');
    await enqueueDomains(w.queue, w.store, settings, [first], 'manual');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await w.store.candidate(first))?.state).not.toBe('checked');

    const resumed = await runCli(['queue', 'resume'], '', env);
    expect(resumed.stdout).toContain('resumed');
    await waitFor('the check after resume', async () => (await w.store.candidate(first))?.state === 'checked');
    await waitFor('the queue to settle', async () => queueSettled(w));

    await runCli(['queue', 'pause'], '', env);
    await enqueueDomains(w.queue, w.store, settings, [second], 'manual');
    const drained = await runCli(['queue', 'drain', '--json'], '', env);
    expect(JSON.parse(drained.stdout)).toMatchObject({ action: 'drain', removed: 1 });
    const cleaned = await runCli(['queue', 'clean', '--state', 'completed', '--json'], '', env);
    expect(JSON.parse(cleaned.stdout)).toMatchObject({ action: 'clean', removed: { completed: 1 } });
    await runCli(['queue', 'resume'], '', env);

    const bad = await runCli(['queue', 'flush'], '', env);
    expect(bad.code).toBe(2);
  });

  it('domain DOMAIN shows state, last check, history and feed entries; exit 1 for a match, 3 when unknown', async () => {
    const settings = testSettings();
    const env = { REDIS_URL: settings.redisUrl, HOPWATCH_KEY_PREFIX: settings.keyPrefix };
    const w = await fixture.workers.start(settings);
    const mirror = fixture.world.domain('mirror', 'known');
    await enqueueDomains(w.queue, w.store, settings, [mirror], 'manual');
    await waitFor('the check', async () => (await w.store.candidate(mirror))?.state === 'checked');

    const shown = await runCli(['domain', '--json', `${mirror.toUpperCase()}.`], '', env);
    expect(shown.code).toBe(1);
    const report = JSON.parse(shown.stdout) as { domain: string; candidate: Record<string, unknown>; history: unknown[]; feed: Array<Record<string, unknown>> };
    expect(report.domain).toBe(mirror);
    expect(report.candidate).toMatchObject({ state: 'checked', verdict: 'mirror', site: 'harbor', checks: 1, liveness: 'alive' });
    expect(report.history).toHaveLength(1);
    expect(report.feed).toEqual([expect.objectContaining({ verdict: 'mirror', site: 'harbor' })]);

    const text = await runCli(['domain', mirror], '', env);
    expect(text.stdout).toMatch(/^last check MIRROR harbor/m);
    expect(text.stdout).toMatch(/^feed +\S+ MIRROR harbor/m);

    const unknown = await runCli(['domain', fixture.world.domain('plain', 'never')], '', env);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toContain('not known to the fleet');
    expect((await runCli(['domain', 'ftp://x.example'], '', env)).code).toBe(2);
  });
});
