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
    expect(await main(['candidates', '--known', paths.join(','), '--budget', '50'], a.cli)).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines).not.toContain('alphaseed.to');
    const b = io();
    await main(['candidates', '--known', paths[0]!, '--known', paths[1]!, '--known', paths[2]!, '--budget', '50'], b.cli);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--json prints domain, site, source, reason and score', async () => {
    const r = io();
    await main(['candidates', '--known', paths.join(','), '--budget', '3', '--json'], r.cli);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['domain', 'reason', 'score', 'site', 'source']);
  });

  it('--as-of ignores every history line after the date (a proxy base first seen later is never proposed)', async () => {
    const later = join(dir, 'later.txt');
    writeFileSync(later, ['2018-01-01 harborbay.to harborbay', '2018-06-01 harborbay.cc harborbay', '2020-03-01 harborbay.unblockhop.pro harborbay', '2020-03-01 unblockhop.pro unblockhop', ''].join('\n'));
    const r = io();
    expect(await main(['candidates', '--known', later, '--as-of', '2019-01-01', '--budget', '2000', '--json'], r.cli)).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { domain: string; reason: string });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.domain.includes('unblockhop') || row.reason.includes('unblockhop'))).toEqual([]);
    // the same history without the cut does learn the proxy base
    const all = io();
    await main(['candidates', '--known', later, '--budget', '2000', '--json'], all.cli);
    expect(all.stdout).toContain('unblockhop');
  });

  it('--known takes one file per flag: a second name is refused, not read as a history', async () => {
    const r = io();
    expect(await main(['candidates', '--known', paths[0]!, paths[1]!], r.cli)).toBe(2);
    expect(r.stderr).toContain('no positional argument');
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
      expect(await main(['candidates', '--known', paths.join(','), '--budget', '3000', '--resolve-check', '--dns-server', `${server.host}:${server.port}`, '--concurrency', '8'], r.cli)).toBe(0);
      // hopproxy.xyz resolves on its own; alphaseed.hopproxy.xyz only through the wildcard
      expect(r.stdout.trim().split('\n').sort()).toEqual(['betatorrent.hopproxy.xyz', 'hopproxy.xyz']);
      expect(r.stderr).toMatch(/2 live, 1 wildcard/);
    });
  });
});

describe('hopwatch discover ct', () => {
  it('filters CT lines from standard input', async () => {
    const r = io(`${JSON.stringify({ data: { leaf_cert: { all_domains: ['betatorrent.hopproxy.lol', 'news.example.com'] } } })}\nalphaseed3.click\n`);
    expect(await main(['discover', 'ct', '-', '--known', paths.join(',')], r.cli)).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['betatorrent.hopproxy.lol', 'alphaseed3.click']);
  });

  it('refuses an unknown source', async () => {
    const r = io();
    expect(await main(['discover', 'whois', '--known', paths[0]!], r.cli)).toBe(2);
  });
});
