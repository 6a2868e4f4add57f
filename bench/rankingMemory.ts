/**
 * What the candidate ranking holds at a large budget, and what the structures it replaced
 * would hold for the same candidates.
 *
 *   npm run bench:ranking-memory [-- HISTORY_DIR] [--budget 1000000] [--json]
 *
 * Histories: the `*.txt` files in HISTORY_DIR (default ../shared/domains), or the test
 * fixture's made-up histories when that is absent. Each figure is a difference of
 * `process.memoryUsage()` after a forced GC (hence `--expose-gc` in the npm script), from the
 * learned knowledge as the baseline:
 *   - the ranking held, without and with reasons: JS heap and array buffers (typed arrays);
 *   - a `Map` from each held domain to its slot, as the ranking kept before `DomainSlots`;
 *   - every held reason as a string, as the ranking kept before reasons were formats and parts.
 * Prints figures; never fails on a size.
 */
import { resolve } from 'node:path';
import { rankCandidates } from '../src/discovery/generate.js';
import type { DiscoveryKnowledge } from '../src/discovery/knowledge.js';
import { parseBenchArgs } from './benchArgs.js';
import { loadKnowledge } from './historyKnowledge.js';

interface Options {
  histories: string;
  budget: number;
  json: boolean;
}

interface Usage {
  heapMB: number;
  arrayBuffersMB: number;
}

interface Mark {
  heap: number;
  arrayBuffers: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Memory after a full GC; array buffers are freed by a task after it, hence the turn and the second GC. */
async function mark(): Promise<Mark> {
  collect!();
  await new Promise((done) => setImmediate(done));
  collect!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

function between(from: Mark, to: Mark): Usage {
  const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  return { heapMB: mb(to.heap - from.heap), arrayBuffersMB: mb(to.arrayBuffers - from.arrayBuffers) };
}

/*
 * Each measure is its own function holding what it measures in its own scope: once it
 * returns, nothing it made is reachable (a long-lived frame's stale registers could keep
 * a dropped array alive).
 */

async function rankingHeld(knowledge: DiscoveryKnowledge, budget: number, reasons: boolean): Promise<Usage> {
  const before = await mark();
  const ranking = rankCandidates(knowledge, budget, { reasons });
  const after = await mark();
  if (ranking.wants(Number.MIN_VALUE) === undefined) throw new Error('unreachable'); // keeps it live until here
  return between(before, after);
}

/** The former `Map` from each held domain to its slot (the domain strings are the ranking's, not counted). */
async function domainMapHeld(knowledge: DiscoveryKnowledge, budget: number): Promise<{ held: number; size: Usage }> {
  const domains: string[] = [];
  for (const c of rankCandidates(knowledge, budget, { reasons: false }).ranked()) domains.push(c.domain);
  const before = await mark();
  const byDomain = new Map<string, number>();
  domains.forEach((domain, slot) => byDomain.set(domain, slot));
  const after = await mark();
  return { held: byDomain.size, size: between(before, after) };
}

/**
 * Every held reason as a string in a slot array, as the former ranking kept them (the formats
 * build the same template literals its closures did; those also joined a list per reason).
 */
async function reasonStringsHeld(knowledge: DiscoveryKnowledge, budget: number): Promise<Usage> {
  const ranking = rankCandidates(knowledge, budget, { reasons: true });
  const before = await mark();
  const reasons: string[] = [];
  for (const c of ranking.ranked()) reasons.push(c.reason);
  const after = await mark();
  // both live until here: the ranking's own memory is not to be counted as freed
  if (reasons.length < 0 || ranking.wants(Number.MIN_VALUE) === undefined) throw new Error('unreachable');
  return between(before, after);
}

async function main(): Promise<void> {
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:ranking-memory)');
  const opts = parseBenchArgs<Options>(process.argv.slice(2), { histories: resolve('../shared/domains'), budget: 1_000_000, json: false }, { '--budget': { key: 'budget', min: 1 } }, 'histories');
  const { knowledge, source } = await loadKnowledge(opts.histories);
  const rankingPlain = await rankingHeld(knowledge, opts.budget, false);
  const rankingReasons = await rankingHeld(knowledge, opts.budget, true);
  const { held, size: domainMap } = await domainMapHeld(knowledge, opts.budget);
  const reasonStrings = await reasonStringsHeld(knowledge, opts.budget);

  const report = {
    histories: source,
    budget: opts.budget,
    held,
    rankingWithoutReasons: rankingPlain,
    rankingWithReasons: rankingReasons,
    domainMapBefore: domainMap,
    reasonStringsBefore: reasonStrings,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const rows = [
    ['held', 'JS heap MB', 'array buffers MB'],
    ['ranking, without reasons', String(rankingPlain.heapMB), String(rankingPlain.arrayBuffersMB)],
    ['ranking, with reasons', String(rankingReasons.heapMB), String(rankingReasons.arrayBuffersMB)],
    ['before: Map domain → slot', String(domainMap.heapMB), String(domainMap.arrayBuffersMB)],
    ['before: reasons as strings', String(reasonStrings.heapMB), String(reasonStrings.arrayBuffersMB)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(`histories: ${source}; budget ${opts.budget}, ${held} held\n`);
  process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')}\n`);
}

await main();
