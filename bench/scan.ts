/**
 * What `scan` costs per domain against the local test world, next to the same pages checked
 * from memory in the same run. Then the heap over a long stream of domains (every one NXDOMAIN
 * at an injected resolver), to show memory stays flat.
 *
 *   npm run bench:scan [-- --passes 8] [--concurrency 8] [--rounds 3] [--stream 100000] [--json]
 *
 * The world runs in a child process of its own (test/world/worldProcess.ts) and compresses each
 * distinct page once: its CPU is measured and reported apart, not counted as the scanner's (on
 * a 2-core machine it still competes for the cores, so CPU per domain is the figure to trust;
 * wall-clock domains/s is printed beside it). It serves the "benign" hosts (mirrors, redirects,
 * proxies, unrelated, parked, challenge, status pages); hostile hosts are left out, their cost
 * is a deadline, not throughput.
 *
 * A pass is one `scanDomains` call over every benign host once (a fresh crawler each time, so
 * TLS sessions are reused only within a pass: a redirect or probe to a host already met, as in
 * a real scan). Each round runs `passes` passes with TLS session reuse and `passes` without
 * (order alternating), then `checkPage` over the bodies those fetches return, from memory. The
 * world counts what every domain cost (after one unrecorded warm-up round of each): HTTP requests (hops), TCP connections, TLS handshakes
 * and how many resumed; the scan results give probes and https→http fallbacks. Medians over
 * rounds. Prints figures; never asserts a time.
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
import { worldCrawlerOptions } from '../test/world/world.js';
import { WORLD_HOSTS } from '../test/world/worldHosts.js';
import { startWorldProcess, type WorldProcessTraffic } from '../test/world/worldProcess.js';
import { buildWorldReferenceIndex } from '../test/world/worldReferences.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  passes: number;
  concurrency: number;
  rounds: number;
  stream: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  return parseBenchArgs<Options>(
    argv,
    { passes: 8, concurrency: 8, rounds: 3, stream: 100_000, json: false },
    { '--passes': { key: 'passes', min: 1 }, '--concurrency': { key: 'concurrency', min: 1 }, '--rounds': { key: 'rounds', min: 1 }, '--stream': { key: 'stream' } },
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round2 = (x: number): number => Math.round(x * 100) / 100;

async function* fromArray(targets: string[]): AsyncGenerator<ScanTarget> {
  for (const [i, target] of targets.entries()) yield { line: i + 1, target };
}

type Variant = 'reuse' | 'noReuse';
interface Sample {
  domains: number;
  wallMs: number;
  scannerCpuMs: number;
  worldCpuMs: number;
  requests: number;
  connections: number;
  tlsHandshakes: number;
  tlsResumed: number;
  probes: number;
  fallbacks: number;
  redirects: number;
}

function delta(after: WorldProcessTraffic, before: WorldProcessTraffic): Pick<Sample, 'worldCpuMs' | 'requests' | 'connections' | 'tlsHandshakes' | 'tlsResumed'> {
  return {
    worldCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
    requests: after.requests - before.requests,
    connections: after.connections - before.connections,
    tlsHandshakes: after.tlsHandshakes - before.tlsHandshakes,
    tlsResumed: after.tlsResumed - before.tlsResumed,
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  const world = await startWorldProcess({ gzipBombBytes: 1024 * 1024 });
  const index = buildWorldReferenceIndex();
  const benign = WORLD_HOSTS.filter((h) => h.expected && h.role !== 'hostile' && h.role !== 'dns-trick' && h.role !== 'unreachable').map((h) => h.name.replace('*.', 'bench.'));
  const options = (reuse: boolean) => worldCrawlerOptions(world.addresses, { totalTimeoutMs: 10_000, tlsSessionReuse: reuse });

  // the pages the scan sees, fetched once, for the in-memory side
  const fetcher = createCrawler(options(false));
  const pages: FetchRecord[] = [];
  for (const host of benign) {
    const record = await fetcher.fetch(`https://${host}/`);
    pages.push(record.status === null ? await fetcher.fetch(`http://${host}/`) : record);
  }
  await fetcher.close();

  const samples: Record<Variant, Sample[]> = { reuse: [], noReuse: [] };
  const memoryMsPerPage: number[] = [];
  const memoryCpuMsPerPage: number[] = [];
  let verdicts: Record<string, number> = {};
  const runVariant = async (variant: Variant, record = true): Promise<void> => {
    const sample: Sample = { domains: 0, wallMs: 0, scannerCpuMs: 0, worldCpuMs: 0, requests: 0, connections: 0, tlsHandshakes: 0, tlsResumed: 0, probes: 0, fallbacks: 0, redirects: 0 };
    const before = await world.traffic();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let p = 0; p < opts.passes; p++) {
      const summary = await scanDomains(fromArray(benign), index, { domainCheck: { crawler: options(variant === 'reuse'), maxProbePaths: 3 }, concurrency: opts.concurrency, perHostDelayMs: 0 }, (item) => {
        sample.probes += item.result.probes.length;
        sample.fallbacks += item.result.attempts.length;
        sample.redirects += item.result.fetch.redirects.length;
      });
      sample.domains += summary.total;
      verdicts = summary.verdicts;
    }
    sample.wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    sample.scannerCpuMs = (cpu.user + cpu.system) / 1000;
    Object.assign(sample, delta(await world.traffic(), before));
    if (record) samples[variant].push(sample);
  };
  // warm-up: one unrecorded round of each, so neither variant pays for the JIT
  for (const variant of ['noReuse', 'reuse'] as Variant[]) await runVariant(variant, false);
  for (let round = 0; round < opts.rounds; round++) {
    for (const variant of (round % 2 === 0 ? ['reuse', 'noReuse'] : ['noReuse', 'reuse']) as Variant[]) await runVariant(variant);
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const count = benign.length * opts.passes;
    for (let i = 0; i < count; i++) {
      const record = pages[i % pages.length]!;
      checkPage({ body: record.body, contentType: record.contentType ?? undefined, status: record.status ?? undefined, url: record.finalUrl }, index, { input: record.requestedUrl, domain: null });
    }
    memoryMsPerPage.push((performance.now() - t1) / count);
    const cpu = process.cpuUsage(cpu0);
    memoryCpuMsPerPage.push((cpu.user + cpu.system) / 1000 / count);
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

  const memoryMs = median(memoryMsPerPage);
  const memoryCpuMs = median(memoryCpuMsPerPage);
  const summarise = (variant: Variant) => {
    const s = samples[variant];
    const per = (f: (x: Sample) => number) => round2(median(s.map((x) => f(x) / x.domains)));
    const domainsPerSecond = round2(median(s.map((x) => (x.domains * 1000) / x.wallMs)));
    const scannerCpuMsPerDomain = per((x) => x.scannerCpuMs);
    return {
      domainsPerRound: s[0]!.domains,
      domainsPerSecond,
      scannerCpuMsPerDomain,
      worldCpuMsPerDomain: per((x) => x.worldCpuMs),
      perDomain: {
        httpRequests: per((x) => x.requests),
        tcpConnections: per((x) => x.connections),
        tlsHandshakes: per((x) => x.tlsHandshakes),
        tlsResumed: per((x) => x.tlsResumed),
        probes: per((x) => x.probes),
        httpsToHttpFallbacks: per((x) => x.fallbacks),
        redirectsFollowed: per((x) => x.redirects),
      },
      // rates: the scan's domains/s over in-memory pages/s (wall), and in CPU per item
      ratioToInMemoryWall: round2(domainsPerSecond / (1000 / memoryMs)),
      ratioToInMemoryCpu: round2(memoryCpuMs / scannerCpuMsPerDomain),
    };
  };
  const reuse = summarise('reuse');
  const noReuse = summarise('noReuse');
  const result = {
    bench: 'scan',
    node: process.version,
    world: 'child process; each distinct page compressed once',
    distinctHosts: benign.length,
    passes: opts.passes,
    concurrency: opts.concurrency,
    rounds: opts.rounds,
    inMemory: { msPerPage: round2(memoryMs), cpuMsPerPage: round2(memoryCpuMs), pagesPerSecond: round2(1000 / memoryMs) },
    scan: { tlsSessionReuse: reuse, noTlsSessionReuse: noReuse },
    reuseVsNoReuse: { domainsPerSecond: round2(reuse.domainsPerSecond / noReuse.domainsPerSecond), scannerCpu: round2(reuse.scannerCpuMsPerDomain / noReuse.scannerCpuMsPerDomain) },
    verdictsPerPass: verdicts,
    stream: opts.stream > 0 ? { domains: opts.stream, domainsPerSecond: Math.round(streamRate), heapMbAfterGc: heapMb } : null,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (opts.json) return;
  const rows: Array<[string, string, string]> = [
    ['', 'TLS session reuse', 'no reuse'],
    ['domains per round', String(reuse.domainsPerRound), String(noReuse.domainsPerRound)],
    ['scan, domains/s (wall)', String(reuse.domainsPerSecond), String(noReuse.domainsPerSecond)],
    ['scanner CPU ms per domain', String(reuse.scannerCpuMsPerDomain), String(noReuse.scannerCpuMsPerDomain)],
    ['world CPU ms per domain (other process)', String(reuse.worldCpuMsPerDomain), String(noReuse.worldCpuMsPerDomain)],
    ['HTTP requests (hops) per domain', String(reuse.perDomain.httpRequests), String(noReuse.perDomain.httpRequests)],
    ['TCP connections per domain', String(reuse.perDomain.tcpConnections), String(noReuse.perDomain.tcpConnections)],
    ['TLS handshakes per domain', String(reuse.perDomain.tlsHandshakes), String(noReuse.perDomain.tlsHandshakes)],
    ['  of which resumed', String(reuse.perDomain.tlsResumed), String(noReuse.perDomain.tlsResumed)],
    ['probes per domain', String(reuse.perDomain.probes), String(noReuse.perDomain.probes)],
    ['https->http fallbacks per domain', String(reuse.perDomain.httpsToHttpFallbacks), String(noReuse.perDomain.httpsToHttpFallbacks)],
    ['redirects followed per domain', String(reuse.perDomain.redirectsFollowed), String(noReuse.perDomain.redirectsFollowed)],
    ['scan / in-memory, rate (wall)', `${reuse.ratioToInMemoryWall}x`, `${noReuse.ratioToInMemoryWall}x`],
    ['scan / in-memory, CPU per item', `${reuse.ratioToInMemoryCpu}x`, `${noReuse.ratioToInMemoryCpu}x`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(`\n${rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(8)}`).join('\n')}\n`);
  process.stdout.write(`in memory (checkPage): ${result.inMemory.pagesPerSecond} pages/s, ${result.inMemory.cpuMsPerPage} CPU ms/page; ${benign.length} distinct hosts\n`);
  process.stdout.write(`reuse / no reuse: ${result.reuseVsNoReuse.domainsPerSecond}x domains/s, ${result.reuseVsNoReuse.scannerCpu}x scanner CPU per domain\n`);
  if (result.stream) process.stdout.write(`stream of ${result.stream.domains} NXDOMAIN: ${result.stream.domainsPerSecond} domains/s; heap after GC every 10%, MB: ${result.stream.heapMbAfterGc.join(' ')}\n`);
}

await main();
