/**
 * The review page against the local world, for people: the world (HTTP/HTTPS/DNS on loopback),
 * a check worker that checks the world's hosts and records their matches, the review server
 * over the same Redis keys, and one more match (a redirect chain) recorded with a full
 * evidence package (saved body, screenshot, manifest). Used by `npm run review:world` and by
 * `npm run screenshots`.
 */
import { summariseFetch } from '../../src/check/checkDomain.js';
import { createCrawler } from '../../src/crawler/crawler.js';
import { closeScreenshotBrowser } from '../../src/evidence/screenshot.js';
import { enqueueDomains } from '../../src/queue/checkQueue.js';
import { startCheckWorker } from '../../src/queue/checkWorker.js';
import { startWorld } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { startPageReviewWorld, type PageReviewWorld, type RecordedPage } from './pageReviewWorld.js';

/** world hosts the worker checks: mirrors, a proxy, redirects, a redesign, the operator's sister site, and two that do not match */
export const DEMO_WORKER_HOSTS = ['mirror-one.test', 'mirror-two.test', 'mirror-deflate.test', 'proxy.test', 'redesign.test', 'old.test', 'meta.test', 'js.test', 'sister.test', 'expired-cert.test', 'self-signed.test', 'splash.test', 'bakery.test', 'challenge.test'];
/** recorded with its evidence package (the evidence writer is not in the worker on this branch yet) */
export const DEMO_DETAILED_HOST = 'chain.test';

export interface ReviewDemo {
  review: PageReviewWorld;
  detailed: RecordedPage;
  close(): Promise<void>;
}

export async function startReviewDemo(options: { port?: number; log?: (line: string) => void } = {}): Promise<ReviewDemo> {
  const log = options.log ?? (() => undefined);
  const world = await startWorld({ gzipBombBytes: 1024 * 1024 });
  const review = await startPageReviewWorld({ ...(options.port !== undefined ? { port: options.port } : {}) });
  const crawlerOptions = world.crawlerOptions({ totalTimeoutMs: 8000 });
  const worker = await startCheckWorker({ settings: review.settings, index: buildWorldReferenceIndex(), domainCheck: { crawler: crawlerOptions, maxProbePaths: 3 }, schedulers: false });
  const close = async (): Promise<void> => {
    await worker.close();
    await review.close();
    await world.close();
    await closeScreenshotBrowser();
  };
  try {
    log(`the worker checks ${DEMO_WORKER_HOSTS.length} hosts of the world`);
    await enqueueDomains(worker.queue, worker.store, review.settings, DEMO_WORKER_HOSTS, 'manual');
    const until = Date.now() + 90_000;
    for (;;) {
      const states = await Promise.all(DEMO_WORKER_HOSTS.map(async (d) => (await worker.store.candidate(d))?.state));
      if (states.every((s) => s === 'checked')) break;
      if (Date.now() > until) throw new Error(`the worker did not check every host in time: ${DEMO_WORKER_HOSTS.filter((_, i) => states[i] !== 'checked').join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const crawler = createCrawler(crawlerOptions);
    const fetched = await crawler.fetch(`http://${DEMO_DETAILED_HOST}/`).finally(() => crawler.close());
    const html = new TextDecoder(fetched.charset).decode(fetched.body);
    const detailed = await review.recordPage(DEMO_DETAILED_HOST, html, {
      url: fetched.finalUrl, fetch: { ...summariseFetch(fetched), resolver: `${world.dns.host}:${world.dns.port} (the world's DNS)` }, screenshot: true, source: 'redirect', checkedAt: Date.now(),
    });
    return { review, detailed, close };
  } catch (err) {
    await close();
    throw err;
  }
}
