import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import type { FetchRecord } from '../../src/crawler/types.js';
import { writeEvidencePackage, type EvidenceFetchRecord } from '../../src/evidence/evidencePackage.js';
import { evidencePath, openEvidenceStore, sha256Hex } from '../../src/evidence/evidenceStore.js';
import type { HttpExchange } from '../../src/crawler/types.js';
import { verifyEvidencePackage } from '../../src/evidence/verifyPackage.js';
import { runCli } from '../cli/cliHarness.js';
import { readWarcIndependently } from './independentWarcReader.js';

const PAGE = Buffer.from('<!doctype html><html><head><title>Example</title></head><body><p>hello</p></body></html>');
const GZIPPED = gzipSync(PAGE);

function exchange(url: string, status: number, headers: [string, string][], rawBody: Uint8Array, remoteAddress = '192.0.2.10'): HttpExchange {
  return {
    url, method: 'GET', startedAt: '2026-12-01T10:00:00.125Z',
    requestHeaders: [['host', new URL(url).host], ['user-agent', 'hopwatch-test'], ['accept-encoding', 'gzip, deflate, br']],
    status, statusText: status === 200 ? 'OK' : 'Moved Permanently', httpVersion: '1.1', responseHeaders: headers,
    rawBody, rawBodyTruncated: false, remoteAddress, remotePort: 443, tls: null,
  };
}

/** A two-hop fetch as the crawler records it: a 301, then a gzip page with a repeated header. */
function twoHopRecord(): EvidenceFetchRecord {
  const exchanges = [
    exchange('http://old.example/', 301, [['Location', 'https://new.example/'], ['Content-Length', '0']], new Uint8Array(0), '192.0.2.1'),
    exchange('https://new.example/', 200, [['Content-Type', 'text/html; charset=utf-8'], ['Content-Encoding', 'gzip'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['Content-Length', String(GZIPPED.length)]], GZIPPED),
  ];
  const record: Omit<FetchRecord, 'exchanges'> = {
    requestedUrl: 'http://old.example/', finalUrl: 'https://new.example/',
    redirects: [{ url: 'http://old.example/', status: 301, kind: 'http', location: 'https://new.example/', connectedAddress: '192.0.2.1' }],
    status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, resolvedAddresses: ['192.0.2.10'], connectedAddress: '192.0.2.10', tls: null,
    timings: { startedAt: 0, dnsMs: 1, connectMs: 2, headersMs: 3, totalMs: 4 }, fetchedAt: '2026-12-01T10:00:00.000Z',
    body: new Uint8Array(PAGE), sha256: sha256Hex(PAGE), wireBytes: GZIPPED.length, bodyTruncated: false,
    contentType: 'text/html; charset=utf-8', isHtml: true, charset: 'utf-8', charsetSource: 'header', error: null,
  };
  return {
    ...record, exchanges,
    connections: [
      { hop: 0, url: 'http://old.example/', connectedAt: '2026-12-01T10:00:00.100Z', remoteAddress: '192.0.2.1', remotePort: 80, tls: null },
      {
        hop: 1, url: 'https://new.example/', connectedAt: '2026-12-01T10:00:00.120Z', remoteAddress: '192.0.2.10', remotePort: 443,
        tls: { protocol: 'TLSv1.3', cipher: { name: 'TLS_AES_256_GCM_SHA384', standardName: 'TLS_AES_256_GCM_SHA384', version: 'TLSv1.3' }, alpnProtocol: null, servername: 'new.example', authorized: true, authorizationError: null, certificateChainPem: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'] },
      },
    ],
  };
}

const judgement = { verdict: 'mirror', site: 'example-site', relation: 'mirror', score: 0.97, pageKind: 'ok', evidence: [{ feature: 'structure', matched: 'distance 2', weight: 0.5, reference: 'example-site/home' }] };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-evidence-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePackage() {
  const store = openEvidenceStore(dir);
  const pkg = await writeEvidencePackage(
    { domain: 'old.example', judgement, record: twoHopRecord(), fingerprint: null, reference: { siteId: 'example-site', pageId: 'example-site/home', provenance: { capturedAt: '2026-01-01' } }, resolver: 'test', settings: { maxProbePaths: 3 } },
    { store, clock: () => Date.parse('2026-12-01T10:00:01.000Z') },
  );
  return { store, pkg };
}

describe('evidence package', () => {
  it('stores every file under its own SHA-256 and a manifest naming them all', async () => {
    const { store, pkg } = await writePackage();
    for (const [sha, ext] of [[pkg.manifest, 'manifest.json'], [pkg.warc, 'warc.gz'], [pkg.body, 'html']] as const) {
      const file = evidencePath(dir, sha, ext);
      expect(sha256Hex(await readFile(file))).toBe(sha);
      expect(file).toBe(path.join(dir, sha.slice(0, 2), `${sha}.${ext}`));
    }
    expect(Buffer.from((await store.read(pkg.body))!).equals(PAGE)).toBe(true);
    const manifest = JSON.parse(await readFile(evidencePath(dir, pkg.manifest, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      schema: 'hopwatch.evidence/1', domain: 'old.example', requestedUrl: 'http://old.example/', finalUrl: 'https://new.example/', verdict: 'mirror',
      warc: { sha256: pkg.warc }, body: { sha256: pkg.body, contentType: 'text/html; charset=utf-8', charset: 'utf-8' }, screenshot: null,
      reference: { siteId: 'example-site', pageId: 'example-site/home' },
    });
    expect(manifest.fetch.exchanges.map((e: { status: number }) => e.status)).toEqual([301, 200]);
  });

  it('writes WARC/1.1 request/response pairs tied by WARC-Concurrent-To, with sha256 digests, that warcio parses back', async () => {
    const { store, pkg } = await writePackage();
    const bytes = (await store.read(pkg.warc))!;
    const records = [];
    for await (const record of new WARCParser([bytes])) {
      const payload = record.warcType === 'response' ? Buffer.from(await record.readFully(false)) : null;
      records.push({ record, payload });
    }
    expect(records.map((r) => r.record.warcType)).toEqual(['warcinfo', 'request', 'response', 'request', 'response', 'metadata', 'metadata']);
    for (const { record } of records) {
      expect(record.warcHeaders.statusline).toBe('WARC/1.1');
      expect(record.warcDate).toMatch(/^\d{4}-\d\d-\d\dT/);
      if (record.warcType !== 'warcinfo') {
        expect(record.warcTargetURI).toMatch(/^https?:\/\//);
        expect(record.warcHeader('WARC-IP-Address')).toMatch(/^192\.0\.2\./);
        expect(record.warcBlockDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
    }
    const [, req1, res1, req2, res2] = records.map((r) => r.record);
    expect(req1!.warcConcurrentTo).toEqual([res1!.warcHeader('WARC-Record-ID')]);
    expect(res1!.warcConcurrentTo).toEqual([req1!.warcHeader('WARC-Record-ID')]);
    expect(req2!.warcTargetURI).toBe('https://new.example/');
    expect(res2!.httpHeaders?.statusCode).toBe(200);
    // the body as received: still gzip-encoded, and the payload digest is over exactly those bytes
    const final = records[4]!.payload!;
    expect(final.equals(GZIPPED)).toBe(true);
    expect(res2!.warcPayloadDigest).toBe(`sha256:${sha256Hex(GZIPPED)}`);
    // a repeated header stays two lines, as received
    expect(res2!.httpHeaders?.headers.get('set-cookie')).toContain('a=1');
  });

  it('is read the same by an independent WARC reader', async () => {
    const { store, pkg } = await writePackage();
    const records = readWarcIndependently((await store.read(pkg.warc))!);
    expect(records.map((r) => r.headers.get('warc-type'))).toEqual(['warcinfo', 'request', 'response', 'request', 'response', 'metadata', 'metadata']);
    for (const r of records) {
      expect(r.version).toBe('WARC/1.1');
      expect(r.headers.get('warc-block-digest')).toBe(r.blockSha256);
    }
    const response = records[4]!;
    const head = response.block.subarray(0, response.block.indexOf('\r\n\r\n')).toString('latin1');
    expect(head.split('\r\n')).toEqual(['HTTP/1.1 200 OK', 'Content-Type: text/html; charset=utf-8', 'Content-Encoding: gzip', 'Set-Cookie: a=1', 'Set-Cookie: b=2', `Content-Length: ${GZIPPED.length}`]);
    const tlsMeta = JSON.parse(records[6]!.block.toString('utf8'));
    expect(tlsMeta.tls.certificateChainPem[0]).toContain('BEGIN CERTIFICATE');
    expect(records[6]!.headers.get('warc-concurrent-to')).toBe(records[4]!.headers.get('warc-record-id'));
  });

  it('verifies as ok, by hash or by manifest file', async () => {
    const { pkg } = await writePackage();
    const byHash = await verifyEvidencePackage({ target: pkg.manifest, root: dir });
    expect(byHash.differences).toEqual([]);
    expect(byHash.ok).toBe(true);
    expect(byHash.checked.records).toBe(7);
    const byFile = await verifyEvidencePackage({ target: evidencePath(dir, pkg.manifest, 'manifest.json') });
    expect(byFile.ok).toBe(true);
  });

  it('names the record whose body was changed in a tampered WARC', async () => {
    const { pkg } = await writePackage();
    const file = evidencePath(dir, pkg.warc, 'warc.gz');
    const plain = gunzipSync(await readFile(file));
    // change one byte of the final response's body, re-compress, write back under the old name
    const at = plain.lastIndexOf(GZIPPED.subarray(10, 20));
    plain[at] = plain[at]! ^ 0xff;
    await chmod(file, 0o644);
    await writeFile(file, gzipSync(plain));
    const report = await verifyEvidencePackage({ target: pkg.manifest, root: dir });
    expect(report.ok).toBe(false);
    expect(report.differences.join('\n')).toMatch(/warc: .* hashes to [0-9a-f]{64}, the manifest says/);
    expect(report.differences.join('\n')).toMatch(/warc record 4 \(response https:\/\/new\.example\/\): block hashes to sha256:.*WARC-Block-Digest says/);
    expect(report.differences.join('\n')).toMatch(/warc record 4 .*payload hashes to .*WARC-Payload-Digest says/);
  });

  it('names a flipped byte in the compressed WARC as a hash mismatch', async () => {
    const { pkg } = await writePackage();
    const file = evidencePath(dir, pkg.warc, 'warc.gz');
    const bytes = await readFile(file);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0x01;
    await chmod(file, 0o644);
    await writeFile(file, bytes);
    const report = await verifyEvidencePackage({ target: pkg.manifest, root: dir });
    expect(report.ok).toBe(false);
    expect(report.differences[0]).toMatch(/^warc: .* hashes to /);
  });

  it('names the field of a tampered manifest', async () => {
    const { pkg } = await writePackage();
    const file = evidencePath(dir, pkg.manifest, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    manifest.fetch.exchanges[1].status = 404;
    await chmod(file, 0o644);
    await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
    const report = await verifyEvidencePackage({ target: pkg.manifest, root: dir });
    expect(report.ok).toBe(false);
    expect(report.differences).toContain(`manifest: ${file} hashes to ${sha256Hex(await readFile(file))}, its name says ${pkg.manifest} (the manifest was changed)`);
    expect(report.differences).toContain('manifest fetch.exchanges[1].status says 404, the WARC response says 200');
    const cli = await runCli(['evidence', 'verify', pkg.manifest, '--evidence', dir]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(new RegExp(`^differs [0-9a-f]{64}\\n  manifest: `));
    expect(cli.stdout).toContain('  manifest fetch.exchanges[1].status says 404, the WARC response says 200');
  });

  it('stores the injected screenshot and names it in the manifest; a failing one leaves the package without it', async () => {
    const store = openEvidenceStore(dir);
    const png = Buffer.from('\x89PNG\r\n\x1a\nfake-png-bytes', 'latin1');
    const seen: Array<{ url: string; charset: string }> = [];
    const input = { domain: 'old.example', judgement, record: twoHopRecord(), fingerprint: null, reference: null, resolver: 'test', settings: {} };
    const withShot = await writeEvidencePackage(input, { store, screenshot: async (body, opts) => (seen.push(opts), Buffer.from(body).equals(PAGE) ? png : null) });
    expect(seen).toEqual([{ url: 'https://new.example/', charset: 'utf-8' }]);
    expect(withShot.screenshot).toBe(sha256Hex(png));
    expect(withShot.manifestJson.screenshot).toEqual({ sha256: sha256Hex(png) });
    expect((await verifyEvidencePackage({ target: withShot.manifest, root: dir })).ok).toBe(true);
    const failing = await writeEvidencePackage(input, { store, screenshot: async () => { throw new Error('no browser'); } });
    expect(failing.manifestJson.screenshot).toBeNull();
  });

  it('never overwrites a stored file', async () => {
    const store = openEvidenceStore(dir);
    const first = await store.put(PAGE, 'html');
    await chmod(first.path, 0o644);
    await writeFile(first.path, 'something else');
    const again = await store.put(PAGE, 'html');
    expect(again.path).toBe(first.path);
    expect(await readFile(first.path, 'utf8')).toBe('something else');
    expect(await store.find('../../etc/passwd')).toBeNull();
  });
});
