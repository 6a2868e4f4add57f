/**
 * `npm run screenshots`: the README's pictures of the review page, taken from the local world.
 *
 * Starts the test world (HTTP/HTTPS/DNS on loopback), a check worker on a random Redis key
 * prefix that checks the world's hosts and records their matches, and the review server over
 * the same keys; records one more match (a redirect chain) with a full evidence package (saved
 * body, screenshot, manifest); makes two decisions; then signs in with headless Chromium and
 * saves docs/img/review-queue.png and docs/img/review-match.png. Everything is closed and the
 * keys are deleted at the end. Needs Redis on REDIS_URL (default 127.0.0.1:6379) and
 * /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { summariseFetch } from '../src/check/checkDomain.js';
import { createCrawler } from '../src/crawler/crawler.js';
import { closeScreenshotBrowser } from '../src/evidence/screenshot.js';
import { enqueueDomains } from '../src/queue/checkQueue.js';
import { startCheckWorker } from '../src/queue/checkWorker.js';
import { HAVE_CHROMIUM, clickWhenSettled, launchBrowser, openTab, signIn } from '../test/page/browser.js';
import { PAGE_TOKENS, startPageReviewWorld } from '../test/page/pageReviewWorld.js';
import { startWorld } from '../test/world/world.js';
import { buildWorldReferenceIndex } from '../test/world/worldReferences.js';

const OUT = path.join(import.meta.dirname, '..', 'docs', 'img');
/** world hosts the worker checks: mirrors, a proxy, redirects, a redesign, the operator's sister site */
const WORKER_HOSTS = ['mirror-one.test', 'mirror-two.test', 'mirror-deflate.test', 'proxy.test', 'redesign.test', 'old.test', 'meta.test', 'js.test', 'sister.test', 'expired-cert.test', 'self-signed.test', 'splash.test', 'bakery.test', 'challenge.test'];
/** recorded by this script with its evidence package: the match the second picture opens */
const DETAILED = 'chain.test';

function step(message: string): void {
  process.stderr.write(`screenshots: ${message}\n`);
}

if (!HAVE_CHROMIUM) {
  process.stderr.write('screenshots: /usr/bin/chromium is missing (apt-get install -y chromium)\n');
  process.exit(1);
}

const world = await startWorld({ gzipBombBytes: 1024 * 1024 });
const review = await startPageReviewWorld();
const crawlerOptions = world.crawlerOptions({ totalTimeoutMs: 8000 });
const worker = await startCheckWorker({ settings: review.settings, index: buildWorldReferenceIndex(), domainCheck: { crawler: crawlerOptions, maxProbePaths: 3 }, schedulers: false });
const browser = await launchBrowser();
try {
  step(`world on loopback, review server at ${review.base}; the worker checks ${WORKER_HOSTS.length} hosts`);
  await enqueueDomains(worker.queue, worker.store, review.settings, WORKER_HOSTS, 'manual');
  const until = Date.now() + 90_000;
  for (;;) {
    const states = await Promise.all(WORKER_HOSTS.map(async (d) => (await worker.store.candidate(d))?.state));
    if (states.every((s) => s === 'checked')) break;
    if (Date.now() > until) throw new Error(`the worker did not check every host in time: ${WORKER_HOSTS.filter((_, i) => states[i] !== 'checked').join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // the evidence writer is not part of the worker on this branch yet: this match gets its package here
  const crawler = createCrawler(crawlerOptions);
  const fetched = await crawler.fetch(`http://${DETAILED}/`);
  await crawler.close();
  const html = new TextDecoder(fetched.charset).decode(fetched.body);
  const detailed = await review.recordPage(DETAILED, html, { url: fetched.finalUrl, fetch: { ...summariseFetch(fetched), resolver: `${world.dns.host}:${world.dns.port} (the world's DNS)` }, screenshot: true, source: 'redirect', checkedAt: Date.now() });

  const call = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${review.base}${url}`, { method, headers: { authorization: `Bearer ${PAGE_TOKENS.reviewer}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const list = (await call('GET', '/api/matches?state=unreviewed&sort=domain&limit=100')) as { items: Array<{ id: string; domain: string }> };
  const byDomain = new Map(list.items.map((m) => [m.domain, m.id]));
  const confirmed = byDomain.get('mirror-one.test');
  if (confirmed) await call('POST', `/api/matches/${confirmed}/decisions`, { decision: 'confirm', reason: 'Same template, analytics account and donation address as the blocked site' });
  await call('POST', `/api/matches/${detailed.id}/decisions`, { decision: 'needs-more', reason: 'Redirect chain ends on mirror-two.test: check both hosts are one operator before listing' });
  step(`${list.items.length} matches waiting; taking the pictures`);

  await mkdir(OUT, { recursive: true });
  const tab = await openTab(browser, { width: 1440, height: 900 });
  await signIn(tab, review.base, PAGE_TOKENS.reviewer);
  await tab.page.goto(`${review.base}/#/queue?state=unreviewed&sort=-score`);
  await tab.page.waitForSelector('table.matches tr.current');
  await tab.page.keyboard.press('j');
  await tab.page.keyboard.press('x');
  await tab.page.keyboard.press('j');
  await tab.page.waitForSelector('table.matches tr.current');
  await tab.page.screenshot({ path: path.join(OUT, 'review-queue.png') });

  await tab.page.goto(`${review.base}/#/match/${encodeURIComponent(detailed.id)}`);
  await tab.page.waitForSelector('.compare img.screenshot[src^="blob:"]');
  await clickWhenSettled(tab.page, '.match-head h1');
  await tab.page.screenshot({ path: path.join(OUT, 'review-match.png'), fullPage: true });
  if (tab.errors.length > 0) throw new Error(`the page threw: ${tab.errors.join('; ')}`);
  await tab.context.close();
  step(`saved ${path.join(OUT, 'review-queue.png')} and ${path.join(OUT, 'review-match.png')}`);
} finally {
  await browser.close();
  await worker.close();
  await review.close();
  await world.close();
  await closeScreenshotBrowser();
}
