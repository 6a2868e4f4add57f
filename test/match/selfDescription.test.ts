import { describe, expect, it } from 'vitest';
import { checkPage } from '../../src/check/checkPage.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { nameKeys } from '../../src/fingerprint/selfDescription.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { addReference, emptyReferenceSet } from '../../src/match/referenceSet.js';
import { SiteSelfKnowledge } from '../../src/match/selfEvidence.js';
import {
  challengePage,
  encyclopediaArticle,
  harborListing,
  harborRebuilt,
  otherSiteLinkingTo,
  parkedPageNamingSite,
  HARBOR,
} from '../fixtures/pageFamily.js';

const KNOWN = 'harbor-torrents.example';

function harborIndex(): ReferenceIndex {
  let set = emptyReferenceSet();
  const site = { id: 'harbor', name: HARBOR.brand, domains: [{ domain: KNOWN, firstSeen: '2020-01-01' }] };
  for (const seed of [1, 2]) {
    const fingerprint = fingerprintPage({ body: harborListing({ host: KNOWN, seed }) });
    set = addReference(set, site, { id: `harbor/listing-${seed}`, site: 'harbor', pageType: 'list', capturedUrl: `https://${KNOWN}/browse/latest`, provenance: {}, fingerprint });
  }
  // another blocked site, so that names and hosts have to pick the right one
  set = addReference(set, { id: 'nimbus', name: 'Nimbus Tracker', domains: [{ domain: 'nimbus.example', firstSeen: null }] }, null);
  return ReferenceIndex.build(set);
}

const index = harborIndex();
const check = (html: string, domain?: string) => checkPage({ body: html }, index, { input: 'test', domain: domain ?? null }).result;
const features = (r: { evidence: Array<{ feature: string }> }) => r.evidence.map((e) => e.feature);
const rebuilt = (mirrors: string[] = []) => harborRebuilt({ host: 'harbor-new.example', seed: 11, knownHost: KNOWN, mirrors });

describe('brand and own-domain evidence', () => {
  it('a site rebuilt from scratch, naming itself and linking to its own domains, is likely, with those reasons', () => {
    const r = check(rebuilt(), 'harbor-new.example');
    expect(r).toMatchObject({ verdict: 'likely', site: 'harbor', relation: 'mirror' });
    expect(features(r)).toEqual(expect.arrayContaining(['brand:title', 'brand:copyright', 'own-domain']));
    expect(features(r)).not.toContain('page-similarity');
    const own = r.evidence.find((e) => e.feature === 'own-domain');
    expect(own?.matched).toContain(`forum.${KNOWN}`);
    expect(r.score).toBeLessThan(0.9);
  });

  it('proxy-rewritten hosts and a known name under another suffix count as the site\'s own domains', () => {
    const page = harborRebuilt({ host: 'harbor-new.example', seed: 12, knownHost: 'elsewhere.example', mirrors: ['harbor-torrents-example.unblock.example', 'harbor-torrents.net'] });
    const r = check(page);
    expect(r).toMatchObject({ verdict: 'likely', site: 'harbor' });
    const own = r.evidence.find((e) => e.feature === 'own-domain');
    expect(own?.matched).toContain('proxy-rewritten');
    expect(own?.matched).toContain('another suffix');
  });

  it('the same page behind a challenge provider never matches', () => {
    const page = challengePage({ host: KNOWN, seed: 3 }).replace('<title>Just a moment...</title>', `<title>Just a moment... | ${HARBOR.brand}</title>`);
    expect(check(page, KNOWN)).toMatchObject({ verdict: 'inconclusive', pageKind: 'challenge', site: null });
  });

  it('a parking page that names the site and links to its domain never matches', () => {
    expect(check(parkedPageNamingSite({ host: 'harbor-torrents.biz', seed: 1, knownHost: KNOWN }))).toMatchObject({ verdict: 'inconclusive', pageKind: 'parked', site: null });
  });

  it('an unrelated torrent site linking to the blocked site\'s domain is unrelated; the links are shown as a hint only', () => {
    const r = check(otherSiteLinkingTo({ host: 'nimbus.example', seed: 4, knownHost: KNOWN }));
    expect(r).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('an encyclopedia article titled with the site\'s name and linking to it is unrelated: the page declares another name', () => {
    expect(check(encyclopediaArticle({ host: 'encyclopedia.example', seed: 1, knownHost: KNOWN }))).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('a title that starts with the name and ends with a tagline names the site', () => {
    const page = rebuilt().replace(/<title>[^<]*<\/title>/, `<title>${HARBOR.brand} - The most resilient torrent index on the seas</title>`).replace(`© 2031 ${HARBOR.brand}`, '');
    const r = check(page);
    expect(r).toMatchObject({ verdict: 'likely', site: 'harbor' });
    expect(features(r)).toContain('brand:title');
  });

  it("a news topic page '<site> - <publication>' that links to the site is unrelated", () => {
    const page = `<html><head><title>${HARBOR.brand} - The Daily Tech News</title></head><body><h1>${HARBOR.brand}</h1>
      <p>${'Coverage of the torrent index and its many domains. '.repeat(20)}</p><a href="https://${KNOWN}/">${KNOWN}</a><a href="https://forum.${KNOWN}/">forum</a></body></html>`;
    expect(check(page)).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('a name alone is a lead, never likely', () => {
    const page = rebuilt().replace(`https://forum.${KNOWN}/`, '/forum');
    expect(check(page)).toMatchObject({ verdict: 'unrelated', site: null });
  });

  it('links alone, from a page that names itself otherwise, are never likely', () => {
    const page = rebuilt([KNOWN]).replaceAll(HARBOR.brand, 'Cove Index');
    expect(check(page)).toMatchObject({ verdict: 'unrelated', site: null });
  });
});

describe('nameKeys', () => {
  it('folds case and separators, keeps digits, reduces host names to their label and drops dressing words', () => {
    expect(nameKeys('The Pirate Bay')).toEqual(expect.arrayContaining(['thepiratebay', 'piratebay']));
    expect(nameKeys('Newpct1.com')).toContain('newpct1');
    expect(nameKeys('Newpct1.com')).not.toContain('newpct');
    expect(nameKeys('Verified Torrent Downloads - LimeTorrents.cc')).toContain('limetorrents');
    expect(nameKeys('rarbg torrents')).toContain('rarbg');
    expect(nameKeys('TV')).toEqual([]);
  });
});

describe('known domains on a proxy service', () => {
  it("a site's known proxy host does not make the proxy service's other hosts that site's", () => {
    let set = emptyReferenceSet();
    set = addReference(set, { id: 'harbor', name: HARBOR.brand, domains: [{ domain: KNOWN, firstSeen: null }, { domain: 'harbor.unblockhub.example', firstSeen: null }] }, null);
    set = addReference(set, { id: 'nimbus', name: 'Nimbus Tracker', domains: [{ domain: 'nimbus.example', firstSeen: null }] }, null);
    const knowledge = new SiteSelfKnowledge(set.sites, set.references);
    const page = harborRebuilt({ host: 'x.example', seed: 3, knownHost: 'elsewhere.example', mirrors: ['nimbus-tracker.unblockhub.example', 'harbor.unblockhub.example'] }).replaceAll(HARBOR.brand, 'Nimbus Tracker');
    const own = knowledge.evidence(fingerprintPage({ body: page })).get('harbor')?.find((e) => e.feature === 'own-domain');
    expect(own?.matched).toContain('harbor.unblockhub.example');
    expect(own?.matched).not.toContain('nimbus-tracker.unblockhub.example');
  });
});

describe("a site's names from its reference pages", () => {
  it('a logo-like button on one reference page only is not a name of the site', () => {
    const withButton = harborListing({ host: KNOWN, seed: 2 }).replace('<div id="main">', '<div id="main"><a class="logo-dl" href="/dl" title="Direct Download">Get it</a>');
    let set = emptyReferenceSet();
    const site = { id: 'harbor', name: HARBOR.brand, domains: [{ domain: KNOWN, firstSeen: null }] };
    set = addReference(set, site, { id: 'harbor/1', site: 'harbor', pageType: 'list', capturedUrl: null, provenance: {}, fingerprint: fingerprintPage({ body: harborListing({ host: KNOWN, seed: 1 }) }) });
    set = addReference(set, site, { id: 'harbor/2', site: 'harbor', pageType: 'list', capturedUrl: null, provenance: {}, fingerprint: fingerprintPage({ body: withButton }) });
    expect(set.references[1]!.fingerprint.identifiers.some((i) => i.kind === 'brand' && i.value === 'directdownload')).toBe(true);
    const page = rebuilt([KNOWN]).replaceAll(HARBOR.brand, 'Direct Download');
    expect(ReferenceIndex.build(set).match(fingerprintPage({ body: page }))).toMatchObject({ verdict: 'unrelated', site: null });
  });
});
