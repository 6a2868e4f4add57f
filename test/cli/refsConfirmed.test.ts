import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harborListing, harborRebuilt } from '../fixtures/pageFamily.js';
import { runCli } from './cliHarness.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hopwatch-refs-confirmed-'));
  await writeFile(join(dir, 'seed.html'), harborListing({ host: 'harbor-torrents.example', seed: 1 }));
  await writeFile(join(dir, 'rebuilt.html'), harborRebuilt({ host: 'harbor-new.example', seed: 5, knownHost: 'elsewhere.example', mirrors: [] }));
  await writeFile(join(dir, 'next.html'), harborRebuilt({ host: 'harbor-newer.example', seed: 6, knownHost: 'elsewhere.example', mirrors: [] }));
  await writeFile(join(dir, 'decision.json'), JSON.stringify({ decision: 'review-42', at: '2031-03-01T12:00:00Z', evidenceManifest: 'cd'.repeat(32), reviewer: 'legal@example', pageType: 'list' }));
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ decision: 'review-42', at: 'yesterday' }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hopwatch refs add --confirmed', () => {
  it('adds a reviewed page with its decision as provenance, and the next capture of the new template matches it', async () => {
    const refs = join(dir, 'refs.json');
    expect((await runCli(['refs', 'add', '--refs', refs, '--site', 'harbor', '--name', 'Harbor Torrents', join(dir, 'seed.html')])).code).toBe(0);
    const r = await runCli(['refs', 'add', '--refs', refs, '--site', 'harbor', '--confirmed', join(dir, 'decision.json'), join(dir, 'rebuilt.html')]);
    expect(r.code).toBe(0);
    const set = JSON.parse(await readFile(refs, 'utf8')) as { references: Array<{ pageType: string; provenance: Record<string, string> }> };
    expect(set.references[1]).toMatchObject({ pageType: 'list', provenance: { decision: 'review-42', confirmedAt: '2031-03-01T12:00:00.000Z', evidenceManifest: 'cd'.repeat(32), reviewer: 'legal@example' } });
    const check = await runCli(['check', '--refs', refs, '--json', '--html', join(dir, 'next.html')]);
    expect(JSON.parse(check.stdout.trim())).toMatchObject({ verdict: 'mirror', site: 'harbor' });
  });

  it('refuses a malformed decision file with REFS_CONFIRMATION_INVALID and exit code 3, writing nothing', async () => {
    const refs = join(dir, 'untouched.json');
    const r = await runCli(['refs', 'add', '--refs', refs, '--site', 'harbor', '--confirmed', join(dir, 'bad.json'), join(dir, 'rebuilt.html')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('REFS_CONFIRMATION_INVALID');
    await expect(readFile(refs)).rejects.toThrow();
  });
});
