import { describe, expect, it } from 'vitest';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { addConfirmedReference, addReference, emptyReferenceSet, parseReferenceSet, type Confirmation, type ReferencePage } from '../../src/match/referenceSet.js';
import { harborListing, harborRebuilt } from '../fixtures/pageFamily.js';

const KNOWN = 'harbor-torrents.example';
const site = { id: 'harbor', name: 'Harbor Torrents', domains: [{ domain: KNOWN, firstSeen: '2020-01-01' }] };
const seedPage = (n: number): ReferencePage => ({ id: `harbor/seed-${n}`, site: 'harbor', pageType: 'list', capturedUrl: null, provenance: { savedDate: '2020' }, fingerprint: fingerprintPage({ body: harborListing({ host: KNOWN, seed: n }) }) });
const rebuiltPage = (n: number): ReferencePage => ({
  id: `harbor/rebuilt-${n}`,
  site: 'harbor',
  pageType: 'list',
  capturedUrl: null,
  provenance: {},
  fingerprint: fingerprintPage({ body: harborRebuilt({ host: 'harbor-new.example', seed: n, knownHost: 'elsewhere.example', mirrors: [] }) }),
});
const confirmation = (day: number): Confirmation => ({ decision: `decision-${day}`, at: `2031-01-${String(day).padStart(2, '0')}T10:00:00Z`, evidenceManifest: 'ab'.repeat(32), reviewer: 'reviewer@example' });

describe('references that follow the site', () => {
  it('a confirmed page becomes a reference with its decision, time, evidence hash and reviewer', () => {
    const set = addConfirmedReference(addReference(emptyReferenceSet(), site, seedPage(1)), site, rebuiltPage(1), confirmation(3));
    const added = set.references.find((r) => r.id === 'harbor/rebuilt-1');
    expect(added?.provenance).toMatchObject({ decision: 'decision-3', confirmedAt: '2031-01-03T10:00:00.000Z', evidenceManifest: 'ab'.repeat(32), reviewer: 'reviewer@example' });
    // the file format accepts it back
    expect(parseReferenceSet(JSON.parse(JSON.stringify(set))).references).toHaveLength(2);
  });

  it('keeps at most the bound per site and page type: the oldest and the newest', () => {
    let set = addReference(emptyReferenceSet(), site, seedPage(1));
    for (let day = 1; day <= 6; day++) set = addConfirmedReference(set, site, { ...rebuiltPage(day), id: `harbor/rebuilt-${day}` }, confirmation(day), 4);
    const ids = set.references.filter((r) => r.pageType === 'list').map((r) => r.id);
    expect(ids).toHaveLength(4);
    expect(ids).toContain('harbor/seed-1');
    expect(ids).toEqual(expect.arrayContaining(['harbor/rebuilt-4', 'harbor/rebuilt-5', 'harbor/rebuilt-6']));
  });

  it('other page types and other sites are left alone', () => {
    let set = addReference(emptyReferenceSet(), site, { ...seedPage(2), id: 'harbor/detail', pageType: 'detail' });
    set = addReference(set, { id: 'nimbus', name: 'Nimbus' }, { ...seedPage(3), id: 'nimbus/x', site: 'nimbus' });
    for (let day = 1; day <= 5; day++) set = addConfirmedReference(set, site, { ...rebuiltPage(day), id: `harbor/rebuilt-${day}` }, confirmation(day), 2);
    expect(set.references.map((r) => r.id)).toEqual(expect.arrayContaining(['harbor/detail', 'nimbus/x']));
    expect(set.references.filter((r) => r.site === 'harbor' && r.pageType === 'list')).toHaveLength(2);
  });

  it('after a redesign is confirmed, the next capture of the new template is a near-duplicate mirror', () => {
    const before = ReferenceIndex.build(addReference(emptyReferenceSet(), site, seedPage(1)));
    const next = fingerprintPage({ body: harborRebuilt({ host: 'harbor-newer.example', seed: 77, knownHost: 'elsewhere.example', mirrors: [] }) });
    expect(before.match(next).verdict).not.toBe('mirror');
    const after = ReferenceIndex.build(addConfirmedReference(addReference(emptyReferenceSet(), site, seedPage(1)), site, rebuiltPage(5), confirmation(5)));
    expect(after.match(next)).toMatchObject({ verdict: 'mirror', site: 'harbor' });
  });

  it('refuses a malformed confirmation', () => {
    expect(() => addConfirmedReference(emptyReferenceSet(), site, rebuiltPage(1), { ...confirmation(1), evidenceManifest: 'nope' })).toThrow(/REFS_CONFIRMATION_INVALID|not a confirmation/);
  });
});
