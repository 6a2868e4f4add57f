/**
 * `npm run screenshots`: the README's pictures of the review page, taken from the local world.
 *
 * Starts the review demo (test/page/reviewDemo.ts): the test world on loopback, a check worker
 * on a random Redis key prefix that records the world's matches with their evidence packages,
 * and the review server over the same keys; makes two decisions; then signs in with headless Chromium and
 * saves docs/img/review-queue.png and docs/img/review-match.png. Everything is closed and the
 * keys are deleted at the end. Needs Redis on REDIS_URL (default 127.0.0.1:6379) and
 * /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HAVE_CHROMIUM, clickWhenSettled, launchBrowser, openTab, signIn } from '../test/page/browser.js';
import { PAGE_TOKENS } from '../test/page/pageReviewWorld.js';
import { DEMO_DETAILED_HOST, startReviewDemo } from '../test/page/reviewDemo.js';

const OUT = path.join(import.meta.dirname, '..', 'docs', 'img');

function step(message: string): void {
  process.stderr.write(`screenshots: ${message}\n`);
}

if (!HAVE_CHROMIUM) {
  process.stderr.write('screenshots: /usr/bin/chromium is missing (apt-get install -y chromium)\n');
  process.exit(1);
}

const demo = await startReviewDemo({ log: step });
const review = demo.review;
const browser = await launchBrowser();
try {
  const call = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${review.base}${url}`, { method, headers: { authorization: `Bearer ${PAGE_TOKENS.reviewer}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const list = (await call('GET', '/api/matches?state=unreviewed&sort=domain&limit=100')) as { items: Array<{ id: string; domain: string }> };
  const byDomain = new Map(list.items.map((m) => [m.domain, m.id]));
  const detailed = { id: byDomain.get(DEMO_DETAILED_HOST) ?? '' };
  if (!detailed.id) throw new Error(`${DEMO_DETAILED_HOST} was not recorded as a match`);
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
  // the reference's saved page is shown with the view: the picture waits for its document
  const referenceFrame = await (await tab.page.waitForSelector('.side.reference iframe.saved-page')).contentFrame();
  await referenceFrame?.waitForLoadState('load');
  await clickWhenSettled(tab.page, '.match-head h1');
  await tab.page.screenshot({ path: path.join(OUT, 'review-match.png'), fullPage: true });
  if (tab.errors.length > 0) throw new Error(`the page threw: ${tab.errors.join('; ')}`);
  await tab.context.close();
  step(`saved ${path.join(OUT, 'review-queue.png')} and ${path.join(OUT, 'review-match.png')}`);
} finally {
  await browser.close();
  await demo.close();
}
