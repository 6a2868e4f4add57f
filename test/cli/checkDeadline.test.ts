import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heavyMarkup } from '../world/hostileAnswers.js';
import { harborListing } from '../fixtures/pageFamily.js';
import { runCli } from './cliHarness.js';

describe('check --html judges through the fingerprint pool, under its deadline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-deadline-'));
    await writeFile(path.join(dir, 'heavy.html'), heavyMarkup(7.5 * 1024 * 1024));
    await writeFile(path.join(dir, 'page.html'), harborListing({ host: 'a.example', seed: 1 }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a page past HOPWATCH_FINGERPRINT_DEADLINE_MS is FINGERPRINT_TIMEOUT (exit 3); the next file is still judged', async () => {
    const r = await runCli(['check', '--json', '--html', path.join(dir, 'heavy.html'), path.join(dir, 'page.html')], '', { HOPWATCH_FINGERPRINT_DEADLINE_MS: '1000' });
    const [heavy, page] = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { pageKind: string; verdict: string; error?: { code: string } });
    expect(heavy).toMatchObject({ pageKind: 'error', verdict: 'inconclusive', error: { code: 'FINGERPRINT_TIMEOUT' } });
    expect(page).toMatchObject({ pageKind: 'ok' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('FINGERPRINT_TIMEOUT');
  }, 60_000);

  it('a bad deadline setting is a usage error naming the variable', async () => {
    const r = await runCli(['check', '--html', path.join(dir, 'page.html')], '', { HOPWATCH_FINGERPRINT_DEADLINE_MS: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HOPWATCH_FINGERPRINT_DEADLINE_MS');
  });
});
