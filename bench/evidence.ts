/**
 * What an evidence package costs next to the check it documents:
 *
 *   npm run bench:evidence [-- --rounds 5] [--warmup 1] [--json]
 *
 * For listing pages of about 64 KiB, 1 MiB and 4 MiB (the project's page family, gzip-encoded as
 * a server would send them, behind one redirect hop), each round times `fingerprintPage` on the
 * decoded body (the baseline: work every check does anyway), `buildWarc` (serialise and gzip
 * the records in memory), and `writeEvidencePackage` (WARC + body + manifest, each fsynced into
 * a temporary evidence directory). Medians after warm-up, ratios to the fingerprint time of the
 * same page in the same run, and the package's size on disk against the body. Prints figures;
 * never asserts a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { FetchRecord, HttpExchange } from '../src/crawler/types.js';
import { writeEvidencePackage } from '../src/evidence/evidencePackage.js';
import { openEvidenceStore } from '../src/evidence/evidenceStore.js';
import { buildWarc } from '../src/evidence/warcWriter.js';
import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import { harborListing } from '../test/fixtures/pageFamily.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  rounds: number;
  warmup: number;
  json: boolean;
}

const SIZES = [64 * 1024, 1024 * 1024, 4 * 1024 * 1024];

function pageOfSize(bytes: number): Buffer {
  // a listing with enough rows to reach the size: the structure real mirrors serve
  let rows = 30;
  let html = harborListing({ seed: 7, host: 'bench.example', rows });
  while (html.length < bytes) {
    rows = Math.ceil(rows * (bytes / html.length) * 1.05);
    html = harborListing({ seed: 7, host: 'bench.example', rows });
  }
  return Buffer.from(html.slice(0, bytes));
}

function exchange(url: string, status: number, headers: [string, string][], rawBody: Uint8Array): HttpExchange {
  return {
    url, method: 'GET', startedAt: new Date(0).toISOString(), requestHeaders: [['host', new URL(url).host], ['user-agent', 'bench']],
    status, statusText: status === 200 ? 'OK' : 'Found', httpVersion: '1.1', responseHeaders: headers, rawBody, rawBodyTruncated: false,
    remoteAddress: '192.0.2.1', remotePort: 443, tls: null,
  };
}

function recordFor(body: Buffer): FetchRecord {
  const wire = gzipSync(body);
  return {
    requestedUrl: 'https://old.example/', finalUrl: 'https://bench.example/',
    redirects: [{ url: 'https://old.example/', status: 302, kind: 'http', location: 'https://bench.example/', connectedAddress: '192.0.2.1' }],
    status: 200, headers: {}, resolvedAddresses: ['192.0.2.1'], connectedAddress: '192.0.2.1', tls: null,
    timings: { startedAt: 0, dnsMs: 0, connectMs: 0, headersMs: 0, totalMs: 0 }, fetchedAt: new Date(0).toISOString(),
    body: new Uint8Array(body), sha256: createHash('sha256').update(body).digest('hex'), wireBytes: wire.length, bodyTruncated: false,
    exchanges: [
      exchange('https://old.example/', 302, [['Location', 'https://bench.example/'], ['Content-Length', '0']], new Uint8Array(0)),
      exchange('https://bench.example/', 200, [['Content-Type', 'text/html; charset=utf-8'], ['Content-Encoding', 'gzip'], ['Content-Length', String(wire.length)]], wire),
    ],
    contentType: 'text/html; charset=utf-8', isHtml: true, charset: 'utf-8', charsetSource: 'header', error: null,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const opts = parseBenchArgs<Options>(process.argv.slice(2), { rounds: 5, warmup: 1, json: false }, { '--rounds': { key: 'rounds', min: 1 }, '--warmup': { key: 'warmup' } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-bench-evidence-'));
  const rows = [];
  try {
    for (const size of SIZES) {
      const body = pageOfSize(size);
      const record = recordFor(body);
      const times = { fingerprint: [] as number[], warc: [] as number[], package: [] as number[] };
      let packageBytes = 0;
      for (let round = 0; round < opts.warmup + opts.rounds; round++) {
        const keep = round >= opts.warmup;
        let t = performance.now();
        const fingerprint = fingerprintPage({ body: record.body, contentType: 'text/html; charset=utf-8', status: 200, url: record.finalUrl });
        const fpMs = performance.now() - t;
        t = performance.now();
        await buildWarc({ exchanges: record.exchanges, connections: [], createdAt: new Date(0).toISOString(), software: 'hopwatch/bench', filename: 'bench.warc.gz' });
        const warcMs = performance.now() - t;
        // a fresh directory per round: a package is written once, never found already there
        const store = openEvidenceStore(path.join(dir, `r${round}-${size}`));
        t = performance.now();
        const pkg = await writeEvidencePackage(
          { domain: 'old.example', judgement: { verdict: 'mirror', site: 'bench', relation: 'mirror', score: 1, pageKind: fingerprint.pageKind, evidence: [] }, record, fingerprint, reference: null, resolver: 'bench', settings: {} },
          { store, clock: () => round },
        );
        const pkgMs = performance.now() - t;
        packageBytes = pkg.manifestJson.warc.bytes + pkg.manifestJson.body.bytes + Buffer.byteLength(JSON.stringify(pkg.manifestJson, null, 2)) + 1;
        if (keep) {
          times.fingerprint.push(fpMs);
          times.warc.push(warcMs);
          times.package.push(pkgMs);
        }
      }
      const fp = median(times.fingerprint);
      rows.push({
        bodyBytes: size,
        fingerprintMs: +fp.toFixed(2),
        warcMs: +median(times.warc).toFixed(2),
        packageMs: +median(times.package).toFixed(2),
        warcToFingerprint: +(median(times.warc) / fp).toFixed(3),
        packageToFingerprint: +(median(times.package) / fp).toFixed(3),
        packageBytes,
        packageToBody: +(packageBytes / size).toFixed(3),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const result = { bench: 'evidence', rounds: opts.rounds, warmup: opts.warmup, node: process.version, rows };
  if (opts.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(JSON.stringify(result));
  console.log('');
  console.log('| body | fingerprint ms | WARC ms | package ms (fsync) | WARC / fingerprint | package / fingerprint | package bytes / body |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.bodyBytes / 1024} KiB | ${r.fingerprintMs} | ${r.warcMs} | ${r.packageMs} | ${r.warcToFingerprint} | ${r.packageToFingerprint} | ${r.packageToBody} |`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
