/**
 * `hopwatch check DOMAIN...` and `scan` against the test world, through the CLI: one domain
 * parser for every input (trailing dots, other schemes, credentials, `-`), and one exit-code
 * precedence (1 any match, else 3 anything not fetched, else 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeReferenceSet } from '../../src/match/referenceSet.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceSet } from '../world/worldReferences.js';
import { runCli } from './cliHarness.js';

describe('hopwatch check on live domains', () => {
  let world: World;
  let dir: string;
  let refs: string;
  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-check-live-'));
    refs = path.join(dir, 'refs.json');
    await writeReferenceSet(refs, buildWorldReferenceSet());
  });
  afterAll(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });
  const check = (args: string[], stdin = '') => runCli(['check', '--refs', refs, '--timeout-ms', '5000', '--max-probes', '1', ...world.cliFlags(), ...args], stdin);

  it('exits 3 when no domain could be fetched', async () => {
    const r = await check(['--json', 'gone.test', 'refused.test']);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { error: { code: string } }).error.code)).toEqual(['CRAWL_DNS_NXDOMAIN', 'CRAWL_CONNECT_REFUSED']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('checked 2: mirror 0, likely 0, unrelated 0, inconclusive 2; 2 could not be read or fetched; no match');
  });

  it('a match wins over an unfetchable neighbour (exit 1); the summary names the matched domain', async () => {
    const r = await check(['gone.test', 'mirror-one.test']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('matched: mirror-one.test');
  });

  it('a trailing dot is the same host (its --connect-to rule applies)', async () => {
    const r = await check(['--json', 'mirror-two.test.']);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'mirror', domain: 'mirror-two.test' });
    expect(r.code).toBe(1);
  });

  it('other schemes and credentials are refused before any fetch, and credentials never echoed', async () => {
    const r = await check(['--json', 'ftp://files.test/', 'https://admin:hunter2@mirror-one.test/', 'a..b', `${'a'.repeat(64)}.test`]);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { error: { code: string } });
    expect(lines.map((l) => l.error.code)).toEqual(['INPUT_INVALID_DOMAIN', 'INPUT_INVALID_DOMAIN', 'INPUT_INVALID_DOMAIN', 'INPUT_INVALID_DOMAIN']);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
    expect(r.code).toBe(3);
  });

  it('- reads domains from stdin, and -l FILE from a list', async () => {
    const list = path.join(dir, 'list.txt');
    await writeFile(list, '# list\nunrelated.test\n');
    const r = await check(['--json', '-', '-l', list], 'mirror-one.test\n');
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { input: string; verdict: string }).verdict)).toEqual(['mirror', 'unrelated']);
  });

  it('a scan line that is not a domain is reported as one, not checked as its first word', async () => {
    const r = await runCli(['scan', '--json', '--refs', refs, '--per-host-delay-ms', '0', ...world.cliFlags()], 'not a domain!!\nmirror-two.test.\n');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; error?: { code: string } });
    expect(lines.map((l) => l.error?.code ?? l.verdict).sort()).toEqual(['INPUT_INVALID_DOMAIN', 'mirror']);
    expect(r.stderr).toContain('not a domain 1');
    expect(r.code).toBe(1);
  });
});
