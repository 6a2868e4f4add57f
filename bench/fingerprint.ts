/**
 * Cost of fingerprinting next to the floor for any DOM-based fingerprint: a bare parse.
 *
 *   npm run bench [-- CORPUS_DIR] [--rounds 7] [--warmup 2] [--json]
 *
 * Pages: every `.html` file listed in CORPUS_DIR/MANIFEST.tsv (default ../shared/corpus), or, if
 * the corpus is absent, 60 synthetic listing pages the bench writes in memory. Each round runs
 * `fingerprintPage` over all pages and `cheerio.load` (after UTF-8 decoding: the fingerprinter is
 * handed bytes too) over the same pages; the two alternate so that drift on a shared machine
 * hits both. After warm-up rounds, the median round of each gives pages/s and MB/s, and their
 * ratio. Heap after a forced GC is reported at the end. Prints figures; never asserts a time.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { load } from 'cheerio';
import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  corpus: string;
  rounds: number;
  warmup: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  return parseBenchArgs<Options>(argv, { corpus: '../shared/corpus', rounds: 7, warmup: 2, json: false }, { '--rounds': { key: 'rounds', min: 1 }, '--warmup': { key: 'warmup' } }, 'corpus');
}

interface BenchPage {
  name: string;
  body: Uint8Array;
}

async function corpusPages(dir: string): Promise<BenchPage[] | null> {
  let manifest: string;
  try {
    manifest = await readFile(join(dir, 'MANIFEST.tsv'), 'utf8');
  } catch {
    return null;
  }
  const paths = manifest
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split('\t')[0]?.trim() ?? '')
    .filter((p) => p.endsWith('.html'));
  const pages: BenchPage[] = [];
  for (const p of paths) {
    try {
      pages.push({ name: p, body: await readFile(join(dir, p)) });
    } catch {
      // a missing page is left out; the count printed says how many were used
    }
  }
  return pages.length ? pages : null;
}

/** Deterministic listing pages of 20..200 KB: a header, navigation, a results table, a footer. */
function syntheticPages(count = 60): BenchPage[] {
  const pages: BenchPage[] = [];
  for (let p = 0; p < count; p++) {
    const rows = 50 + ((p * 37) % 450);
    const parts: string[] = [
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Site ${p % 6} - latest torrents</title>`,
      `<link rel="stylesheet" href="/static/css/main.${p % 6}.css?v=${p}"><script src="/static/js/app.js"></script>`,
      `<script>window.dataLayer=window.dataLayer||[];gtag('config','UA-${100000 + (p % 6)}-1');</script></head><body>`,
      `<div id="header" class="header"><a href="/" class="logo"><img src="/img/logo.png" alt="Site ${p % 6}"></a>`,
      `<form action="/search" class="search"><input name="q" placeholder="Search torrents"><button>Search</button></form></div>`,
      `<ul class="nav">${['Movies', 'TV', 'Music', 'Games', 'Apps', 'Anime'].map((c) => `<li><a href="/cat/${c.toLowerCase()}">${c}</a></li>`).join('')}</ul>`,
      '<table class="table-list"><thead><tr><th>Name</th><th>Size</th><th>Seeders</th><th>Leechers</th></tr></thead><tbody>',
    ];
    for (let r = 0; r < rows; r++) {
      const id = p * 1000 + r;
      parts.push(
        `<tr class="row ${r % 2 ? 'odd' : 'even'}"><td class="name"><a href="/torrent/${id}/Some.Show.S0${r % 9}E${r % 24}.720p">Some Show S0${r % 9}E${r % 24} 720p WEB x264-GRP${r % 7}</a>` +
          `<a href="magnet:?xt=urn:btih:${id.toString(16).padStart(40, '0')}&tr=udp://tracker.example:1337/announce"><img src="/img/magnet.png"></a></td>` +
          `<td>${(r % 40) + 1}.${r % 10} GB</td><td class="seeds">${r * 3}</td><td class="leeches">${r}</td></tr>`,
      );
    }
    parts.push('</tbody></table><div class="footer"><a href="/dmca">DMCA</a> <a href="/contact">Contact</a> &copy; Site</div></body></html>');
    pages.push({ name: `synthetic-${p}.html`, body: new TextEncoder().encode(parts.join('\n')) });
  }
  return pages;
}

function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const corpusDir = resolve(opts.corpus);
  const fromCorpus = await corpusPages(corpusDir);
  const pages = fromCorpus ?? syntheticPages();
  const source = fromCorpus ? corpusDir : 'synthetic (corpus not found)';
  const totalBytes = pages.reduce((n, p) => n + p.body.byteLength, 0);
  const decoder = new TextDecoder('utf-8');
  let sink = 0;
  let fingerprintErrors = 0;

  const fingerprintRound = (): number => {
    const t0 = performance.now();
    for (const page of pages) {
      try {
        sink += fingerprintPage({ body: page.body, contentType: 'text/html' }).bytes;
      } catch {
        fingerprintErrors++;
      }
    }
    return performance.now() - t0;
  };
  const parseRound = (): number => {
    const t0 = performance.now();
    for (const page of pages) sink += load(decoder.decode(page.body)).root().children().length;
    return performance.now() - t0;
  };

  for (let w = 0; w < opts.warmup; w++) {
    parseRound();
    fingerprintRound();
  }
  fingerprintErrors = 0;
  const fpMs: number[] = [];
  const parseMs: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    // alternate the order so neither side always runs on a warmer (or more contended) machine
    if (r % 2 === 0) {
      parseMs.push(parseRound());
      fpMs.push(fingerprintRound());
    } else {
      fpMs.push(fingerprintRound());
      parseMs.push(parseRound());
    }
  }
  const gc = gcFunction();
  gc();
  const mem = process.memoryUsage();

  const fp = median(fpMs);
  const parse = median(parseMs);
  const rate = (ms: number) => ({ medianRoundMs: round2(ms), pagesPerSecond: round2(pages.length / (ms / 1000)), mbPerSecond: round2(totalBytes / MB / (ms / 1000)) });
  const report = {
    benchmark: 'fingerprint',
    node: process.version,
    source,
    pages: pages.length,
    totalMB: round2(totalBytes / MB),
    warmupRounds: opts.warmup,
    rounds: opts.rounds,
    fingerprint: { ...rate(fp), roundMs: fpMs.map(round2), errors: fingerprintErrors },
    bareParse: { ...rate(parse), roundMs: parseMs.map(round2), what: 'TextDecoder utf-8 + cheerio.load (default options)' },
    ratioFingerprintToParse: round2(fp / parse),
    target: { ratioAtMost: 1.5 },
    heapAfterGcMB: round2(mem.heapUsed / MB),
    rssMB: round2(mem.rss / MB),
  };
  if (sink === -1) console.error(sink);

  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (opts.json) return;
  const rows: Array<[string, string]> = [
    ['pages', `${report.pages} (${report.totalMB} MB) from ${source}`],
    ['rounds', `${opts.warmup} warm-up + ${opts.rounds} timed, median`],
    ['fingerprintPage', `${report.fingerprint.pagesPerSecond} pages/s, ${report.fingerprint.mbPerSecond} MB/s (${report.fingerprint.medianRoundMs} ms/round)`],
    ['bare parse (decode + cheerio.load)', `${report.bareParse.pagesPerSecond} pages/s, ${report.bareParse.mbPerSecond} MB/s (${report.bareParse.medianRoundMs} ms/round)`],
    ['ratio fingerprint / parse', `${report.ratioFingerprintToParse}x (target <= 1.5x)`],
    ['fingerprint errors', String(fingerprintErrors)],
    ['heap after GC', `${report.heapAfterGcMB} MB (rss ${report.rssMB} MB)`],
  ];
  const width = Math.max(...rows.map(([a]) => a.length));
  process.stdout.write(`\n${rows.map(([a, b]) => `${a.padEnd(width)}  ${b}`).join('\n')}\n`);
}

await main();
