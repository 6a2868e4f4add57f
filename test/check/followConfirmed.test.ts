import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { followConfirmedMatches } from '../../src/check/followConfirmed.js';
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/evidenceStore.js';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { addReference, emptyReferenceSet, type ReferenceSet } from '../../src/match/referenceSet.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { ReviewStore } from '../../src/store/reviewStore.js';
import { harborListing, harborRebuilt } from '../fixtures/pageFamily.js';
import { runCli } from '../cli/cliHarness.js';
import { readReferenceSet, writeReferenceSet } from '../../src/match/referenceSet.js';
import { dropPrefix, testSettings, TEST_REDIS_URL } from '../queue/queueHarness.js';

const KNOWN = 'harbor-torrents.example';

function seedSet(): ReferenceSet {
  const site = { id: 'harbor', name: 'Harbor Torrents', domains: [{ domain: KNOWN, firstSeen: '2020-01-01' }] };
  return addReference(emptyReferenceSet(), site, { id: 'harbor/listing-1', site: 'harbor', pageType: 'list', capturedUrl: null, provenance: {}, fingerprint: fingerprintPage({ body: harborListing({ host: KNOWN, seed: 1 }) }) });
}

/** An evidence package as the worker writes it, reduced to what a reference needs: the body and a manifest naming it. */
async function storePackage(store: EvidenceStore, domain: string, html: string): Promise<{ manifest: string; body: string }> {
  const body = await store.put(new TextEncoder().encode(html), 'html');
  const manifest = {
    schema: 'hopwatch.evidence/1',
    createdAt: '2031-02-01T00:00:00.000Z',
    domain,
    requestedUrl: `https://${domain}/`,
    finalUrl: `https://${domain}/`,
    verdict: 'likely',
    reference: { siteId: 'harbor', pageId: 'harbor/listing-1', provenance: {} },
    fetch: { exchanges: [] },
    warc: { sha256: '0'.repeat(64), bytes: 0, records: [] },
    body: { sha256: body.sha256, bytes: body.bytes, contentType: 'text/html; charset=utf-8', charset: 'utf-8', truncated: false },
    screenshot: null,
  };
  const m = await store.put(new TextEncoder().encode(JSON.stringify(manifest)), 'manifest.json');
  return { manifest: m.sha256, body: body.sha256 };
}

describe('confirmed matches become references', () => {
  const settings = testSettings();
  const redis = new Redis(TEST_REDIS_URL);
  const review = new ReviewStore(redis, redisKeys(settings.keyPrefix));
  let dir: string;
  let evidence: EvidenceStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopwatch-follow-'));
    evidence = openEvidenceStore(dir);
  });
  afterEach(async () => {
    await dropPrefix(settings);
  });
  afterAll(async () => {
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  const decide = (matchId: string, domain: string, decision: 'confirm' | 'reject', ctx: { manifest: string | null; sha256: string | null }) =>
    review.appendDecision({ matchId, domain, site: 'harbor', decision, reason: 'checked by hand', reviewer: 'cli:alice', at: '2031-02-02T10:00:00.000Z' }, { ...ctx, addresses: [] });

  it("a confirmed match's page body is added with its decision; the next capture of the new template is then a mirror", async () => {
    const pkg = await storePackage(evidence, 'harbor-v3.example', harborRebuilt({ host: 'harbor-v3.example', seed: 21, knownHost: KNOWN, mirrors: [] }));
    await decide('1-0', 'harbor-v3.example', 'confirm', { manifest: pkg.manifest, sha256: pkg.body });
    const rejected = await storePackage(evidence, 'nimbus.example', harborRebuilt({ host: 'nimbus.example', seed: 22, knownHost: KNOWN, mirrors: [] }));
    await decide('2-0', 'nimbus.example', 'reject', { manifest: rejected.manifest, sha256: rejected.body });

    const before = seedSet();
    const { set, added, skipped } = await followConfirmedMatches(before, review, evidence);
    expect(added).toEqual([`harbor/confirmed-${pkg.body.slice(0, 16)}`]);
    expect(skipped).toEqual([]);
    const ref = set.references.find((r) => r.id === added[0]);
    expect(ref).toMatchObject({ site: 'harbor', pageType: 'list', capturedUrl: 'https://harbor-v3.example/' });
    expect(ref?.provenance).toMatchObject({ decision: 'confirm 1-0', confirmedAt: '2031-02-02T10:00:00.000Z', evidenceManifest: pkg.manifest, reviewer: 'cli:alice', domain: 'harbor-v3.example' });

    const next = fingerprintPage({ body: harborRebuilt({ host: 'harbor-v4.example', seed: 23, knownHost: 'elsewhere.example', mirrors: [] }) });
    expect(ReferenceIndex.build(before).match(next).verdict).not.toBe('mirror');
    expect(ReferenceIndex.build(set).match(next)).toMatchObject({ verdict: 'mirror', site: 'harbor' });

    // a second run adds nothing new
    expect((await followConfirmedMatches(set, review, evidence)).added).toEqual([]);
  });

  it('a confirmation without an evidence package, or whose body was altered, is skipped with the reason', async () => {
    await decide('3-0', 'harbor-a.example', 'confirm', { manifest: null, sha256: null });
    const pkg = await storePackage(evidence, 'harbor-b.example', harborRebuilt({ host: 'harbor-b.example', seed: 31, knownHost: KNOWN, mirrors: [] }));
    await decide('4-0', 'harbor-b.example', 'confirm', { manifest: pkg.manifest, sha256: pkg.body });
    // the manifest names a body that is not in the directory
    const orphan = await evidence.put(new TextEncoder().encode(JSON.stringify({ schema: 'hopwatch.evidence/1', createdAt: 'x', domain: 'harbor-c.example', requestedUrl: 'https://harbor-c.example/', finalUrl: 'https://harbor-c.example/', verdict: 'likely', fetch: { exchanges: [] }, warc: { sha256: '0'.repeat(64), bytes: 0, records: [] }, body: { sha256: '1'.repeat(64), bytes: 1 }, screenshot: null })), 'manifest.json');
    await decide('5-0', 'harbor-c.example', 'confirm', { manifest: orphan.sha256, sha256: '1'.repeat(64) });

    const { added, skipped } = await followConfirmedMatches(seedSet(), review, evidence);
    expect(added).toHaveLength(1);
    expect(skipped.map((s) => [s.matchId, s.reason])).toEqual([
      ['3-0', 'no evidence package'],
      ['5-0', `page body ${'1'.repeat(64)} missing or altered`],
    ]);
  });

  it('hopwatch refs follow writes the confirmed pages into the reference-set file', async () => {
    const pkg = await storePackage(evidence, 'harbor-v5.example', harborRebuilt({ host: 'harbor-v5.example', seed: 41, knownHost: KNOWN, mirrors: [] }));
    await decide('6-0', 'harbor-v5.example', 'confirm', { manifest: pkg.manifest, sha256: pkg.body });
    const refs = join(dir, 'refs.json');
    await writeReferenceSet(refs, seedSet());
    const env = { REDIS_URL: TEST_REDIS_URL, HOPWATCH_KEY_PREFIX: settings.keyPrefix };
    const r = await runCli(['refs', 'follow', '--refs', refs, '--evidence-dir', dir], '', env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 confirmed page(s) added');
    expect((await readReferenceSet(refs)).references.map((x) => x.id)).toContain(`harbor/confirmed-${pkg.body.slice(0, 16)}`);
    const noDir = await runCli(['refs', 'follow', '--refs', refs], '', env);
    expect(noDir.code).toBe(2);
  });
});

