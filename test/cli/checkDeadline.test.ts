import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harborListing } from '../fixtures/pageFamily.js';
import { runCli } from './cliHarness.js';

describe('check --html judges through the fingerprint pool, under its deadline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-deadline-'));
    // the slowest page per byte of the adversarial bench (identifier prefixes repeated), 7.5 MiB
    const unit = 'histats.com/';
    await writeFile(path.join(dir, 'heavy.html'), `<html><body>${unit.repeat(Math.ceil((7.5 * 1024 * 1024) / unit.length))}</body></html>`);
    await writeFile(path.join(dir, 'page.html'), harborListing({ host: 'a.example', seed: 1 }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The deadline itself is tested by what it guarantees in test/check/pagePool.test.ts and the
  // poison fleet test (a thread that never finishes). Here only the CLI's handling of a timed-out
  // page: the setting's floor, 100 ms, against a page that takes 300+ ms on an idle core.
  it('a page past HOPWATCH_FINGERPRINT_DEADLINE_MS is FINGERPRINT_TIMEOUT (exit 3); the next file is still judged', async () => {
    const r = await runCli(['check', '--json', '--html', path.join(dir, 'heavy.html'), path.join(dir, 'page.html')], '', { HOPWATCH_FINGERPRINT_DEADLINE_MS: '100' });
    const [heavy, page] = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { pageKind: string; verdict: string; error?: { code: string } });
    expect(heavy).toMatchObject({ pageKind: 'error', verdict: 'inconclusive', error: { code: 'FINGERPRINT_TIMEOUT' } });
    // the next file still gets its own result (judged, unless a very loaded machine also cut it)
    expect(page!.pageKind === 'ok' || page!.error?.code === 'FINGERPRINT_TIMEOUT').toBe(true);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('FINGERPRINT_TIMEOUT');
  }, 60_000);

  it('a bad deadline setting is a usage error naming the variable', async () => {
    const r = await runCli(['check', '--html', path.join(dir, 'page.html')], '', { HOPWATCH_FINGERPRINT_DEADLINE_MS: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HOPWATCH_FINGERPRINT_DEADLINE_MS');
  });
});
