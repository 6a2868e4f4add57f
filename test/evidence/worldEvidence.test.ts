import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { checkDomainDetailed } from '../../src/check/checkDomain.js';
import { createCheckEvidenceWriter } from '../../src/check/checkEvidence.js';
import type { DomainCheckOptions } from '../../src/check/domainCheckOptions.js';
import { createCrawler, type Crawler } from '../../src/crawler/crawler.js';
import { evidencePath } from '../../src/evidence/evidenceStore.js';
import { verifyEvidencePackage } from '../../src/evidence/verifyPackage.js';
import type { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { runCli } from '../cli/cliHarness.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { readWarcIndependently } from './independentWarcReader.js';

describe('evidence packages of live checks in the test world', () => {
  let world: World;
  let index: ReferenceIndex;
  let options: DomainCheckOptions;
  let crawler: Crawler;
  let dir: string;

  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
    index = buildWorldReferenceIndex();
    options = { crawler: world.crawlerOptions({ totalTimeoutMs: 5000 }), maxProbePaths: 0 };
    crawler = createCrawler({ ...options.crawler, recordConnections: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-evidence-world-'));
  });
  afterAll(async () => {
    await crawler.close();
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function packageOf(domain: string) {
    const check = await checkDomainDetailed(domain, index, { ...options, sharedCrawler: crawler });
    const pkg = await createCheckEvidenceWriter({ dir, index, domainCheck: options })(domain, check);
    const warc = await readFile(evidencePath(dir, pkg.warc, 'warc.gz'));
    return { check, pkg, warc };
  }

  it('a redirect chain gives a request/response pair for every hop, in order, and verifies', async () => {
    // chain.test -> http://chain2.test/next -> https://mirror-two.test/ (brotli)
    const { check, pkg, warc } = await packageOf('chain.test');
    expect(check.result.verdict).toBe('mirror');
    const records: Array<{ type: string; uri: string | null | undefined; status: unknown; id: string | null | undefined; concurrent: string[] | undefined }> = [];
    for await (const record of new WARCParser([warc])) {
      records.push({ type: record.warcType, uri: record.warcTargetURI, status: record.httpHeaders?.statusCode, id: record.warcHeader('WARC-Record-ID'), concurrent: record.warcConcurrentTo });
      await record.readFully(false);
    }
    const http = records.filter((r) => r.type === 'request' || r.type === 'response');
    expect(http.map((r) => `${r.type} ${r.uri}`)).toEqual([
      'request https://chain.test/', 'response https://chain.test/',
      'request http://chain2.test/next', 'response http://chain2.test/next',
      'request https://mirror-two.test/', 'response https://mirror-two.test/',
    ]);
    expect(http.filter((r) => r.type === 'response').map((r) => Number(r.status))).toEqual([302, 301, 200]);
    for (let i = 0; i < http.length; i += 2) {
      expect(http[i]!.concurrent).toEqual([http[i + 1]!.id]);
      expect(http[i + 1]!.concurrent).toEqual([http[i]!.id]);
    }
    expect(records.filter((r) => r.type === 'metadata')).toHaveLength(3);
    expect(pkg.manifestJson.fetch.exchanges.map((e) => e.status)).toEqual([302, 301, 200]);
    expect(pkg.manifestJson.fetch.redirects).toHaveLength(2);
    const report = await verifyEvidencePackage({ target: pkg.manifest, root: dir });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('stores the response as received (still brotli-encoded) and the decoded body beside it', async () => {
    const { check, pkg, warc } = await packageOf('mirror-two.test');
    const records = readWarcIndependently(warc);
    const response = records.find((r) => r.headers.get('warc-type') === 'response')!;
    const split = response.block.indexOf('\r\n\r\n');
    const head = response.block.subarray(0, split).toString('latin1');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\ncontent-encoding: br\r\n/i);
    const payload = response.block.subarray(split + 4);
    const body = await readFile(evidencePath(dir, pkg.body, 'html'));
    expect(brotliDecompressSync(payload).equals(body)).toBe(true);
    expect(Buffer.from(check.record!.body).equals(body)).toBe(true);
    expect(response.headers.get('warc-ip-address')).toBe('127.0.0.1');
    expect(response.headers.get('warc-payload-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const r of records) expect(r.headers.get('warc-block-digest')).toBe(r.blockSha256);
  });

  it('a TLS fetch has a metadata record with the certificate chain as PEM, protocol and cipher', async () => {
    const { warc, pkg } = await packageOf('mirror-two.test');
    const meta = readWarcIndependently(warc).filter((r) => r.headers.get('warc-type') === 'metadata');
    expect(meta).toHaveLength(1);
    expect(meta[0]!.headers.get('content-type')).toBe('application/json');
    const connection = JSON.parse(meta[0]!.block.toString('utf8'));
    expect(connection.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(connection.tls.cipher.name).toBeTruthy();
    expect(connection.tls.certificateChainPem.length).toBeGreaterThanOrEqual(1);
    const leaf = new X509Certificate(connection.tls.certificateChainPem[0]);
    expect(leaf.subjectAltName).toContain('mirror-two.test');
    expect(pkg.manifestJson.fetch.connections[0]!.tls).toMatchObject({ protocol: connection.tls.protocol, certificates: connection.tls.certificateChainPem.length });
  });

  it('`hopwatch check --evidence` writes a package of a live check that `hopwatch evidence verify` accepts', async () => {
    const cliDir = path.join(dir, 'cli');
    const checked = await runCli(['check', 'bakery.test', '--json', '--evidence', cliDir, '--max-probes', '0', ...world.cliFlags()]);
    expect(checked.stderr).toBe('');
    const line = JSON.parse(checked.stdout.trim());
    expect(line.evidencePackage.manifest).toMatch(/^[0-9a-f]{64}$/);
    expect(Array.isArray(line.evidence)).toBe(true);
    const ok = await runCli(['evidence', 'verify', line.evidencePackage.manifest, '--evidence', cliDir]);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toMatch(/^ok [0-9a-f]{64} /);
    const missing = await runCli(['evidence', 'verify', 'f'.repeat(64), '--evidence', cliDir]);
    expect(missing.code).toBe(3);
    const bad = await runCli(['evidence', 'verify']);
    expect(bad.code).toBe(2);
  });

  it('`hopwatch scan --evidence` writes a package for every check (a refused connection too) and names it in each JSON line', async () => {
    const scanDir = path.join(dir, 'scan');
    const scanned = await runCli(['scan', '-', '--json', '--evidence', scanDir, '--max-probes', '0', '--per-host-delay-ms', '0', '--no-progress', ...world.cliFlags()], 'mirror-one.test\nbakery.test\nshop.parking.test\nrefused.test\n');
    const lines = scanned.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line.evidencePackage.manifest).toMatch(/^[0-9a-f]{64}$/);
      expect((await verifyEvidencePackage({ target: line.evidencePackage.manifest, root: scanDir })).ok).toBe(true);
    }
  });

  it('a live check whose package cannot be written is still printed, with the reason on stderr and exit 3', async () => {
    const notADir = path.join(dir, 'not-a-dir');
    await writeFile(notADir, 'x');
    const run = await runCli(['check', 'bakery.test', '--json', '--evidence', notADir, '--max-probes', '0', ...world.cliFlags()]);
    expect(run.code).toBe(3);
    const line = JSON.parse(run.stdout.trim());
    expect(line).toMatchObject({ input: 'bakery.test', verdict: 'unrelated', evidencePackage: { error: { code: 'EVIDENCE_WRITE_FAILED' } } });
    expect(run.stderr).toMatch(/bakery\.test: evidence package not written: EVIDENCE_WRITE_FAILED/);
  });

  it('a crawler not told to record connections keeps none, and its package (no metadata records) still verifies', async () => {
    const plain = createCrawler(options.crawler);
    try {
      const check = await checkDomainDetailed('mirror-two.test', index, { ...options, sharedCrawler: plain });
      expect(check.record!.connections).toBeUndefined();
      const pkg = await createCheckEvidenceWriter({ dir, index, domainCheck: options })('mirror-two.test', check);
      expect(pkg.manifestJson.warc.records.map((r) => r.type)).toEqual(['warcinfo', 'request', 'response']);
      expect((await verifyEvidencePackage({ target: pkg.manifest, root: dir })).ok).toBe(true);
    } finally {
      await plain.close();
    }
  });
});
