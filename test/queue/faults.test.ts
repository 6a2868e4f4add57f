/**
 * Faults done for real: a worker process SIGKILLed in the middle of a check, and Redis killed and
 * restarted (append-only file on) in the middle of a run. Nothing may be lost or doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../src/config/settings.js';
import { writeReferenceSet } from '../../src/match/referenceSet.js';
import { createCheckQueue, enqueueDomains } from '../../src/queue/checkQueue.js';
import { CheckStore } from '../../src/store/checkStore.js';
import { closeRedis, connectRedis } from '../../src/store/redisConnection.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { startCheckWorker, type CheckWorker } from '../../src/queue/checkWorker.js';
import { startManyHosts, type ManyHostsWorld } from '../world/manyHosts.js';
import { buildWorldReferenceIndex, buildWorldReferenceSet } from '../world/worldReferences.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';
import { dropPrefix, testSettings, waitFor } from './queueHarness.js';

const CLI = path.join(import.meta.dirname, 'cliProcess.ts');

function settingsEnv(settings: Settings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: settings.redisUrl,
    HOPWATCH_KEY_PREFIX: settings.keyPrefix,
    HOPWATCH_POLITENESS_DELAY_MS: String(settings.politenessDelayMs),
    HOPWATCH_STALLED_INTERVAL_MS: String(settings.stalledIntervalMs),
    HOPWATCH_LOCK_DURATION_MS: String(settings.lockDurationMs),
    HOPWATCH_RECHECK_INTERVAL_MS: '0',
    HOPWATCH_CHECK_ATTEMPTS: String(settings.checkAttempts),
    HOPWATCH_BACKOFF_DELAY_MS: String(settings.backoffDelayMs),
  };
}

/** `hopwatch worker` in its own process; resolves once it logged that it started. */
async function spawnWorker(settings: Settings, world: ManyHostsWorld, refs: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--refs', refs, '--max-probes', '0', '--timeout-ms', '10000', '--concurrency', '2', ...world.cliFlags()], {
    env: settingsEnv(settings),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('"worker started"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting: ${stderr.slice(0, 2000)}`)));
  });
  return child;
}

describe('faults', () => {
  let world: ManyHostsWorld;
  let dir: string;
  let refs: string;

  beforeAll(async () => {
    world = await startManyHosts({ slowMs: 2500 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-faults-'));
    refs = path.join(dir, 'refs.json');
    await writeReferenceSet(refs, buildWorldReferenceSet());
  });
  afterAll(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed mid-check: another worker finishes the job after the stall interval, one result, one feed entry', async () => {
    const settings = testSettings({ stalledIntervalMs: 500, lockDurationMs: 1500 });
    const child = await spawnWorker(settings, world, refs);
    let rescuer: CheckWorker | null = null;
    try {
      const slow = world.domain('slow', 'killed');
      const others = [world.domain('mirror', 'k1'), world.domain('plain', 'k2')];
      // the child takes the slow job first, alone
      const { store, queue, close } = await producer(settings);
      await enqueueDomains(queue, store, settings, [slow], 'manual');
      await waitFor('the child to contact the slow host', async () => world.requestTimes().has(slow));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      await enqueueDomains(queue, store, settings, others, 'manual');
      await close();

      rescuer = await startCheckWorker({ settings, index: buildWorldReferenceIndex(), domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 10_000 }), maxProbePaths: 0 }, schedulers: false });
      const w = rescuer;
      for (const domain of [slow, ...others]) {
        await waitFor(`${domain} checked`, async () => (await w.store.candidate(domain))?.state === 'checked', 20_000);
      }
      expect(await w.store.candidate(slow)).toMatchObject({ verdict: 'mirror', checks: 1 });
      // the killed worker had reached the host; the rescuer contacted it again
      expect(world.requestTimes().get(slow)?.length).toBe(2);
      expect((await w.store.feed()).filter((e) => e.fields.domain === slow)).toHaveLength(1);
      const completed = await waitFor('the rescued job to complete', async () => (await w.queue.getCompleted()).find((j) => (j.data as { domain?: string }).domain === slow));
      expect(completed.stalledCounter ?? 1).toBeGreaterThanOrEqual(1);
      expect(await w.queue.getFailedCount()).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rescuer?.close();
      await dropPrefix(settings);
    }
  }, 60_000);

  it('Redis killed and restarted mid-run with appendonly on: work resumes, nothing lost, no duplicate match', async () => {
    let redis: PrivateRedis | null = await startPrivateRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
    const settings = testSettings({ redisUrl: redis.url, workerConcurrency: 2, stalledIntervalMs: 500, lockDurationMs: 1500, checkAttempts: 5, backoffDelayMs: 100 });
    let worker: CheckWorker | null = null;
    // a Redis blip must not print stack traces (BullMQ's console.error fallback for an emitter
    // without an 'error' listener); the worker logs one line per distinct error instead
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logged: Array<Record<string, unknown>> = [];
    try {
      worker = await startCheckWorker({ settings, index: buildWorldReferenceIndex(), domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 10_000 }), maxProbePaths: 0 }, schedulers: false, log: (e) => logged.push(e) });
      expect(worker.server.appendOnly).toBe(true);
      const domains = [
        ...Array.from({ length: 12 }, (_, i) => world.domain('mirror', `r${i}`)),
        ...Array.from({ length: 6 }, (_, i) => world.domain('plain', `r${i}`)),
        ...Array.from({ length: 4 }, (_, i) => world.domain('slow', `r${i}`)),
      ];
      // slow hosts first, so the run is still going when Redis dies
      const ordered = [...domains.slice(18), ...domains.slice(0, 18)];
      await enqueueDomains(worker.queue, worker.store, settings, ordered, 'manual');
      const w = worker;
      await waitFor('a first check to be recorded', async () => {
        for (const d of domains) if ((await w.store.candidate(d))?.state === 'checked') return true;
        return false;
      });
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await redis.restart();
      for (const domain of domains) {
        await waitFor(`${domain} checked after the restart`, async () => (await w.store.candidate(domain))?.state === 'checked', 30_000);
      }
      for (const domain of domains) expect((await w.store.candidate(domain))?.checks).toBe(1);
      const feed = await w.store.feed(1000);
      const mirrorsInFeed = feed.map((e) => e.fields.domain);
      expect(new Set(mirrorsInFeed).size).toBe(mirrorsInFeed.length);
      expect(mirrorsInFeed.sort()).toEqual(domains.filter((d) => !d.includes('.plain.')).sort());
      expect(printed).not.toHaveBeenCalled();
      const errorLines = logged.filter((e) => e.level === 'warn' && /error$/.test(String(e.msg)));
      expect(errorLines.length).toBeGreaterThan(0);
      // throttled: one line per source and message, not one per reconnect attempt
      expect(new Set(errorLines.map((e) => `${String(e.msg)} ${String(e.error)}`)).size).toBe(errorLines.length);
    } finally {
      printed.mockRestore();
      await worker?.close();
      await redis?.close();
      redis = null;
    }
  }, 90_000);
});

/** A queue + store on the settings, like `hopwatch enqueue` uses. */
async function producer(settings: Settings) {
  const redis = connectRedis(settings.redisUrl);
  const keys = redisKeys(settings.keyPrefix);
  const queue = createCheckQueue(redis, keys, settings);
  return {
    queue,
    store: new CheckStore(redis, keys),
    close: async () => {
      await queue.close();
      await closeRedis(redis);
    },
  };
}
