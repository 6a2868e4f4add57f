/**
 * `npm run bench:queue`: the queue's cost and its guarantees, end to end, on the many-hosts test
 * world (loopback; nothing leaves the machine).
 *
 * 1. Throughput: the same N world domains checked by `scan` in-process, then through BullMQ by 1
 *    and by 2 `hopwatch worker` processes (started first; timed from the enqueue to the last
 *    job). The ratio scan / queue is the queue's overhead.
 * 2. Fleet check: 2 workers and one enqueue of 5,000 distinct world domains with repeats: exactly
 *    one result per distinct domain (and per redirect target found on the way), every verdict as
 *    the world says, and no host contacted faster than the politeness delay (request times as the
 *    world's servers saw them).
 *
 * Prints a table on stderr and one JSON object on stdout; asserts no time. Needs Redis
 * (REDIS_URL, default 127.0.0.1:6379); uses random key prefixes and deletes them afterwards.
 * Sizes: BENCH_DOMAINS (default 1000), BENCH_FLEET_DOMAINS (default 5000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { scanDomains, type ScanTarget } from '../src/check/scanDomains.js';
import { loadSettings, type Settings } from '../src/config/settings.js';
import { writeReferenceSet } from '../src/match/referenceSet.js';
import { createCheckQueue, enqueueDomains } from '../src/queue/checkQueue.js';
import { CheckStore } from '../src/store/checkStore.js';
import { checkRedisServer, closeRedis, connectRedis } from '../src/store/redisConnection.js';
import { redisKeys } from '../src/store/redisKeys.js';
import { MANY_FAMILIES, startManyHosts, type ManyFamily, type ManyHostsWorld } from '../test/world/manyHosts.js';
import { buildWorldReferenceIndex, buildWorldReferenceSet } from '../test/world/worldReferences.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const THROUGHPUT_DOMAINS = Number(process.env.BENCH_DOMAINS ?? 1000);
const FLEET_DOMAINS = Number(process.env.BENCH_FLEET_DOMAINS ?? 5000);
const CONCURRENCY = 8;
const POLITENESS_MS = 1000;
const CLI = path.join(import.meta.dirname, '..', 'test', 'queue', 'cliProcess.ts');
/** the family mix of the world domains (moved hosts redirect to a mirror: new candidates) */
const MIX: Array<[ManyFamily, number]> = [['mirror', 0.4], ['plain', 0.3], ['parked', 0.15], ['gone', 0.1], ['moved', 0.05]];

function worldDomains(world: ManyHostsWorld, n: number, tag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let r = (i * 0.6180339887) % 1;
    const family = MIX.find(([, share]) => (r -= share) < 0)?.[0] ?? 'mirror';
    out.push(world.domain(family, `${tag}${i}`));
  }
  return out;
}

function benchSettings(): Settings {
  return loadSettings({}, {
    redisUrl: REDIS_URL, keyPrefix: `hwbench-${randomBytes(4).toString('hex')}`, workerConcurrency: CONCURRENCY,
    politenessDelayMs: POLITENESS_MS, rateLimitMax: 100_000, dedupeWindowMs: 3_600_000, recheckIntervalMs: 0, keepCompletedJobs: 100,
  });
}

async function spawnWorkers(count: number, settings: Settings, world: ManyHostsWorld, refs: string): Promise<ChildProcess[]> {
  const env = {
    ...process.env, REDIS_URL: settings.redisUrl, HOPWATCH_KEY_PREFIX: settings.keyPrefix, HOPWATCH_WORKER_CONCURRENCY: String(CONCURRENCY),
    HOPWATCH_POLITENESS_DELAY_MS: String(POLITENESS_MS), HOPWATCH_RATE_LIMIT_MAX: '100000', HOPWATCH_DEDUPE_WINDOW_MS: '3600000',
    HOPWATCH_RECHECK_INTERVAL_MS: '0', HOPWATCH_KEEP_COMPLETED_JOBS: '100',
    // the fleet check's 250 redirect targets all come from checks that matched no site, which
    // share one fan-out budget (200 an hour by default, against hostile domains that redirect
    // to hosts they choose): lifted here, or 50 of them are dropped by design
    HOPWATCH_FANOUT_PER_SITE_HOUR: '100000',
  };
  return Promise.all(Array.from({ length: count }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--refs', refs, '--max-probes', '0', '--timeout-ms', '10000', ...world.cliFlags()], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (c: Buffer) => {
        if (stderr.length < 100_000) stderr += c.toString();
        if (stderr.includes('"worker started"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${stderr.slice(0, 1000)}`)));
    });
    return child;
  }));
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  })));
}

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', '2000');
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

interface QueueRun {
  seconds: number;
  checksPerSecond: number;
  results: Map<string, { verdict: string; checks: number; errorCode: string }>;
  runStartedAt: number;
}

/** Enqueue `inputs` once, wait until the queue is empty, read every candidate's result. */
async function runThroughQueue(workers: number, inputs: string[], world: ManyHostsWorld, refs: string): Promise<QueueRun> {
  const settings = benchSettings();
  const children = await spawnWorkers(workers, settings, world, refs);
  const redis = connectRedis(settings.redisUrl);
  const keys = redisKeys(settings.keyPrefix);
  const queue = createCheckQueue(redis, keys, settings);
  const store = new CheckStore(redis, keys);
  try {
    const runStartedAt = Date.now();
    const started = performance.now();
    await enqueueDomains(queue, store, settings, inputs, 'manual');
    for (let idle = 0; idle < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      idle = Object.values(c).every((n) => n === 0) ? idle + 1 : 0;
    }
    const seconds = (performance.now() - started) / 1000;
    const domains = await redis.zrange(keys.candidates, '0', '-1');
    const results = new Map<string, { verdict: string; checks: number; errorCode: string }>();
    for (let i = 0; i < domains.length; i += 1000) {
      const batch = redis.pipeline();
      for (const d of domains.slice(i, i + 1000)) batch.hmget(keys.candidate(d), 'verdict', 'checks', 'errorCode');
      const replies = (await batch.exec()) ?? [];
      replies.forEach(([, value], j) => {
        const [verdict, checks, errorCode] = value as Array<string | null>;
        results.set(domains[i + j]!, { verdict: verdict ?? '', checks: Number(checks ?? 0), errorCode: errorCode ?? '' });
      });
    }
    return { seconds, checksPerSecond: results.size / seconds, results, runStartedAt };
  } finally {
    await stopWorkers(children);
    await queue.close();
    await dropPrefix(redis, settings.keyPrefix);
    await closeRedis(redis);
  }
}

async function runScan(inputs: string[], world: ManyHostsWorld): Promise<{ seconds: number; checksPerSecond: number }> {
  const index = buildWorldReferenceIndex();
  async function* targets(): AsyncGenerator<ScanTarget> {
    for (const [i, target] of inputs.entries()) yield { line: i + 1, target };
  }
  const started = performance.now();
  let n = 0;
  await scanDomains(targets(), index, { domainCheck: { crawler: world.crawlerOptions({ totalTimeoutMs: 10_000 }), maxProbePaths: 0 }, concurrency: CONCURRENCY, perHostDelayMs: POLITENESS_MS }, () => {
    n++;
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, checksPerSecond: n / seconds };
}

function minHostGapMs(world: ManyHostsWorld, since: number): { hosts: number; hostsContactedTwice: number; minGapMs: number | null; requests: number } {
  let min: number | null = null;
  let requests = 0;
  let hosts = 0;
  let twice = 0;
  for (const times of world.requestTimes().values()) {
    const list = times.filter((t) => t >= since).sort((a, b) => a - b);
    if (list.length === 0) continue;
    hosts++;
    requests += list.length;
    if (list.length > 1) twice++;
    for (let i = 1; i < list.length; i++) min = min === null ? list[i]! - list[i - 1]! : Math.min(min, list[i]! - list[i - 1]!);
  }
  return { hosts, hostsContactedTwice: twice, minGapMs: min, requests };
}

async function main(): Promise<void> {
  const probe = connectRedis(REDIS_URL);
  const server = await checkRedisServer(probe, REDIS_URL);
  await closeRedis(probe);
  const world = await startManyHosts();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-bench-queue-'));
  const refs = path.join(dir, 'refs.json');
  await writeReferenceSet(refs, buildWorldReferenceSet());
  try {
    // --- throughput: one domain list per run (fresh hosts, so no run is slowed by another's politeness)
    const scan = await runScan(worldDomains(world, THROUGHPUT_DOMAINS, 's'), world);
    const one = await runThroughQueue(1, worldDomains(world, THROUGHPUT_DOMAINS, 'a'), world, refs);
    const two = await runThroughQueue(2, worldDomains(world, THROUGHPUT_DOMAINS, 'b'), world, refs);

    // --- the fleet check: 5,000 distinct domains, a third of them repeated (other spellings too)
    const distinct = worldDomains(world, FLEET_DOMAINS, 'f');
    const repeats = distinct.filter((_, i) => i % 3 === 0).map((d, i) => (i % 2 === 0 ? d.toUpperCase() : `https://${d}/again`));
    const inputs = [...distinct, ...repeats].sort((a, b) => (a.length * 31 + b.charCodeAt(0)) % 7 - (b.length * 31 + a.charCodeAt(0)) % 7);
    const fleet = await runThroughQueue(2, inputs, world, refs);
    const redirectTargets = distinct.filter((d) => world.familyOf(d) === 'moved').map((d) => d.replace('.moved.', '.mirror.'));
    const expectedDomains = new Set([...distinct, ...redirectTargets]);
    const wrong: Array<{ domain: string; got: string; want: string }> = [];
    let notOnce = 0;
    for (const domain of expectedDomains) {
      const got = fleet.results.get(domain);
      const want = world.expected(domain);
      if (!got || got.checks !== 1) notOnce++;
      if (!got || !want || got.verdict !== want.verdict || (want.errorCode !== null && got.errorCode !== want.errorCode)) {
        if (wrong.length < 20) wrong.push({ domain, got: got ? `${got.verdict}/${got.errorCode}` : 'none', want: want ? `${want.verdict}/${want.errorCode ?? ''}` : '?' });
      }
    }
    const unexpected = [...fleet.results.keys()].filter((d) => !expectedDomains.has(d)).length;
    const politeness = minHostGapMs(world, fleet.runStartedAt);

    const report = {
      machine: { cpus: os.cpus().length, node: process.version, redisAppendOnly: server.appendOnly },
      settings: { concurrencyPerProcess: CONCURRENCY, politenessDelayMs: POLITENESS_MS, maxProbePaths: 0, familyMix: Object.fromEntries(MIX) },
      throughput: {
        domains: THROUGHPUT_DOMAINS,
        scan: { seconds: round(scan.seconds), checksPerSecond: round(scan.checksPerSecond) },
        queue1Worker: { seconds: round(one.seconds), checksPerSecond: round(one.checksPerSecond) },
        queue2Workers: { seconds: round(two.seconds), checksPerSecond: round(two.checksPerSecond) },
        overheadRatio1Worker: round(scan.checksPerSecond / one.checksPerSecond),
        overheadRatio2Workers: round(scan.checksPerSecond / two.checksPerSecond),
      },
      fleet: {
        lines: inputs.length,
        distinctDomains: distinct.length,
        redirectTargets: redirectTargets.length,
        results: fleet.results.size,
        notExactlyOnce: notOnce,
        unexpectedResults: unexpected,
        wrongVerdicts: wrong.length,
        wrongExamples: wrong,
        seconds: round(fleet.seconds),
        checksPerSecond: round(fleet.checksPerSecond),
        politeness: { ...politeness, delayMs: POLITENESS_MS, respected: politeness.minGapMs === null || politeness.minGapMs >= POLITENESS_MS },
        ok: notOnce === 0 && wrong.length === 0 && unexpected === 0 && (politeness.minGapMs === null || politeness.minGapMs >= POLITENESS_MS),
      },
      families: Object.keys(MANY_FAMILIES).length,
    };
    const t = report.throughput;
    const rows = [
      ['run', 'domains', 'seconds', 'checks/s', 'scan ÷ this'],
      ['scan (in-process)', String(t.domains), String(t.scan.seconds), String(t.scan.checksPerSecond), '1'],
      ['queue, 1 worker', String(t.domains), String(t.queue1Worker.seconds), String(t.queue1Worker.checksPerSecond), String(t.overheadRatio1Worker)],
      ['queue, 2 workers', String(t.domains), String(t.queue2Workers.seconds), String(t.queue2Workers.checksPerSecond), String(t.overheadRatio2Workers)],
      ['fleet check, 2 workers', String(inputs.length), String(report.fleet.seconds), String(report.fleet.checksPerSecond), ''],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const r of rows) process.stderr.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
    const f = report.fleet;
    process.stderr.write(
      `fleet: ${f.lines} lines, ${f.distinctDomains} distinct + ${f.redirectTargets} redirect targets → ${f.results} results; ` +
        `not exactly once ${f.notExactlyOnce}, wrong verdicts ${f.wrongVerdicts}, unexpected ${f.unexpectedResults}; ` +
        `smallest gap between two requests to one host ${f.politeness.minGapMs ?? 'n/a'} ms (delay ${POLITENESS_MS}, ${f.politeness.hostsContactedTwice} hosts contacted twice) → ${f.ok ? 'OK' : 'FAILED'}\n`,
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (!f.ok) process.exitCode = 1;
  } finally {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

await main();
