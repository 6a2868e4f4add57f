/**
 * Fingerprint time of adversarial pages at growing sizes, and what the thread pool costs per page.
 *
 *   npm run bench:adversarial [-- --rounds 3] [--json]
 *
 * 1. Each page of the hostile-scanning issue (a pattern prefix repeated: `<a`, `<!--`,
 *    `<div></b>`, `histats.com/`, `data-cf-beacon='{`, one tag with unique attributes, and deep
 *    `<div>` nesting) at 64 KiB, 256 KiB, 1 MiB and 4 MiB: best-of-rounds `fingerprintPage` time in
 *    this thread, and the growth against 64 KiB (linear: x4, x16, x64).
 * 2. The same ordinary page (a mirror listing) judged N times in this thread (`inlinePageJudge`)
 *    and through the fingerprint pool (1 thread, one page at a time; 2 threads, 2 at a time):
 *    ms per page, and the pool's extra cost per page (structured clone of the page and result,
 *    two messages). Pool start-up (threads building their index) is reported apart.
 * Prints JSON (one object) with --json, else a table; never asserts a time.
 */
import { performance } from 'node:perf_hooks';
import { createPagePool } from '../src/check/pagePool.js';
import { inlinePageJudge, type PageJudge } from '../src/check/pageJudge.js';
import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import { familyPages } from '../test/world/sitePages.js';
import { buildWorldReferenceIndex } from '../test/world/worldReferences.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  rounds: number;
  pages: number;
  json: boolean;
}

const opts = parseBenchArgs<Options>(process.argv.slice(2), { rounds: 3, pages: 200, json: false }, { '--rounds': { key: 'rounds', min: 1 }, '--pages': { key: 'pages', min: 10 } });

const KIB = 1024;
const SIZES = [64 * KIB, 256 * KIB, 1024 * KIB, 4096 * KIB];

function repeatTo(unit: string, chars: number): string {
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

const PAGES: Record<string, (chars: number) => string> = {
  '<a repeated': (n) => `<html><body>${repeatTo('<a', n)}</body></html>`,
  '<!-- repeated': (n) => `<html><body>${repeatTo('<!--', n)}</body></html>`,
  '<div></b> repeated': (n) => `<html><body>${repeatTo('<div></b>', n)}</body></html>`,
  'histats.com/ repeated': (n) => `<html><body>${repeatTo('histats.com/', n)}</body></html>`,
  "data-cf-beacon='{ repeated": (n) => `<html><body>${repeatTo("data-cf-beacon='{", n)}</body></html>`,
  'unique attributes on one tag': (n) => {
    const attrs: string[] = [];
    for (let i = 0, size = 0; size < n; i++) {
      const a = ` a${i}="1"`;
      attrs.push(a);
      size += a.length;
    }
    return `<html><body><div${attrs.join('')}>x</div></body></html>`;
  },
  '<div> nested': (n) => `<html><body>${repeatTo('<div>', n)}</body></html>`,
};

function bestMs(fn: () => unknown, rounds: number): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const scaling: Array<{ page: string; sizes: Array<{ bytes: number; ms: number; growth: number }> }> = [];
for (const [name, make] of Object.entries(PAGES)) {
  const sizes: Array<{ bytes: number; ms: number; growth: number }> = [];
  for (const size of SIZES) {
    const html = make(size);
    const ms = bestMs(() => fingerprintPage({ body: html }), size >= 4096 * KIB ? 1 : opts.rounds);
    sizes.push({ bytes: size, ms: Math.round(ms * 10) / 10, growth: 0 });
  }
  for (const s of sizes) s.growth = Math.round((s.ms / Math.max(sizes[0]!.ms, 0.1)) * 10) / 10;
  scaling.push({ page: name, sizes });
}

async function perPage(judge: PageJudge, concurrency: number): Promise<number> {
  const body = Buffer.from(familyPages.mirrorHome('bench.test'));
  const meta = { input: 'bench.test', domain: 'bench.test' };
  // warm-up: JIT in this thread, the first pages in every pool thread
  await Promise.all(Array.from({ length: 4 * concurrency }, () => judge.judge({ body }, meta)));
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < opts.pages) await judge.judge({ body }, meta);
    }),
  );
  return (performance.now() - start) / opts.pages;
}

const index = buildWorldReferenceIndex();
const inlineMs = await perPage(inlinePageJudge(index), 1);
let startup = performance.now();
const one = createPagePool(index, { threads: 1, deadlineMs: 60_000 });
await one.judge({ body: '<html><body>warm</body></html>' }, { input: 'w' });
const oneStartupMs = performance.now() - startup;
const oneMs = await perPage(one, 1);
await one.close();
startup = performance.now();
const two = createPagePool(index, { threads: 2, deadlineMs: 60_000 });
await Promise.all([two.judge({ body: '<p>w</p>' }, { input: 'w' }), two.judge({ body: '<p>w</p>' }, { input: 'w' })]);
const twoStartupMs = performance.now() - startup;
const twoMs = await perPage(two, 2);
await two.close();

const round = (x: number): number => Math.round(x * 100) / 100;
const pool = {
  page: `mirror listing, ${Buffer.byteLength(familyPages.mirrorHome('bench.test'))} bytes`,
  pages: opts.pages,
  inlineMsPerPage: round(inlineMs),
  pool1MsPerPage: round(oneMs),
  pool1OverheadMsPerPage: round(oneMs - inlineMs),
  pool1Ratio: round(oneMs / inlineMs),
  pool2MsPerPage: round(twoMs),
  pool2Ratio: round(twoMs / inlineMs),
  pool1StartupMs: Math.round(oneStartupMs),
  pool2StartupMs: Math.round(twoStartupMs),
};

if (opts.json) {
  process.stdout.write(`${JSON.stringify({ node: process.version, rounds: opts.rounds, scaling, pool })}\n`);
} else {
  const header = ['page', ...SIZES.map((s) => (s >= 1024 * KIB ? `${s / 1024 / KIB} MiB` : `${s / KIB} KiB`))];
  const rows = scaling.map((r) => [r.page, ...r.sizes.map((s) => `${s.ms} ms (x${s.growth})`)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`fingerprintPage time, best of ${opts.rounds} (4 MiB: 1 run); growth against 64 KiB (linear = x4, x16, x64)\n`);
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n\n`);
  process.stdout.write(`per page (${pool.page}, ${pool.pages} pages):\n`);
  process.stdout.write(`  this thread            ${pool.inlineMsPerPage} ms\n`);
  process.stdout.write(`  pool, 1 thread         ${pool.pool1MsPerPage} ms (x${pool.pool1Ratio}; +${pool.pool1OverheadMsPerPage} ms per page; start-up ${pool.pool1StartupMs} ms)\n`);
  process.stdout.write(`  pool, 2 threads, 2 at once  ${pool.pool2MsPerPage} ms (x${pool.pool2Ratio}; start-up ${pool.pool2StartupMs} ms)\n`);
}
