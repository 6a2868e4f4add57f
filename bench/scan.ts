/**
 * Domains per second for `scan` against the local test world, next to the same pages checked
 * from memory in the same run: the crawl overhead ratio. Then the heap over a long stream of
 * domains (every one NXDOMAIN at an injected resolver), to show memory stays flat.
 *
 *   npx tsx bench/scan.ts [--domains 400] [--concurrency 8] [--rounds 3] [--stream 100000] [--json]
 *
 * The world serves the "benign" hosts (mirrors, redirects, proxies, unrelated, parked, challenge,
 * status pages); hostile hosts are left out, their cost is a deadline, not throughput. Every
 * round scans the list through the real crawler (DNS on loopback, TLS, redirects) and then runs
 * `checkPage` over the bodies those fetches returned, in memory. Both share one process with the
 * world's servers, so the figure includes serving. Prints figures; never asserts a time.
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkPage } from '../src/check/checkPage.js';
import { readTargets, scanDomains, type ScanTarget } from '../src/check/scanDomains.js';
import { createCrawler } from '../src/crawler/crawler.js';
import { CrawlError } from '../src/crawler/crawlErrors.js';
import type { FetchRecord } from '../src/crawler/types.js';
import { startWorld } from '../test/world/world.js';
import { buildWorldReferenceIndex } from '../test/world/worldReferences.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  domains: number;
  concurrency: number;
  rounds: number;
  stream: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  return parseBenchArgs<Options>(
    argv,
    { domains: 400, concurrency: 8, rounds: 3, stream: 100_000, json: false },
    { '--domains': { key: 'domains', min: 1 }, '--concurrency': { key: 'concurrency', min: 1 }, '--rounds': { key: 'rounds', min: 1 }, '--stream': { key: 'stream' } },
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function* fromArray(targets: string[]): AsyncGenerator<ScanTarget> {
  for (const [i, target] of targets.entries()) yield { line: i + 1, target };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  const world = await startWorld({ gzipBombBytes: 1024 * 1024 });
  const index = buildWorldReferenceIndex();
  const benign = world.hosts.filter((h) => h.expected && h.role !== 'hostile' && h.role !== 'dns-trick' && h.role !== 'unreachable').map((h) => h.name.replace('*.', 'bench.'));
  const targets = Array.from({ length: opts.domains }, (_, i) => benign[i % benign.length]!);
  const crawlerOptions = world.crawlerOptions({ totalTimeoutMs: 10_000 });

  // the pages the scan sees, fetched once, for the in-memory side
  const fetcher = createCrawler(crawlerOptions);
  const pages: FetchRecord[] = [];
  for (const host of benign) {
    const record = await fetcher.fetch(`https://${host}/`);
    pages.push(record.status === null ? await fetcher.fetch(`http://${host}/`) : record);
  }
  await fetcher.close();
  const memoryTargets = Array.from({ length: opts.domains }, (_, i) => pages[i % pages.length]!);

  const scanRates: number[] = [];
  const memoryRates: number[] = [];
  let verdicts: Record<string, number> = {};
  for (let round = 0; round < opts.rounds; round++) {
    const t0 = performance.now();
    const summary = await scanDomains(fromArray(targets), index, { domainCheck: { crawler: crawlerOptions, maxProbePaths: 3 }, concurrency: opts.concurrency, perHostDelayMs: 0 }, () => undefined);
    scanRates.push((summary.total * 1000) / (performance.now() - t0));
    verdicts = summary.verdicts;

    const t1 = performance.now();
    for (const record of memoryTargets) {
      checkPage({ body: record.body, contentType: record.contentType ?? undefined, status: record.status ?? undefined, url: record.finalUrl }, index, { input: record.requestedUrl, domain: null });
    }
    memoryRates.push((memoryTargets.length * 1000) / (performance.now() - t1));
  }
  await world.close();

  // memory over a long stream: the scan's own bookkeeping, network excluded
  const heapMb: number[] = [];
  let streamRate = 0;
  if (opts.stream > 0) {
    const nxdomain = async (name: string): Promise<string[]> => {
      throw new CrawlError('CRAWL_DNS_NXDOMAIN', `${name} does not exist`);
    };
    const sample = Math.max(1, Math.floor(opts.stream / 10));
    const lines = Readable.from((function* () {
      for (let i = 0; i < opts.stream; i++) yield `host-${i}.example.test\n`;
    })());
    let seen = 0;
    const t2 = performance.now();
    await scanDomains(readTargets(lines), index, { domainCheck: { crawler: { resolver: nxdomain }, maxProbePaths: 0 }, concurrency: 16, perHostDelayMs: 1000 }, () => {
      if (++seen % sample === 0) {
        gc();
        heapMb.push(Math.round(process.memoryUsage().heapUsed / 1e5) / 10);
      }
    });
    streamRate = (opts.stream * 1000) / (performance.now() - t2);
  }

  const scanPerSecond = median(scanRates);
  const memoryPerSecond = median(memoryRates);
  const result = {
    bench: 'scan',
    domains: opts.domains,
    distinctHosts: benign.length,
    concurrency: opts.concurrency,
    rounds: opts.rounds,
    scanDomainsPerSecond: Math.round(scanPerSecond * 10) / 10,
    inMemoryPagesPerSecond: Math.round(memoryPerSecond * 10) / 10,
    crawlOverheadRatio: Math.round((memoryPerSecond / scanPerSecond) * 100) / 100,
    verdictsPerRound: verdicts,
    stream: opts.stream > 0 ? { domains: opts.stream, domainsPerSecond: Math.round(streamRate), heapMbAfterGc: heapMb } : null,
    node: process.version,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify(result)}\n\n`);
  const rows: Array<[string, string]> = [
    ['domains per round', `${opts.domains} (${benign.length} distinct hosts)`],
    ['scan (crawl + check), domains/s', result.scanDomainsPerSecond.toFixed(1)],
    ['same pages from memory, pages/s', result.inMemoryPagesPerSecond.toFixed(1)],
    ['crawl overhead ratio', `${result.crawlOverheadRatio}x`],
  ];
  if (result.stream) {
    rows.push([`stream of ${result.stream.domains} NXDOMAIN, domains/s`, String(result.stream.domainsPerSecond)]);
    rows.push(['heap after GC every 10%, MB', result.stream.heapMbAfterGc.join(' ')]);
  }
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(42)} ${v}\n`);
}

await main();
