/**
 * The review page against the local world, for people: the world (HTTP/HTTPS/DNS on loopback),
 * a check worker that checks the world's hosts and records their matches with full evidence
 * packages (WARC, saved body, screenshot, manifest), and the review server over the same Redis
 * keys and evidence directory. Used by `npm run review:world` and by `npm run screenshots`.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureScreenshot, closeScreenshotBrowser } from '../../src/evidence/screenshot.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { startCheckWorker } from '../../src/queue/checkWorker.js';
import { startWorld } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { pageSettings, startPageReviewWorld, type PageReviewWorld } from './pageReviewWorld.js';

/** world hosts the worker checks: mirrors, a proxy, redirects, a redesign, the operator's sister site, and two that do not match */
export const DEMO_WORKER_HOSTS = ['mirror-one.test', 'mirror-two.test', 'mirror-deflate.test', 'proxy.test', 'redesign.test', 'old.test', 'chain.test', 'meta.test', 'js.test', 'sister.test', 'expired-cert.test', 'self-signed.test', 'splash.test', 'bakery.test', 'challenge.test'];
/** the match the second README picture opens: a redirect chain, two hops to a mirror on HTTPS */
export const DEMO_DETAILED_HOST = 'chain.test';

export interface ReviewDemo {
  review: PageReviewWorld;
  close(): Promise<void>;
}

export async function startReviewDemo(options: { port?: number; hosts?: readonly string[]; log?: (line: string) => void } = {}): Promise<ReviewDemo> {
  const hosts = options.hosts ?? DEMO_WORKER_HOSTS;
  const log = options.log ?? (() => undefined);
  const world = await startWorld({ gzipBombBytes: 1024 * 1024 });
  const settings = pageSettings({ evidenceDir: await mkdtemp(path.join(os.tmpdir(), 'hopwatch-demo-evidence-')) });
  const review = await startPageReviewWorld({ settings, ...(options.port !== undefined ? { port: options.port } : {}) });
  const crawlerOptions = world.crawlerOptions({ totalTimeoutMs: 8000 });
  const worker = await startCheckWorker({ settings, index: buildWorldReferenceIndex(), domainCheck: { crawler: crawlerOptions, maxProbePaths: 3 }, schedulers: false, screenshot: captureScreenshot });
  const close = async (): Promise<void> => {
    await worker.close();
    await review.close();
    await world.close();
    await closeScreenshotBrowser();
  };
  try {
    log(`the worker checks ${hosts.length} hosts of the world`);
    await enqueueDomains(worker.queue, worker.store, review.settings, hosts, 'manual');
    const until = Date.now() + 90_000;
    for (;;) {
      const states = await Promise.all(hosts.map(async (d) => (await worker.store.candidate(d))?.state));
      if (states.every((s) => s === 'checked')) break;
      if (Date.now() > until) throw new Error(`the worker did not check every host in time: ${hosts.filter((_, i) => states[i] !== 'checked').join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { review, close };
  } catch (err) {
    await close();
    throw err;
  }
}
