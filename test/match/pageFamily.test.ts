import { describe, expect, it } from 'vitest';
import { checkPage } from '../../src/check/checkPage.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { addReference, emptyReferenceSet } from '../../src/match/referenceSet.js';
import {
  challengePage,
  harborListing,
  harborMoved,
  harborProxied,
  harborRedesign,
  harborSister,
  nginxDefaultPage,
  ordinaryCdnSite,
  otherTorrentSite,
  parkedPage,
  HARBOR,
} from '../fixtures/pageFamily.js';

function harborIndex(): ReferenceIndex {
  let set = emptyReferenceSet();
  const site = { id: 'harbor', name: 'Harbor Torrents', domains: [{ domain: 'harbor-torrents.example', firstSeen: '2020-01-01' }] };
  for (const seed of [1, 2]) {
    const fingerprint = fingerprintPage({ body: harborListing({ host: 'harbor-torrents.example', seed }) });
    set = addReference(set, site, { id: `harbor/listing-${seed}`, site: 'harbor', pageType: 'list', capturedUrl: 'https://harbor-torrents.example/browse/latest', provenance: {}, fingerprint });
  }
  return ReferenceIndex.build(set);
}

const index = harborIndex();
const check = (html: string, domain?: string) => checkPage({ body: html }, index, { input: 'test', domain: domain ?? null }).result;

describe('matching the page family', () => {
  it('the moved site, with every listing changed, is a mirror', () => {
    const r = check(harborMoved({ host: 'harbor-torrents.new', seed: 99 }), 'harbor-torrents.new');
    expect(r).toMatchObject({ verdict: 'mirror', site: 'harbor', relation: 'mirror' });
    expect(r.score).toBeGreaterThanOrEqual(0.9);
    expect(r.evidence.map((e) => e.feature)).toEqual(expect.arrayContaining(['page-similarity', 'ga-property', 'verification:google-site-verification', 'donation:btc']));
  });

  it('a proxied copy with rewritten links and an injected banner is a mirror', () => {
    const r = check(harborProxied({ host: 'harbor.proxyhub.example', originalHost: 'harbor-torrents.example', seed: 7 }));
    expect(r).toMatchObject({ verdict: 'mirror', site: 'harbor' });
  });

  it('a redesign that keeps the operator IDs is a mirror on identifiers alone', () => {
    const r = check(harborRedesign({ host: 'harbor.re', seed: 3 }));
    expect(r).toMatchObject({ verdict: 'mirror', site: 'harbor' });
    expect(r.evidence.find((e) => e.feature === 'page-similarity')).toBeUndefined();
  });

  it('the operator\'s other site is a same-operator lead, not a mirror', () => {
    const r = check(harborSister({ host: 'quay.example', seed: 1 }));
    expect(r).toMatchObject({ verdict: 'likely', site: 'harbor', relation: 'same-operator' });
    expect(r.evidence.some((e) => e.feature === 'ga-account')).toBe(true);
  });

  it('a Cloudflare-style challenge page never matches', () => {
    const r = check(challengePage({ host: 'harbor-torrents.new', seed: 5 }), 'harbor-torrents.new');
    expect(r).toMatchObject({ verdict: 'inconclusive', pageKind: 'challenge', site: null });
  });

  it('a parked page never matches, even though it carries an analytics ID', () => {
    expect(check(parkedPage({ host: 'harbor-torrents.new', seed: 1 }))).toMatchObject({ verdict: 'inconclusive', pageKind: 'parked' });
  });

  it('a default server page never matches', () => {
    expect(check(nginxDefaultPage())).toMatchObject({ verdict: 'inconclusive', pageKind: 'default-server' });
  });

  it('another torrent site with the same kind of listing table is unrelated', () => {
    expect(check(otherTorrentSite({ host: 'nimbus.example', seed: 4 }))).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('an ordinary site sharing a CDN library is unrelated', () => {
    expect(check(ordinaryCdnSite({ host: 'bakery.example', seed: 4 }))).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('a news story that links the site\'s Telegram channel and names it is unrelated', () => {
    const story = `<html><head><title>Piracy news</title></head><body><article><h1>Harbor Torrents moves again</h1>
      <p>${'The site announced its new address on its channel. '.repeat(20)}</p>
      <a href="https://t.me/${HARBOR.telegram}">their channel</a></article><footer>© Daily Tech News</footer></body></html>`;
    expect(check(story)).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('a host name alone never makes a match', () => {
    expect(check(ordinaryCdnSite({ host: 'harbor-torrents.bakery', seed: 4 }), 'harbor-torrents.bakery')).toMatchObject({ verdict: 'unrelated' });
  });
});
