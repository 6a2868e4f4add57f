/**
 * The Certificate Transparency filter (`hopwatch discover ct`) on a firehose-sized input.
 *
 *   npm run bench:ct [-- HISTORY_DIR] [--names 1000000] [--baseline-names 200000] [--json]
 *
 * Knowledge: the domain histories in HISTORY_DIR (default ../shared/domains), or the test
 * fixture's made-up histories when that is absent. Names: generated (test/fixtures/ctWorkload.ts),
 * realistic CT traffic with about 2 % carrying a brand or proxy base; half of them on plain
 * lines (one to three names), half in certstream `certificate_update` JSON lines (one to six
 * names, ~1.5 KB each, the fields certstream-server-go sends).
 *
 * Variants, each in its own child process (so its peak RSS is its own), same names:
 *   - before: the loop as it shipped — `ctCandidates([line])` per line, which rebuilt the
 *     brand matcher every line, a matcher that scans every brand per label, JSON.parse per line;
 *   - before, matcher once: the same matcher built once (how much the rebuild cost);
 *   - now: `ctLineFilter` (matcher once, Aho–Corasick, each JSON line JSON.parse'd; a
 *     hand-written certstream scanner that built only `all_domains` was tried and measured 1.5x
 *     slower than JSON.parse, so it was removed).
 * Lines are generated in chunks outside the timed part. names/s per core = names / CPU
 * seconds of the filter calls (user + system), which on a loaded machine is the honest
 * per-core figure; wall-clock names/s is printed beside it. Prints figures; never fails on a time.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brandMatcher } from '../src/discovery/brandMatch.js';
import { ctLineFilter } from '../src/discovery/ctNames.js';
import { brandSites, type DiscoveryKnowledge } from '../src/discovery/knowledge.js';
import type { Candidate } from '../src/discovery/types.js';
import { brandMatcherV0, ctCandidatesV0 } from '../test/discovery/ctFilterV0.js';
import { certstreamLine, ctNameGenerator, seededRandom } from '../test/fixtures/ctWorkload.js';
import { parseBenchArgs } from './benchArgs.js';
import { loadKnowledge } from './historyKnowledge.js';

interface Options {
  histories: string;
  names: number;
  baselineNames: number;
  json: boolean;
}

const VARIANTS = ['before', 'before-matcher-once', 'now'] as const;
type Variant = (typeof VARIANTS)[number];
const CHUNK_NAMES = 20_000;

function workload(knowledge: DiscoveryKnowledge): (names: number) => { lines: string[]; names: number } {
  const brands = new Set<string>();
  for (const site of brandSites(knowledge)) for (const l of [...site.ownLabels.keys(), ...site.subLabels.keys()]) if (l.length >= 3) brands.add(l);
  const proxies = [...knowledge.bases.values()].filter((b) => b.isProxy).map((b) => b.label);
  const nextName = ctNameGenerator({ brands: [...brands], proxies, seed: 2026 });
  const rnd = seededRandom(99);
  let index = 0;
  return (target) => {
    const lines: string[] = [];
    let names = 0;
    while (names < target) {
      const cert = rnd() < 0.5;
      const n = Math.min(target - names, cert ? 1 + Math.floor(rnd() * 6) : 1 + Math.floor(rnd() * 3));
      const list = Array.from({ length: n }, nextName);
      lines.push(cert ? certstreamLine(list, index++) : list.join(rnd() < 0.5 ? ' ' : ', '));
      names += n;
    }
    return { lines, names };
  };
}

interface ChildReport {
  variant: Variant;
  names: number;
  lines: number;
  hits: number;
  cpuSeconds: number;
  wallSeconds: number;
  namesPerCpuSecond: number;
  namesPerWallSecond: number;
  peakRssMB: number;
}

async function runChild(variant: Variant, dir: string, names: number): Promise<ChildReport> {
  const { knowledge } = await loadKnowledge(dir);
  const chunk = workload(knowledge);
  let filterLine: (line: string) => Candidate[];
  if (variant === 'before') filterLine = (line) => ctCandidatesV0([line], knowledge);
  else if (variant === 'before-matcher-once') {
    const matcher = brandMatcherV0(knowledge);
    filterLine = (line) => ctCandidatesV0([line], knowledge, matcher);
  } else {
    const filter = ctLineFilter(knowledge, brandMatcher(knowledge));
    filterLine = (line) => filter.line(line);
  }
  let done = 0;
  let lineCount = 0;
  let hits = 0;
  let cpuMicros = 0;
  let wallMs = 0;
  while (done < names) {
    const { lines, names: n } = chunk(Math.min(CHUNK_NAMES, names - done));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const line of lines) hits += filterLine(line).length;
    wallMs += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
    done += n;
    lineCount += lines.length;
  }
  const cpuSeconds = cpuMicros / 1e6;
  return {
    variant,
    names: done,
    lines: lineCount,
    hits,
    cpuSeconds: round2(cpuSeconds),
    wallSeconds: round2(wallMs / 1000),
    namesPerCpuSecond: Math.round(done / cpuSeconds),
    namesPerWallSecond: Math.round(done / (wallMs / 1000)),
    peakRssMB: round2(process.resourceUsage().maxRSS / 1024),
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function spawnChild(variant: Variant, dir: string, names: number): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--child', variant, dir, String(names)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise(JSON.parse(out) as ChildReport) : reject(new Error(`${variant} child exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(await runChild(argv[1] as Variant, argv[2]!, Number(argv[3]))));
    return;
  }
  const opts = parseBenchArgs<Options>(argv, { histories: '../shared/domains', names: 1_000_000, baselineNames: 200_000, json: false }, { '--names': { key: 'names', min: 1000 }, '--baseline-names': { key: 'baselineNames', min: 1000 } }, 'histories');
  const dir = resolve(opts.histories);
  const { knowledge, source } = await loadKnowledge(dir);
  const results: ChildReport[] = [];
  // the slow variants see fewer names (a rate does not need a million of them); the same generator, so the same first names
  for (const variant of VARIANTS) results.push(await spawnChild(variant, dir, variant.startsWith('now') ? opts.names : Math.min(opts.names, opts.baselineNames)));
  const now = results.find((r) => r.variant === 'now')!;
  const before = results.find((r) => r.variant === 'before')!;
  const report = {
    benchmark: 'ct',
    node: process.version,
    histories: source,
    brands: brandSites(knowledge).length,
    proxyBases: [...knowledge.bases.values()].filter((b) => b.isProxy).length,
    results,
    speedupPerCore: round2(now.namesPerCpuSecond / before.namesPerCpuSecond),
    goal: { namesPerCpuSecondAtLeast: 100_000 },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (opts.json) return;
  const rows = [
    ['variant', 'names', 'hits', 'names/s per core (CPU)', 'names/s (wall)', 'peak RSS MB'],
    ...results.map((r) => [r.variant, String(r.names), String(r.hits), String(r.namesPerCpuSecond), String(r.namesPerWallSecond), String(r.peakRssMB)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(`\nknowledge: ${source} (${report.brands} brand sites, ${report.proxyBases} proxy bases)\n`);
  process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')}\n`);
  process.stdout.write(`now / before, per core: ${report.speedupPerCore}x   goal: >= 100000 names/s per core (now ${now.namesPerCpuSecond})\n`);
}

await main();
