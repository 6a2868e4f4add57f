/**
 * What queue and store tests share: settings on a random key prefix (so tests never see each
 * other's keys and can run beside a live fleet), short intervals, and cleanup of every key the
 * test's prefix made.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
export { freePort } from '../support/freePort.js';
import { loadSettings, type Settings, type SettingName } from '../../src/config/settings.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { startCheckWorker, type CheckWorker, type CheckWorkerOptions } from '../../src/queue/checkWorker.js';
import { startManyHosts, type ManyHostsOptions, type ManyHostsWorld } from '../world/manyHosts.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testSettings(overrides: Partial<Record<SettingName, unknown>> = {}): Settings {
  return loadSettings({}, {
    redisUrl: TEST_REDIS_URL,
    keyPrefix: `hwtest-${randomBytes(5).toString('hex')}`,
    workerConcurrency: 4,
    politenessDelayMs: 0,
    checkAttempts: 3,
    backoffDelayMs: 50,
    backoffJitter: 0.2,
    recheckIntervalMs: 0,
    stalledIntervalMs: 1000,
    lockDurationMs: 2000,
    shutdownTimeoutMs: 3000,
    ...overrides,
  });
}

/** Delete every key under the settings' prefix (SCAN in pages, never KEYS). */
export async function dropPrefix(settings: Settings, url = settings.redisUrl): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${settings.keyPrefix}}*`, 'COUNT', '1000');
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Workers a test started, closed and their prefixes dropped in `closeAll` (afterEach), so a
 * failing assertion never leaves a worker polling Redis or keys behind.
 */
export function workerTracker(defaults: () => Omit<CheckWorkerOptions, 'settings'>) {
  const running: Array<{ worker: CheckWorker; settings: Settings }> = [];
  return {
    async start(settings: Settings, extra: Partial<Omit<CheckWorkerOptions, 'settings'>> = {}): Promise<CheckWorker> {
      const worker = await startCheckWorker({ ...defaults(), ...extra, settings });
      running.push({ worker, settings });
      return worker;
    },
    async closeAll(): Promise<void> {
      const all = running.splice(0);
      await Promise.all(all.map(({ worker }) => worker.close()));
      for (const prefix of new Set(all.map(({ settings }) => settings.keyPrefix))) {
        await dropPrefix(all.find(({ settings }) => settings.keyPrefix === prefix)!.settings);
      }
    },
  };
}

/**
 * The fixture most fleet tests share, registered in the calling describe block: the many-hosts
 * world (started once per block), its reference index, and a tracker of workers pointed at it
 * (closed, and their keys dropped, after each test).
 */
export function worldWorkers(options: { totalTimeoutMs: number; world?: ManyHostsOptions }) {
  let world: ManyHostsWorld | undefined;
  let index: ReferenceIndex | undefined;
  const started = (): ManyHostsWorld => {
    if (!world) throw new Error('the world is started in beforeAll');
    return world;
  };
  const workers = workerTracker(() => ({
    index: index!,
    domainCheck: { crawler: started().crawlerOptions({ totalTimeoutMs: options.totalTimeoutMs }), maxProbePaths: 0 },
    schedulers: false,
  }));
  beforeAll(async () => {
    world = await startManyHosts(options.world);
    index = buildWorldReferenceIndex();
  });
  afterEach(async () => {
    await workers.closeAll();
  });
  afterAll(async () => {
    await world?.close();
  });
  return {
    workers,
    get world(): ManyHostsWorld {
      return started();
    },
  };
}


/** No job left to run: nothing waiting, active, delayed or prioritised. */
export async function queueSettled(worker: CheckWorker): Promise<boolean> {
  const counts = await worker.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((sum, n) => sum + n, 0) === 0;
}
