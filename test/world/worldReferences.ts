/**
 * The reference set for the world's blocked site, built the way `refs add` would: the original's
 * pages fingerprinted from memory, with the URLs they were captured at (whose paths get probed).
 */
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { addReference, emptyReferenceSet, type ReferenceSet } from '../../src/match/referenceSet.js';
import { ORIGINAL_CAPTURE_HOST, familyPages, type WorldPages } from './sitePages.js';
import { PROBE_PATH } from './worldHosts.js';

export const WORLD_SITE_ID = 'harbor';

export function worldReferencePages(pages: WorldPages = familyPages): Array<{ url: string; html: string }> {
  return [
    { url: `https://${ORIGINAL_CAPTURE_HOST}/`, html: pages.originalHome() },
    { url: `https://${ORIGINAL_CAPTURE_HOST}${PROBE_PATH}`, html: pages.originalListing() },
  ];
}

export function buildWorldReferenceSet(pages: WorldPages = familyPages): ReferenceSet {
  let set = emptyReferenceSet();
  for (const [i, page] of worldReferencePages(pages).entries()) {
    const fingerprint = fingerprintPage({ body: page.html, contentType: 'text/html; charset=utf-8', status: 200, url: page.url });
    set = addReference(
      set,
      { id: WORLD_SITE_ID, name: 'Harbor Torrents', domains: [{ domain: ORIGINAL_CAPTURE_HOST, firstSeen: '2024-01-01' }] },
      { id: `${WORLD_SITE_ID}/${i}`, site: WORLD_SITE_ID, pageType: i === 0 ? 'home' : 'listing', capturedUrl: page.url, provenance: { source: 'test world' }, fingerprint },
    );
  }
  return set;
}

export function buildWorldReferenceIndex(pages: WorldPages = familyPages): ReferenceIndex {
  return ReferenceIndex.build(buildWorldReferenceSet(pages));
}
