import { execFile } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengePage, harborListing, harborMoved, otherTorrentSite } from '../fixtures/pageFamily.js';
import { runCli } from './cliHarness.js';

const run = promisify(execFile);
let dir: string;
let refs: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hopwatch-cli-'));
  refs = join(dir, 'refs.json');
  await writeFile(join(dir, 'ref1.html'), harborListing({ host: 'harbor-torrents.example', seed: 1 }));
  await writeFile(join(dir, 'ref2.html'), harborListing({ host: 'harbor-torrents.example', seed: 2 }));
  await writeFile(join(dir, 'moved.html'), harborMoved({ host: 'harbor.new', seed: 40 }));
  await writeFile(join(dir, 'other.html'), otherTorrentSite({ host: 'nimbus.example', seed: 3 }));
  await writeFile(join(dir, 'challenge.html'), challengePage({ host: 'harbor.new', seed: 3 }));
  await writeFile(join(dir, 'empty.html'), '');
  await writeFile(join(dir, 'binary.html'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0, 0xff]));
  await writeFile(join(dir, 'unreadable.html'), '<html></html>');
  await chmod(join(dir, 'unreadable.html'), 0o000);
  await mkdir(join(dir, 'a-directory.html'));
  // sparse: 50 MB on paper, no disk used
  await writeFile(join(dir, 'huge.html'), '');
  await truncate(join(dir, 'huge.html'), 50 * 1024 * 1024);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hopwatch refs add', () => {
  it('creates a reference set from saved pages and extends it', async () => {
    const a = await runCli(['refs', 'add', '--refs', refs, '--site', 'harbor', '--name', 'Harbor Torrents', '--domain', 'harbor-torrents.example', join(dir, 'ref1.html')]);
    expect(a.code).toBe(0);
    const b = await runCli(['refs', 'add', '--refs', refs, '--site', 'harbor', join(dir, 'ref2.html')]);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('2 reference page(s), 1 site(s)');
  });

  it('two different pages with the same file name are two references with content ids; re-adding one says replaced and keeps its URL', async () => {
    const file = join(dir, 'same-name-refs.json');
    await mkdir(join(dir, 'capture-a'), { recursive: true });
    await mkdir(join(dir, 'capture-b'), { recursive: true });
    await writeFile(join(dir, 'capture-a', 'index.html'), harborListing({ host: 'harbor-torrents.example', seed: 11 }));
    await writeFile(join(dir, 'capture-b', 'index.html'), harborListing({ host: 'harbor-torrents.example', seed: 12 }));
    const first = await runCli(['refs', 'add', '--refs', file, '--site', 'harbor', '--url', 'https://harbor-torrents.example/', join(dir, 'capture-a', 'index.html')]);
    expect(first.stdout).toContain('1 page(s) added to harbor, 0 replaced; 1 reference page(s)');
    const second = await runCli(['refs', 'add', '--refs', file, '--site', 'harbor', join(dir, 'capture-b', 'index.html')]);
    expect(second.stdout).toContain('1 page(s) added to harbor, 0 replaced; 2 reference page(s)');
    const again = await runCli(['refs', 'add', '--refs', file, '--site', 'harbor', join(dir, 'capture-a', 'index.html')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 page(s) added to harbor, 1 replaced; 2 reference page(s)');
    expect(again.stderr).toMatch(/replaced reference harbor\/[0-9a-f]{16}/);
    const { readReferenceSet } = await import('../../src/match/referenceSet.js');
    const set = await readReferenceSet(file);
    expect(set.references.map((r) => r.id)).toEqual(set.references.map((r) => `harbor/${r.fingerprint.sha256.slice(0, 16)}`));
    const a = set.references.find((r) => r.provenance.file === join(dir, 'capture-a', 'index.html'));
    expect(a).toMatchObject({ capturedUrl: 'https://harbor-torrents.example/', provenance: { url: 'https://harbor-torrents.example/' } });
    expect(set.references.find((r) => r.provenance.file === join(dir, 'capture-b', 'index.html'))).toBeDefined();
  });

  it('the same page twice in one call is added once, and a page of another site is refused', async () => {
    const file = join(dir, 'collision-refs.json');
    const page = join(dir, 'capture-a', 'index.html');
    const twice = await runCli(['refs', 'add', '--refs', file, '--site', 'harbor', page, page]);
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain('REFS_DUPLICATE_PAGE');
    expect(twice.stdout).toContain('1 page(s) added');
    const other = await runCli(['refs', 'add', '--refs', file, '--site', 'nimbus', page]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/REFS_DUPLICATE_PAGE: .* is already reference harbor\/[0-9a-f]{16} of site harbor/);
  });

  it('refuses a challenge page as a reference', async () => {
    const r = await runCli(['refs', 'add', '--refs', join(dir, 'other-refs.json'), '--site', 'harbor', join(dir, 'challenge.html')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('REFS_NOT_CONTENT');
  });

  it('rejects a bad site id with usage', async () => {
    const r = await runCli(['refs', 'add', '--refs', refs, '--site', 'Bad Id!', join(dir, 'ref1.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--site ID is required');
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });
});

describe('hopwatch check --html', () => {
  it('finds the moved site and prints one JSON line per file with the documented fields', async () => {
    const r = await runCli(['check', '--refs', refs, '--json', '--html', join(dir, 'moved.html'), join(dir, 'other.html'), join(dir, 'challenge.html')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const l of lines) for (const f of ['input', 'domain', 'pageKind', 'verdict', 'site', 'relation', 'score', 'evidence']) expect(l).toHaveProperty(f);
    expect(lines.map((l) => l.verdict)).toEqual(['mirror', 'unrelated', 'inconclusive']);
    expect(lines[0]!.site).toBe('harbor');
  });

  it('prints a readable block without --json, and exits 0 when nothing matched; --html=FILE works like --html FILE', async () => {
    const r = await runCli(['check', '--refs', refs, `--html=${join(dir, 'other.html')}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('UNRELATED');
  });

  it.each([
    ['empty.html', 'INPUT_EMPTY'],
    ['binary.html', 'INPUT_NOT_HTML'],
    ['huge.html', 'INPUT_TOO_LARGE'],
    ['missing.html', 'INPUT_UNREADABLE'],
    ['a-directory.html', 'INPUT_UNREADABLE'],
  ])('%s gets a clear error code and the other files are still checked; the match decides the exit (1)', async (file, code) => {
    const r = await runCli(['check', '--refs', refs, '--json', '--html', join(dir, file), join(dir, 'moved.html')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; error?: { code: string } });
    expect(lines[0]!.error?.code).toBe(code);
    expect(lines[1]!.verdict).toBe('mirror');
  });

  it('an unreadable file with no match beside it exits 3', async () => {
    const r = await runCli(['check', '--refs', refs, '--html', join(dir, 'missing.html'), join(dir, 'other.html')]);
    expect(r.code).toBe(3);
  });

  it('--html - reads one page from stdin; --csv has a header and an evidence column', async () => {
    const { readFile } = await import('node:fs/promises');
    const page = await readFile(join(dir, 'moved.html'), 'utf8');
    const r = await runCli(['check', '--refs', refs, '--csv', '--html', '-'], page);
    expect(r.code).toBe(1);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('input,domain,verdict,site,relation,score,page_kind,status,final_url,error_code,evidence');
    expect(rows[1]).toMatch(/^-,,mirror,harbor,mirror,/);
    expect(rows[1]).toMatch(/page-similarity=/);
  });

  it('colours verdicts on a terminal, never under NO_COLOR or into a pipe', async () => {
    const { PassThrough, Readable } = await import('node:stream');
    const { checkCommand } = await import('../../src/cli/commands/check.js');
    const runTty = async (env: NodeJS.ProcessEnv, tty: boolean) => {
      const out = Object.assign(new PassThrough(), { isTTY: tty });
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString()));
      await checkCommand.run(['--refs', refs, '--html', join(dir, 'moved.html')], { stdout: out, stderr: new PassThrough(), stdin: Readable.from(['']), env });
      return text;
    };
    expect(await runTty({}, true)).toContain('\x1b[');
    expect(await runTty({ NO_COLOR: '1' }, true)).not.toContain('\x1b[');
    expect(await runTty({}, false)).not.toContain('\x1b[');
  });

  it('fingerprint --csv has a header row; -o writes results to a file', async () => {
    const out = join(dir, 'fp.csv');
    const r = await runCli(['fingerprint', '--csv', '-o', out, join(dir, 'moved.html'), join(dir, 'missing.html')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const { readFile } = await import('node:fs/promises');
    const rows = (await readFile(out, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('input,page_kind,page_kind_reason,title,simhash_structure,simhash_text,simhash_resources,bytes,sha256,identifiers,error_code');
    expect(rows[1]).toMatch(/,ok,/);
    expect(rows[2]).toMatch(/INPUT_UNREADABLE$/);
  });

  it('an unreadable file (permissions) is an input error', async () => {
    if (process.getuid?.() === 0) return; // root reads everything; the ENOENT and EISDIR cases cover the path
    const r = await runCli(['check', '--refs', refs, '--html', join(dir, 'unreadable.html')]);
    expect(r.code).toBe(3);
  });

  it.each([
    [['check'], 'give --html FILE... or at least one domain'],
    [['check', '--html'], '--html needs a value'],
    [['check', '--bogus'], 'unknown option --bogus'],
    [['check', '--jsno', 'x.test'], 'unknown option --jsno (did you mean --json?)'],
    [['check', '--refs', 'a.json', '--refs', 'b.json', 'x.test'], '--refs given twice'],
    [['scan', '--concurrency', '-5'], '--concurrency must be positive, got -5'],
    [['scan', '-c', '-5'], '--concurrency must be positive, got -5'],
    [['check', '--html', 'x.html', '--domain', 'not a host'], '--domain must be a host name'],
    [['nonsense'], 'unknown command'],
  ])('bad arguments %j: usage error, exit 2', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a reference set that is not one gets a clear error', async () => {
    await writeFile(join(dir, 'bad-refs.json'), '{"format":"something else"}');
    const r = await runCli(['check', '--refs', join(dir, 'bad-refs.json'), '--html', join(dir, 'moved.html')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('REFS_INVALID');
  });

  it('uses the bundled seeds without --refs', async () => {
    const r = await runCli(['check', '--json', '--html', join(dir, 'other.html')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'unrelated' });
  });
});

describe('the installed binary', () => {
  it('reports a bad file without a stack trace', async () => {
    const err = await run(process.execPath, ['bin/hopwatch.js', 'check', '--html', join(dir, 'huge.html')]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in err ? err.code : 0).toBe(3);
    expect((err as { stderr: string }).stderr).toContain('INPUT_TOO_LARGE');
    expect((err as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });

  it('prints help with exit 0', async () => {
    const { stdout } = await run(process.execPath, ['bin/hopwatch.js', '--help']);
    expect(stdout).toContain('Usage: hopwatch <command>');
  });
});
