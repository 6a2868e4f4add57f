/**
 * What the browser tests review: the real review server with matches recorded from the
 * project's page family, two tokens (a reviewer and a viewer), and a loopback canary the hostile
 * candidate page would call.
 */
import { harborMoved, harborProxied, harborSister } from '../fixtures/pageFamily.js';
import { ORIGINAL_CAPTURE_HOST } from '../world/sitePages.js';
import { WORLD_SITE_ID } from '../world/worldReferences.js';
import { hostileMirror, startCanary, type Canary } from './canary.js';
import { PAGE_TOKENS, REVIEWER_NAME, startPageReviewWorld, type RecordedPage } from './pageReviewWorld.js';

export interface ReviewFixture {
  url: string;
  tokens: { reviewer: string; viewer: string };
  reviewerName: string;
  siteId: string;
  canary: Canary;
  /** matches the first tests open one by one */
  plain: RecordedPage[];
  hostile: RecordedPage;
  /** a domain glob whose matches the keyboard test walks (at least 4) */
  keyboardGlob: string;
  /** a domain glob with more matches than one page of the queue, all recorded on one old day */
  pagingGlob: string;
  pagingCount: number;
  /** a domain glob; its first match by domain shares site and identifiers with exactly `bulk` */
  bulkGlob: string;
  bulk: RecordedPage[];
  domainOf(id: string): string;
  close(): Promise<void>;
}

/** more than the queue's page of 50 */
const PAGING_COUNT = 60;

export async function startReviewFixture(): Promise<ReviewFixture> {
  const canary = await startCanary();
  const world = await startPageReviewWorld();
  try {
    const all: RecordedPage[] = [];
    const record = async (domain: string, html: string, screenshot = false, checkedAt?: number): Promise<RecordedPage> => {
      const page = await world.recordPage(domain, html, { screenshot, ...(checkedAt ? { checkedAt } : {}) });
      all.push(page);
      return page;
    };
    const plain = [
      await record('mirror-one.test', harborMoved({ host: 'mirror-one.test', seed: 11 }), true),
      await record('mirror-two.test', harborMoved({ host: 'mirror-two.test', seed: 12 })),
      await record('mirror-three.test', harborMoved({ host: 'mirror-three.test', seed: 13 })),
    ];
    for (let n = 1; n <= 5; n++) await record(`kb-${n}.keys.test`, harborMoved({ host: `kb-${n}.keys.test`, seed: 20 + n }));
    const bulk: RecordedPage[] = [];
    for (const label of ['a', 'b', 'c', 'd']) {
      const host = `harbor-${label}.unblockit.test`;
      bulk.push(await record(host, harborProxied({ host, seed: 30 + label.charCodeAt(0), originalHost: ORIGINAL_CAPTURE_HOST })));
    }
    // the operator's other site, on the same proxy: matched through the analytics account only
    const sister = await record('quay.unblockit.test', harborSister({ host: 'quay.unblockit.test', seed: 40 }));
    const hostile = await record('hostile.test', hostileMirror(harborMoved({ host: 'hostile.test', seed: 50 }), canary.url), true);
    // older than everything else, so the other tests' matches stay on the queue's first page
    for (let n = 0; n < PAGING_COUNT; n++) {
      const host = `p-${String(n).padStart(3, '0')}.pages.test`;
      await record(host, harborMoved({ host, seed: 100 + n }), false, Date.UTC(2026, 8, 15, 8, 0) + n * 1000);
    }
    const sameIds = (p: RecordedPage) => [...p.identifiers].sort().join('\n');
    if (bulk.some((p) => sameIds(p) !== sameIds(bulk[0]!)) || sameIds(sister) === sameIds(bulk[0]!)) throw new Error('fixture: the proxy copies must share their identifiers and the sister site must not');
    return {
      url: world.base,
      tokens: PAGE_TOKENS,
      reviewerName: REVIEWER_NAME,
      siteId: WORLD_SITE_ID,
      canary,
      plain,
      hostile,
      keyboardGlob: '*.keys.test',
      pagingGlob: '*.pages.test',
      pagingCount: PAGING_COUNT,
      bulkGlob: '*.unblockit.*',
      bulk,
      domainOf: (id) => all.find((m) => m.id === id)?.domain ?? '',
      close: async () => {
        await world.close();
        await canary.close();
      },
    };
  } catch (err) {
    await world.close();
    await canary.close();
    throw err;
  }
}
