/**
 * SimhashIndex against a linear scan over the same fingerprints.
 *
 *   npm run bench:index [-- --size 1000000 --queries 1000 --max-distance 3 --blocks 4 --rounds 5
 *                          --lookups-per-round 50000 --seed 1 --json]
 *
 * Reference fingerprints are random 64-bit values from a seeded PRNG (the same every run). Half the
 * queries are stored hashes with 0..maxDistance random bit flips (each must be found), half are
 * fresh random hashes (almost never within reach). Reports lookups per second for the index
 * (median of several rounds cycling through the queries, after a warm-up pass) and for the linear scan (one pass over every query:
 * it is what checks the index's answers), their ratio, whether every answer agrees, and the memory
 * the index adds (heap + array buffers, after a forced GC). Prints figures; never asserts a time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { SimhashIndex } from '../src/match/simhashIndex.js';
import { parseBenchArgs } from './benchArgs.js';

interface Options {
  size: number;
  queries: number;
  maxDistance: number;
  blocks: number | undefined;
  rounds: number;
  /** index lookups per timed round (the query list is cycled): long enough to time on a busy machine */
  lookupsPerRound: number;
  seed: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  return parseBenchArgs<Options>(
    argv,
    { size: 1_000_000, queries: 1000, maxDistance: 3, blocks: undefined, rounds: 5, lookupsPerRound: 50_000, seed: 1, json: false },
    {
      '--size': { key: 'size' },
      '--queries': { key: 'queries' },
      '--max-distance': { key: 'maxDistance' },
      '--blocks': { key: 'blocks' },
      '--rounds': { key: 'rounds', min: 1 },
      '--seed': { key: 'seed' },
      '--lookups-per-round': { key: 'lookupsPerRound', min: 1 },
    },
  );
}

/** mulberry32: small, fast, seeded; good enough to spread bits for a benchmark. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A collectable-garbage hook even without --expose-gc (the flag can be set at run time). */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * The linear scan a user would write: one pass over the arrays, the high half first and the low
 * half only when the high half is already within reach. Results sorted like the index's.
 */
function linearScan(hiArr: Uint32Array, loArr: Uint32Array, qHi: number, qLo: number, k: number): Array<{ id: number; distance: number }> {
  const out: Array<{ id: number; distance: number }> = [];
  const n = hiArr.length;
  for (let i = 0; i < n; i++) {
    const dHi = popcount32((hiArr[i]! ^ qHi) >>> 0);
    if (dHi > k) continue;
    const d = dHi + popcount32((loArr[i]! ^ qLo) >>> 0);
    if (d <= k) out.push({ id: i, distance: d });
  }
  out.sort((a, b) => a.distance - b.distance || a.id - b.id);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function memoryNow(): { heapUsed: number; arrayBuffers: number } {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

const MB = 1024 * 1024;

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const gc = gcFunction();
  const random = mulberry32(opts.seed);
  const k = opts.maxDistance;

  // The reference fingerprints, shared by the index (copied in by add) and the linear scan.
  const hiArr = new Uint32Array(opts.size);
  const loArr = new Uint32Array(opts.size);
  for (let i = 0; i < opts.size; i++) {
    hiArr[i] = random();
    loArr[i] = random();
  }

  const queries: Array<{ hi: number; lo: number; kind: 'near' | 'random' }> = [];
  for (let q = 0; q < opts.queries; q++) {
    if (q % 2 === 0 && opts.size > 0) {
      const id = random() % opts.size;
      let hi = hiArr[id]!;
      let lo = loArr[id]!;
      const flips = random() % (k + 1);
      const used = new Set<number>();
      while (used.size < flips) used.add(random() % 64);
      for (const bit of used) {
        if (bit < 32) hi = (hi ^ (1 << bit)) >>> 0;
        else lo = (lo ^ (1 << (bit - 32))) >>> 0;
      }
      queries.push({ hi, lo, kind: 'near' });
    } else {
      queries.push({ hi: random(), lo: random(), kind: 'random' });
    }
  }

  gc();
  const before = memoryNow();
  const buildStart = performance.now();
  const index = new SimhashIndex({ maxDistance: k, ...(opts.blocks === undefined ? {} : { blocks: opts.blocks }) });
  for (let i = 0; i < opts.size; i++) index.add(i, hiArr[i]!, loArr[i]!);
  index.query(0, 0); // the tables are built on first query: count that as build time
  const buildMs = performance.now() - buildStart;
  gc();
  const after = memoryNow();
  const heapDeltaBytes = after.heapUsed - before.heapUsed;
  const arrayBuffersDeltaBytes = after.arrayBuffers - before.arrayBuffers;

  // Index lookups: one warm-up pass, then `rounds` timed rounds of `lookupsPerRound` lookups each.
  const indexResults = queries.map((q) => index.query(q.hi, q.lo));
  const roundMs: number[] = [];
  let sink = 0;
  const perRound = queries.length === 0 ? 0 : opts.lookupsPerRound;
  for (let r = 0; r < opts.rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) {
      const q = queries[i % queries.length]!;
      sink += index.query(q.hi, q.lo).length;
    }
    roundMs.push(performance.now() - t0);
  }
  const indexMs = median(roundMs);

  // Linear scan: one pass (it is ~1000x slower), also the ground truth for correctness.
  for (let w = 0; w < Math.min(3, queries.length); w++) sink += linearScan(hiArr, loArr, queries[w]!.hi, queries[w]!.lo, k).length;
  let mismatches = 0;
  let nearFound = 0;
  let resultsTotal = 0;
  const t0 = performance.now();
  const linearResults = queries.map((q) => linearScan(hiArr, loArr, q.hi, q.lo, k));
  const linearMs = performance.now() - t0;
  queries.forEach((q, i) => {
    const a = indexResults[i]!;
    const b = linearResults[i]!;
    resultsTotal += b.length;
    if (q.kind === 'near' && b.length > 0) nearFound++;
    const same = a.length === b.length && a.every((x, j) => x.id === b[j]!.id && x.distance === b[j]!.distance);
    if (!same) mismatches++;
  });

  const indexLookupsPerSecond = perRound / (indexMs / 1000);
  const linearLookupsPerSecond = queries.length / (linearMs / 1000);
  const indexMemoryBytes = heapDeltaBytes + arrayBuffersDeltaBytes;
  const report = {
    benchmark: 'simhashIndex',
    node: process.version,
    size: opts.size,
    queries: queries.length,
    nearQueries: queries.filter((q) => q.kind === 'near').length,
    maxDistance: k,
    blocks: index.blocks,
    seed: opts.seed,
    rounds: opts.rounds,
    lookupsPerRound: perRound,
    buildMs: round(buildMs),
    index: { medianRoundMs: round(indexMs), lookupsPerSecond: Math.round(indexLookupsPerSecond), roundMs: roundMs.map(round) },
    linear: { totalMs: round(linearMs), lookupsPerSecond: round(linearLookupsPerSecond) },
    speedRatio: round(indexLookupsPerSecond / linearLookupsPerSecond),
    correctness: { queriesChecked: queries.length, mismatches, nearQueriesWithAResult: nearFound, resultsTotal },
    memory: {
      heapDeltaMB: round(heapDeltaBytes / MB),
      arrayBuffersDeltaMB: round(arrayBuffersDeltaBytes / MB),
      indexMB: round(indexMemoryBytes / MB),
      indexTypedArraysMB: round(index.byteSize / MB),
      rssMB: round(process.memoryUsage().rss / MB),
    },
    targets: { speedRatioAtLeast: 1000, indexMemoryMBUnder: 256 },
  };
  if (sink === -1) console.error(sink); // keep the timed work observable

  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify(report)}\n\n`);
  const rows: Array<[string, string]> = [
    ['reference fingerprints', report.size.toLocaleString('en-US')],
    ['queries (near / random)', `${report.queries} (${report.nearQueries} / ${report.queries - report.nearQueries})`],
    ['max distance / blocks / tables', `${k} / ${index.blocks} / C(${index.blocks},${index.blocks - k})`],
    ['index build', `${report.buildMs} ms`],
    ['index lookups/s (median of rounds)', `${report.index.lookupsPerSecond.toLocaleString('en-US')} (${perRound} lookups per round)`],
    ['linear scan lookups/s', String(report.linear.lookupsPerSecond)],
    ['speed ratio index / linear', `${report.speedRatio}x (target >= 1000x)`],
    ['answers equal to linear scan', `${queries.length - mismatches}/${queries.length}${mismatches ? '  MISMATCH' : ''}`],
    ['index memory (heap + arrayBuffers delta)', `${report.memory.indexMB} MB (target < 256 MB)`],
    ['  of which typed arrays (index.byteSize)', `${report.memory.indexTypedArraysMB} MB`],
  ];
  const width = Math.max(...rows.map(([a]) => a.length));
  for (const [a, b] of rows) process.stdout.write(`${a.padEnd(width)}  ${b}\n`);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main();
