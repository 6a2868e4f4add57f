/**
 * This checkout's fingerprint against another checkout's, in one process, page by page:
 *
 *   npm run bench:against -- OTHER_CHECKOUT [--rounds 24] [--json]
 *
 * OTHER_CHECKOUT is any checkout of hopwatch with its dependencies installed (a `git worktree`
 * of an older commit with node_modules linked in will do).
 *
 * On this shared 2-core VM the speed of a process drifts by a third within seconds and differs
 * between processes by more than most changes to the fingerprint, so two builds timed in
 * separate runs of `npm run bench` cannot be told apart by a few percent. Here both builds'
 * `fingerprintPage` (OTHER_CHECKOUT/src/fingerprint/fingerprintPage.ts, loaded beside this
 * one's) and the tokenise yardstick run back to back on each page of ../shared/corpus, their
 * order rotating by page and round, so that all three meet the machine as it is at that moment.
 * Each round gives this/tokenise, other/tokenise and this/other; the medians and the range of
 * this/other are printed. With both builds in one process the caches hold two copies of the
 * code, so the x-tokenise figures run lower than `npm run bench`'s; the ratio between the builds
 * is the figure this is for. Prints JSON and a table; never asserts a time.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Parser } from 'htmlparser2';
import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  other: string;
  rounds: number;
  json: boolean;
}

const WARMUP_ROUNDS = 3;

async function main(): Promise<void> {
  const opts = parseBenchArgs<Options>(process.argv.slice(2), { other: '', rounds: 24, json: false }, { '--rounds': { key: 'rounds', min: 1 } }, 'other');
  if (!opts.other) throw new Error('usage: npm run bench:against -- OTHER_CHECKOUT [--rounds N] [--json]');
  const otherModule = resolve(opts.other, 'src/fingerprint/fingerprintPage.ts');
  const { fingerprintPage: otherFingerprint } = (await import(otherModule)) as { fingerprintPage: typeof fingerprintPage };
  const corpus = resolve(import.meta.dirname, '../../shared/corpus');
  const manifest = await readFile(join(corpus, 'MANIFEST.tsv'), 'utf8');
  const paths = manifest
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split('\t')[0]?.trim() ?? '')
    .filter((p) => p.endsWith('.html'));
  const pages = await Promise.all(paths.map((p) => readFile(join(corpus, p))));

  const decoder = new TextDecoder();
  let sink = 0;
  const methods = [
    (b: Uint8Array) => void (sink += fingerprintPage({ body: b, contentType: 'text/html' }).bytes),
    (b: Uint8Array) => void (sink += otherFingerprint({ body: b, contentType: 'text/html' }).bytes),
    (b: Uint8Array) => {
      const parser = new Parser({});
      parser.end(decoder.decode(b));
      sink += parser.endIndex;
    },
  ];
  const thisX: number[] = [];
  const otherX: number[] = [];
  const between: number[] = [];
  for (let r = 0; r < WARMUP_ROUNDS + opts.rounds; r++) {
    const ms = [0, 0, 0];
    for (let i = 0; i < pages.length; i++) {
      for (let k = 0; k < 3; k++) {
        const m = (k + i + r) % 3;
        const start = performance.now();
        methods[m]!(pages[i]!);
        ms[m]! += performance.now() - start;
      }
    }
    if (r < WARMUP_ROUNDS) continue;
    thisX.push(ms[0]! / ms[2]!);
    otherX.push(ms[1]! / ms[2]!);
    between.push(ms[0]! / ms[1]!);
  }
  const round3 = (x: number): number => Math.round(x * 1000) / 1000;
  const median = (x: number[]): number => {
    const s = [...x].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const report = {
    benchmark: 'fingerprint-against',
    node: process.version,
    other: resolve(opts.other),
    pages: pages.length,
    rounds: opts.rounds,
    thisToTokenise: round3(median(thisX)),
    otherToTokenise: round3(median(otherX)),
    thisToOther: { median: round3(median(between)), min: round3(Math.min(...between)), max: round3(Math.max(...between)) },
    checksum: sink % 1000,
  };
  if (opts.json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(JSON.stringify(report));
  console.log(`\n${pages.length} pages, ${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up, medians`);
  console.log(`this checkout / tokenise   ${report.thisToTokenise}x`);
  console.log(`other checkout / tokenise  ${report.otherToTokenise}x   (${report.other})`);
  console.log(`this / other               ${report.thisToOther.median}   (rounds ${report.thisToOther.min}-${report.thisToOther.max})`);
}

await main();
