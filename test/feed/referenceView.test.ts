import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_CSP } from '../../src/feed/server.js';
import { readReferenceSet } from '../../src/match/referenceSet.js';
import { runCli } from '../cli/cliHarness.js';
import { matchRecord, startReviewWorld, testReferenceSet, type ReviewWorld } from './reviewHarness.js';

const REFERENCE_PAGE = '<html><head><title>Harbor - latest</title></head><body><h1>Harbor</h1><ul><li><a href="/t/1">one</a></li><li><a href="/t/2">two</a></li></ul><footer>Harbor</footer></body></html>';

describe('the reference page beside the candidate', () => {
  let world: ReviewWorld;
  let dir: string;
  let withBody: string;
  let withoutBody: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-refview-'));
    const page = path.join(dir, 'home.html');
    await writeFile(page, REFERENCE_PAGE);
    const refsFile = path.join(dir, 'refs.json');
    const evidenceDir = path.join(dir, 'evidence');
    // `refs add --evidence-dir` keeps the page as saved, under its own SHA-256
    const run = await runCli(['refs', 'add', '--refs', refsFile, '--site', 'harbor', '--evidence-dir', evidenceDir, page]);
    expect(run.code, run.stderr).toBe(0);
    const added = await readReferenceSet(refsFile);
    const base = testReferenceSet();
    world = await startReviewWorld({ referenceSet: { ...base, references: added.references } });
    // the review world has its own evidence directory: copy the reference body there as refs add would
    await world.putEvidence(REFERENCE_PAGE, 'html');
    const refId = added.references[0]!.id;
    withBody = await recordAgainst(world, 'harbor-ref2.test', refId);
    withoutBody = await recordAgainst(world, 'harbor-ref3.test', 'harbor/home');
  });
  afterAll(async () => {
    await world?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refs add --evidence-dir stores the page under the SHA-256 its fingerprint names', async () => {
    const set = await readReferenceSet(path.join(dir, 'refs.json'));
    const sha = set.references[0]!.fingerprint.sha256;
    expect(await readdir(path.join(dir, 'evidence', sha.slice(0, 2)))).toContain(`${sha}.html`);
  });

  it('a match against a reference whose body is kept gets a sandboxed reference view; one without gets none', async () => {
    const detail = (await (await world.call('GET', `/api/matches/${withBody}`)).json()) as { reference: { pageId: string } | null; referenceView: string | null };
    expect(detail.reference?.pageId).toMatch(/^harbor\//);
    expect(detail.referenceView).toMatch(/^\/view\/[0-9a-f]{64}\?t=/);
    const view = await fetch(`${world.base}${detail.referenceView}`);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-security-policy')).toBe(VIEW_CSP);
    expect(await view.text()).toContain('Harbor - latest');

    const none = (await (await world.call('GET', `/api/matches/${withoutBody}`)).json()) as { referenceView: string | null };
    expect(none.referenceView).toBeNull();
  });
});

/** Record a match whose evidence names `reference` as the page it matched. */
async function recordAgainst(world: ReviewWorld, domain: string, reference: string): Promise<string> {
  const record = matchRecord({ domain, site: 'harbor' });
  const parsed = JSON.parse(record.evidenceJson) as { evidence: { reference: string }[] };
  for (const e of parsed.evidence) e.reference = reference;
  const outcome = await world.checkStore.recordCheck({ ...record, evidenceJson: JSON.stringify(parsed) });
  return outcome.feedId!;
}
