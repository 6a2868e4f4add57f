/**
 * The review page in a real browser against the review server, a real Redis and matches the
 * world's pages produced: sign in, decide, export, roles, keys, bulk, and a hostile candidate
 * page that must run nothing.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, clickWhenSettled, launchBrowser, openTab, signIn, type ReviewTab } from './browser.js';
import { PAGE_TOKENS } from './pageReviewWorld.js';
import { DEMO_DETAILED_HOST, startReviewDemo, type ReviewDemo } from './reviewDemo.js';
import { startReviewFixture, type ReviewFixture } from './reviewFixture.js';

interface Detail { id: string; state: string; decisions: Array<{ seq: number; decision: string; reason: string; reviewer: string; hash: string }> }

describe.skipIf(!HAVE_CHROMIUM)('review page in a browser', () => {
  let browser: Browser;
  const tabs: ReviewTab[] = [];

  const tab = async (): Promise<ReviewTab> => {
    const t = await openTab(browser);
    tabs.push(t);
    return t;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterEach(async () => {
    for (const t of tabs.splice(0)) {
      expect(t.errors, 'uncaught errors in the page').toEqual([]);
      await t.context.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('a worker in the local world records a match with its evidence package', () => {
    let demo: ReviewDemo;

    beforeAll(async () => {
      demo = await startReviewDemo({ hosts: [DEMO_DETAILED_HOST] });
    }, 120_000);

    afterAll(async () => {
      await demo?.close();
    });

    it('the reviewer sees its screenshot, both saved pages in the sandbox, the redirect chain, and downloads the WARC with both frames open', async () => {
      const t = await tab();
      await signIn(t, demo.review.base, PAGE_TOKENS.reviewer);
      await t.page.click(`table.matches td.domain a:text-is("${DEMO_DETAILED_HOST}")`);
      await t.page.waitForSelector('.compare img.screenshot[src^="blob:"]');
      expect(await t.page.$eval('.compare img.screenshot', (img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1280);
      // two redirect hops (302 then 301) before the mirror answered on HTTPS, with a verified certificate
      expect(await t.page.locator('.panel:has(h2:text-is("Fetch record")) table').first().locator('tbody tr').count()).toBe(2);
      expect(await t.page.textContent('.panel:has(h2:text-is("Fetch record"))')).toContain('verified');

      // the reference's saved page is shown with the view (its body is in the evidence directory);
      // the candidate's is the tab next to its screenshot
      await clickWhenSettled(t.page, '.side.candidate .tabs button:has-text("Saved page")');
      const savedPages = async (): Promise<Array<{ src: string | null; url: string; title: string; shown: string | null }>> => Promise.all(['candidate', 'reference'].map(async (side) => {
        const frame = t.page.locator(`.side.${side} iframe.saved-page`);
        expect(await frame.getAttribute('sandbox')).toBe('');
        const doc = (await (await frame.elementHandle())!.contentFrame())!;
        await doc.waitForLoadState('load');
        return { src: await frame.getAttribute('src'), url: doc.url(), title: await doc.title(), shown: await t.page.textContent(`.side.${side} .facts dd`) };
      }));
      const open = await savedPages();
      for (const page of open) {
        expect(page.src).toMatch(/^\/view\/[0-9a-f]{64}\?t=/);
        expect(page.url).toBe(new URL(page.src!, demo.review.base).href);
        // the frame holds the saved document itself: its title is the one the side names
        expect(page.title).not.toBe('');
        expect(page.title).toBe(page.shown);
      }
      expect(open[0]!.src).not.toBe(open[1]!.src);

      // with both frames loaded, an evidence download still completes with the file's bytes
      const warcRowSelector = '.panel:has(h2:text-is("Evidence files")) dd:nth-of-type(2)';
      const warcRow = t.page.locator(warcRowSelector);
      const warcSha = (await warcRow.locator('code').textContent())!;
      expect(warcSha).toMatch(/^[0-9a-f]{64}$/);
      const [download] = await Promise.all([t.page.waitForEvent('download'), clickWhenSettled(t.page, `${warcRowSelector} button`)]);
      const bytes = await readFile((await download.path())!);
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(warcSha);
      // the click reached the page's button, not a link in a saved page: both frames are where they were
      expect((await savedPages()).map((p) => p.url)).toEqual(open.map((p) => p.url));
    });
  });

  describe('matches recorded from the page family', () => {
    let fixture: ReviewFixture;
    const api = async <T>(path: string, token = fixture.tokens.reviewer, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${fixture.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
      return { status: res.status, body: (await res.json()) as T };
    };
    const detail = async (id: string): Promise<Detail> => (await api<Detail>(`/api/matches/${encodeURIComponent(id)}`)).body;

    beforeAll(async () => {
      fixture = await startReviewFixture();
    }, 120_000);

    afterAll(async () => {
      await fixture?.close();
    });

    it('a reviewer signs in, opens a match, confirms it with a reason, and finds it in the export', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.reviewer);
      const target = fixture.plain[0]!;
      await t.page.click(`tr[data-id="${target.id}"] td.domain a`);
      await t.page.waitForSelector('.compare');
      expect(await t.page.textContent('.match-head h1')).toBe(target.domain);

      await clickWhenSettled(t.page, 'button.decide-confirm');
      await t.page.fill('dialog.decision-dialog textarea', 'Same layout and analytics account as the blocked site');
      await t.page.press('dialog.decision-dialog textarea', 'Enter');
      await t.page.waitForSelector('#status .status-ok, .status-ok');

      const after = await detail(target.id);
      expect(after.state).toBe('confirmed');
      expect(after.decisions.map((d) => [d.decision, d.reason, d.reviewer])).toEqual([['confirm', 'Same layout and analytics account as the blocked site', fixture.reviewerName]]);

      // the token lives in this tab's session storage and a header, never in a cookie
      expect(await t.page.evaluate('document.cookie')).toBe('');
      expect(await t.context.cookies()).toEqual([]);

      await t.page.goto(`${fixture.url}/#/sites`);
      await t.page.waitForSelector(`.site .confirmed-domains`);
      expect(await t.page.textContent('.confirmed-domains')).toContain(target.domain);
      const [download] = await Promise.all([t.page.waitForEvent('download'), clickWhenSettled(t.page, `#site-${fixture.siteId} button[data-format="blocklist"]`)]);
      const text = await readFile((await download.path())!, 'utf8');
      expect(text.split('\n')).toContain(target.domain);
    });

    it('a decision needs a reason: an empty one records nothing', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.reviewer);
      const target = fixture.plain[1]!;
      await t.page.goto(`${fixture.url}/#/match/${encodeURIComponent(target.id)}`);
      await t.page.waitForSelector('.compare');
      await t.page.keyboard.press('r');
      await t.page.fill('dialog.decision-dialog textarea', '');
      await t.page.press('dialog.decision-dialog textarea', 'Enter');
      expect(await t.page.textContent('dialog.decision-dialog .form-error')).toContain('reason');
      await t.page.keyboard.press('Escape');
      expect((await detail(target.id)).decisions).toEqual([]);
    });

    it('a viewer sees the match but cannot decide, in the page or past it', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.viewer);
      const target = fixture.plain[2]!;
      await t.page.goto(`${fixture.url}/#/match/${encodeURIComponent(target.id)}`);
      await t.page.waitForSelector('.compare');
      expect(await t.page.isDisabled('button.decide-confirm')).toBe(true);
      await t.page.keyboard.press('c');
      expect(await t.page.locator('dialog.decision-dialog').count()).toBe(0);
      // the server refuses the viewer's token whatever the page shows
      const status = await t.page.evaluate(async ({ id, token }) => {
        const res = await fetch(`/api/matches/${encodeURIComponent(id)}/decisions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'confirm', reason: 'viewer tries anyway' }) });
        return res.status;
      }, { id: target.id, token: fixture.tokens.viewer });
      expect(status).toBe(403);
      expect((await detail(target.id)).decisions).toEqual([]);
    });

    it('a candidate page carrying script in its title, body and attributes runs nothing and calls nothing', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.reviewer);
      const hostile = fixture.hostile;
      await t.page.goto(`${fixture.url}/#/match/${encodeURIComponent(hostile.id)}`);
      await t.page.waitForSelector('.compare');
      // show the saved page itself, in its sandboxed frame
      await t.page.click('.side.candidate .tabs button:has-text("Saved page")');
      const frame = t.page.locator('.side.candidate iframe.saved-page');
      await frame.waitFor();
      expect(await frame.getAttribute('sandbox')).toBe('');
      const src = (await frame.getAttribute('src'))!;
      const view = await fetch(new URL(src, fixture.url));
      expect(view.headers.get('content-security-policy')).toMatch(/^sandbox;.*default-src 'none'/);
      await view.arrayBuffer();
      await expect.poll(() => t.page.frames().some((f) => f.url().includes('/view/')), { timeout: 10_000 }).toBe(true);
      // time for a refresh, an onload, an onerror or a focus handler to fire if anything could run
      await t.page.hover('.side.candidate iframe.saved-page');
      await t.page.waitForTimeout(1500);
      await t.page.click('.side.candidate iframe.saved-page', { position: { x: 40, y: 40 } }).catch(() => undefined);
      await t.page.waitForTimeout(500);
      expect(fixture.canary.hits()).toEqual([]);
      // a reviewer clicks the page's link to the live site: the shell's frame-src 'self' stops the
      // frame from navigating off the review server, so the operator never sees the reviewer
      // (the frame then navigates either way: to the live site, or to the browser's error page)
      const saved = (await (await t.page.waitForSelector('.side.candidate iframe.saved-page')).contentFrame())!;
      await Promise.all([
        t.page.waitForEvent('framenavigated', { predicate: (f) => f === saved }),
        t.page.frameLocator('.side.candidate iframe.saved-page').locator('#livelink').click(),
      ]);
      expect(saved.url()).not.toContain(fixture.canary.url);
      expect(fixture.canary.hits()).toEqual([]);
      expect(t.dialogs.map((d) => d.message())).toEqual([]);
      // the title the operator wrote is shown as text; the page's own DOM gained no element or handler from it
      const title = (await t.page.textContent('.side.candidate .facts dd'))!;
      expect(title).toContain('<script>');
      expect(await t.page.evaluate(`document.querySelectorAll('#app script, #app img:not(.screenshot), #app [onerror], #app [onload], #app a[href^="javascript:"]').length`)).toBe(0);
      expect(t.page.url()).toContain('#/match/');
    });

    it('keyboard review: several matches in a row from the queue, and on from a match page', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.reviewer);
      await t.page.goto(`${fixture.url}/#/queue?state=unreviewed&sort=domain&q=${encodeURIComponent(fixture.keyboardGlob)}`);
      await t.page.waitForSelector('table.matches tr.current');
      const ids = await t.page.$$eval('table.matches tbody tr', (rows) => rows.map((r) => r.getAttribute('data-id')!));
      expect(ids.length).toBeGreaterThanOrEqual(4);
      const decideWithKey = async (key: string, reason: string): Promise<void> => {
        await t.page.keyboard.press(key);
        await t.page.waitForSelector('dialog.decision-dialog[open]');
        await t.page.keyboard.type(reason);
        await t.page.keyboard.press('Enter');
        await t.page.waitForSelector('dialog.decision-dialog', { state: 'detached' });
      };
      await decideWithKey('c', 'Mirror: same template and identifiers');
      await t.page.waitForSelector(`tr[data-id="${ids[1]}"].current`);
      await t.page.keyboard.press('j');
      await decideWithKey('r', 'Different site, shared CDN only');
      await t.page.waitForSelector(`tr[data-id="${ids[3]}"].current`);
      await t.page.keyboard.press('k');
      await t.page.keyboard.press('k');
      await t.page.waitForSelector(`tr[data-id="${ids[1]}"].current`);
      await t.page.keyboard.press('Enter');
      await t.page.waitForSelector('.compare');
      expect(await t.page.textContent('.match-head h1')).toBe(fixture.domainOf(ids[1]!));
      await decideWithKey('n', 'Needs a second capture');
      // a decision on a match page moves on to the next match of the queue
      // (waitForFunction would need eval, which the shell's CSP refuses: the URL is watched instead)
      await t.page.waitForURL((url) => url.hash === `#/match/${encodeURIComponent(ids[2]!)}`);

      const after = await Promise.all(ids.slice(0, 4).map(detail));
      expect(after.map((m) => m.state)).toEqual(['confirmed', 'needs-more', 'rejected', 'unreviewed']);
      expect(after.map((m) => m.decisions.map((d) => d.reason))).toEqual([['Mirror: same template and identifiers'], ['Needs a second capture'], ['Different site, shared CDN only'], []]);
    });

    it('the queue pages by cursor through more matches than fit one page, and filters by recorded date', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.reviewer);
      const rows = () => t.page.$$eval('table.matches tbody tr td.domain a', (links) => links.map((a) => a.textContent));
      await t.page.goto(`${fixture.url}/#/queue?state=unreviewed&sort=domain&q=${encodeURIComponent(fixture.pagingGlob)}`);
      await t.page.waitForSelector('table.matches tr.current');
      const first = await rows();
      expect(first).toHaveLength(50);
      expect(await t.page.textContent('.pager')).toContain(`1–50 of ${fixture.pagingCount}`);
      await clickWhenSettled(t.page, '.pager button:has-text("Next")');
      await t.page.waitForSelector(`.pager:has-text("51–${fixture.pagingCount} of ${fixture.pagingCount}")`);
      const second = await rows();
      expect(second).toHaveLength(fixture.pagingCount - 50);
      expect([...first, ...second]).toEqual([...first, ...second].sort());
      expect(new Set([...first, ...second]).size).toBe(fixture.pagingCount);
      await clickWhenSettled(t.page, '.pager button:has-text("Previous")');
      await t.page.waitForSelector('.pager:has-text("1–50")');
      expect(await rows()).toEqual(first);

      // whole UTC days: the paging matches were all recorded on 2026-09-15
      await t.page.goto(`${fixture.url}/#/queue?state=unreviewed&sort=domain&since=2026-09-15&until=2026-09-15`);
      await t.page.waitForSelector(`.counts:has-text("${fixture.pagingCount}")`);
      expect(await t.page.textContent('.counts .facts dd')).toBe(String(fixture.pagingCount));
      await t.page.goto(`${fixture.url}/#/queue?state=unreviewed&since=2026-09-16&until=2026-09-16`);
      await t.page.waitForSelector('p.empty');
    });

    it('bulk review: a filtered set of one site with the same identifiers, one reason, one audit record each', async () => {
      const t = await tab();
      await signIn(t, fixture.url, fixture.tokens.reviewer);
      await t.page.goto(`${fixture.url}/#/queue?state=unreviewed&sort=domain&q=${encodeURIComponent(fixture.bulkGlob)}`);
      await t.page.waitForSelector('table.matches tr.current');
      await t.page.click('button:has-text("Same site and identifiers")');
      await t.page.waitForSelector('.selected-count:not(:has-text("0 selected"))');
      const selected = Number((await t.page.textContent('.selected-count'))!.split(' ')[0]);
      expect(selected).toBe(fixture.bulk.length);
      await t.page.keyboard.press('c');
      await t.page.waitForSelector('dialog.decision-dialog[open]');
      await t.page.keyboard.type('Proxy hosts of the blocked site, same analytics account');
      await t.page.keyboard.press('Enter');
      await t.page.waitForSelector('.status-ok:has-text("decisions recorded")');
      const records = await Promise.all(fixture.bulk.map(async (m) => (await detail(m.id)).decisions));
      expect(records.every((r) => r.length === 1 && r[0]!.decision === 'confirm')).toBe(true);
      expect(new Set(records.map((r) => r[0]!.hash)).size).toBe(fixture.bulk.length);
      expect(new Set(records.map((r) => r[0]!.seq)).size).toBe(fixture.bulk.length);
    });
  });
});
