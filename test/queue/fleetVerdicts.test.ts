/**
 * The fleet and `scan` run the same `checkDomain`, so for the same world they must reach the
 * same verdict for every domain, whatever the queue adds around it (per-host politeness leases,
 * redirect targets leased hop by hop, retries, two workers competing for hosts). Redirecting
 * domains are where they used to part: waiting for the redirect target's lease ate the fetch
 * deadline, and the timeout was recorded as the verdict.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readTargets, scanDomains } from '../../src/check/scanDomains.js';
import type { DomainCheckOptions } from '../../src/check/domainCheckOptions.js';
import { dnsServerResolver } from '../../src/crawler/hostResolution.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { queueSettled, testSettings, waitFor, workerTracker } from './queueHarness.js';

interface Outcome {
  verdict: string | null;
  errorCode: string | null;
}

describe('the fleet and scan agree on the world', () => {
  let world: World;
  const index = buildWorldReferenceIndex();
  let domainCheck: DomainCheckOptions;
  const workers = workerTracker(() => ({ index, domainCheck, schedulers: false }));

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 4 * 1024 * 1024 });
    // probes on (splash.test only matches on its probe path); deadlines leave room for a busy machine
    // and a patient resolver, so a DNS answer late on a loaded machine is not a difference
    const resolver = dnsServerResolver([`${world.dns.host}:${world.dns.port}`], { timeoutMs: 3000, tries: 2 });
    domainCheck = { crawler: world.crawlerOptions({ totalTimeoutMs: 10_000, resolver }), maxProbePaths: 3 };
  });
  afterEach(async () => {
    await workers.closeAll();
  });
  afterAll(async () => {
    await world.close();
  });

  const worldDomains = (): string[] => world.hosts.filter((h) => h.expected).map((h) => h.name.replace('*.', 'any.'));

  it('redirecting domains that share one target are mirrors in the fleet, as in scan', async () => {
    const settings = testSettings({ politenessDelayMs: 400, workerConcurrency: 8, checkAttempts: 2 });
    const w = await workers.start(settings);
    const domains = ['old.test', 'meta.test', 'js.test', 'mirror-one.test'];
    await enqueueDomains(w.queue, w.store, settings, domains, 'manual');
    await waitFor('every domain checked', async () => {
      for (const d of domains) if ((await w.store.candidate(d))?.state !== 'checked') return false;
      return true;
    }, 25_000);
    const got = Object.fromEntries(await Promise.all(domains.map(async (d) => [d, (await w.store.candidate(d))?.verdict] as const)));
    expect(got).toEqual({ 'old.test': 'mirror', 'meta.test': 'mirror', 'js.test': 'mirror', 'mirror-one.test': 'mirror' });
  });

  it('two workers give every world domain the verdict scan gives it', async () => {
    const domains = worldDomains();
    const scanned = new Map<string, Outcome>();
    const lines = Readable.from([`${domains.join('\n')}\n`]);
    await scanDomains(readTargets(lines), index, { domainCheck, concurrency: 8, perHostDelayMs: 0 }, (item) => {
      scanned.set(item.result.input, { verdict: item.result.verdict, errorCode: item.result.error?.code ?? null });
    });
    expect(scanned.size).toBe(domains.length);

    // fingerprinting a decompression bomb stalls this process's event loop for seconds on a busy
    // machine: job locks long enough that no check is taken for a dead worker's meanwhile
    const settings = testSettings({ politenessDelayMs: 300, workerConcurrency: 8, checkAttempts: 2, backoffDelayMs: 50, lockDurationMs: 60_000, stalledIntervalMs: 30_000 });
    const first = await workers.start(settings);
    await workers.start(settings);
    await enqueueDomains(first.queue, first.store, settings, domains, 'manual');
    await waitFor('the queue to drain', async () => queueSettled(first), 80_000, 200);

    const differ: string[] = [];
    for (const domain of domains) {
      const c = await first.store.candidate(domain);
      const fleet: Outcome = { verdict: c?.verdict ?? null, errorCode: c?.errorCode || null };
      const scan = scanned.get(domain)!;
      if (fleet.verdict !== scan.verdict || fleet.errorCode !== scan.errorCode) {
        const failed = (await first.queue.getFailed()).find((j) => (j.data as { domain?: string }).domain === domain);
        differ.push(`${domain}: fleet ${fleet.verdict} ${fleet.errorCode ?? ''} (${c?.state}${failed ? `; job failed: ${failed.failedReason}` : ''}), scan ${scan.verdict} ${scan.errorCode ?? ''}`);
      }
    }
    expect(differ).toEqual([]);
    expect(world.internalHits()).toBe(0);
    // the whole world twice (a decompression bomb, a 4 MiB body, 200,000 nested elements, a
    // drip that runs to its deadline), with the world's servers in this process: on a 2-core
    // machine shared by other builds this takes 15-45 s, so it gets its own budget
  }, 120_000);
});
