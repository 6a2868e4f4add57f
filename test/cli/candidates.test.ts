import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { startDnsServer, type DnsServer } from '../world/dnsServer.js';
import { files } from '../discovery/fixtures.js';

function io(stdin = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += String(c)));
  err.on('data', (c) => (stderr += String(c)));
  const cli: CliIo = { stdout: out, stderr: err, stdin: Readable.from([stdin]), env: {} };
  return { cli, get stdout() { return stdout; }, get stderr() { return stderr; } };
}

const dir = mkdtempSync(join(tmpdir(), 'hopwatch-candidates-'));
const paths = Object.entries(files).map(([name, text]) => {
  const path = join(dir, name);
  writeFileSync(path, `${text}\n`);
  return path;
});

describe('hopwatch candidates', () => {
  it('prints at most --budget ranked domains, none known, the same on every run', async () => {
    const a = io();
    expect(await main(['candidates', '--known', ...paths, '--budget', '50'], a.cli)).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines).not.toContain('alphaseed.to');
    const b = io();
    await main(['candidates', '--known', paths[0]!, '--known', paths[1]!, '--known', paths[2]!, '--budget', '50'], b.cli);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--json prints domain, site, source, reason and score', async () => {
    const r = io();
    await main(['candidates', '--known', ...paths, '--budget', '3', '--json'], r.cli);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['domain', 'reason', 'score', 'site', 'source']);
  });

  it('names file:line for a bad history line and exits 3', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '2021-01-01 fine.example\n2021-99-01 broken.example\n');
    const r = io();
    expect(await main(['candidates', '--known', bad], r.cli)).toBe(3);
    expect(r.stderr).toContain('DISCOVERY_BAD_HISTORY_LINE');
    expect(r.stderr).toContain('bad.txt:2');
  });

  it.each([
    [['candidates'], '--known'],
    [['candidates', '--known', 'x.txt', '--budget', '0'], '--budget'],
    [['candidates', '--known', 'x.txt', '--budget', 'many'], '--budget'],
    [['candidates', '--known', 'x.txt', '--resolve-check'], '--dns-server'],
    [['candidates', '--known', 'x.txt', '--frobnicate'], 'frobnicate'],
  ])('refuses bad arguments %j with exit 2', async (argv, mention) => {
    const r = io();
    expect(await main(argv, r.cli)).toBe(2);
    expect(r.stderr).toContain(mention);
  });

  it('exits 3 when a history file cannot be read', async () => {
    const r = io();
    expect(await main(['candidates', '--known', join(dir, 'missing.txt')], r.cli)).toBe(3);
    expect(r.stderr).toContain('DISCOVERY_HISTORY_UNREADABLE');
  });

  describe('--resolve-check', () => {
    let server: DnsServer;
    beforeAll(async () => {
      server = await startDnsServer({ records: { 'hopproxy.xyz': ['127.0.0.5'], '*.hopproxy.xyz': ['127.0.0.5'], 'betatorrent.hopproxy.xyz': ['127.0.0.6'] } });
    });
    afterAll(async () => server.close());

    it('keeps only live names that are not a wildcard answer', async () => {
      const r = io();
      expect(await main(['candidates', '--known', ...paths, '--budget', '3000', '--resolve-check', '--dns-server', `${server.host}:${server.port}`, '--concurrency', '8'], r.cli)).toBe(0);
      // hopproxy.xyz resolves on its own; alphaseed.hopproxy.xyz only through the wildcard
      expect(r.stdout.trim().split('\n').sort()).toEqual(['betatorrent.hopproxy.xyz', 'hopproxy.xyz']);
      expect(r.stderr).toMatch(/2 live, 1 wildcard/);
    });
  });
});

describe('hopwatch discover ct', () => {
  it('filters CT lines from standard input', async () => {
    const r = io(`${JSON.stringify({ data: { leaf_cert: { all_domains: ['betatorrent.hopproxy.lol', 'news.example.com'] } } })}\nalphaseed3.click\n`);
    expect(await main(['discover', 'ct', '-', '--known', ...paths], r.cli)).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['betatorrent.hopproxy.lol', 'alphaseed3.click']);
  });

  it('refuses an unknown source', async () => {
    const r = io();
    expect(await main(['discover', 'whois', '--known', paths[0]!], r.cli)).toBe(2);
  });
});
