/**
 * `npm run bench:review`: what legal review costs on a feed of realistic size, on the shared
 * Redis under a random key prefix (deleted afterwards).
 *
 * 1. Listing: `GET /api/matches` reads the whole feed the first time (later listings read only new
 *    entries) and filters in memory; the baseline is the bare XRANGE walk of the same feed, so
 *    the ratio is the cost of summaries, states and facets.
 * 2. Decisions: appends through the compare-and-append Lua script, sequential and 8 at once
 *    (retries on a moved head included), then `audit verify` of the whole chain.
 * 3. Export: the guard over every confirmed domain and its addresses, rendered as CSV; the
 *    baseline is rendering the same plan without the guard's checks (an empty rule set).
 *
 * Prints a table on stderr and one JSON object on stdout; asserts no time.
 * Sizes: BENCH_REVIEW_ENTRIES (default 20000), BENCH_REVIEW_DECISIONS (default 2000).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ExportGuard } from '../src/review/guard.js';
import { planExport, renderExport } from '../src/review/exports.js';
import { parseMatchQuery } from '../src/review/matchQuery.js';
import { ReviewService } from '../src/review/reviewService.js';
import { CheckStore } from '../src/store/checkStore.js';
import { redisKeys } from '../src/store/redisKeys.js';
import { ReviewStore } from '../src/store/reviewStore.js';
import { matchRecord, testReferenceSet } from '../test/feed/reviewHarness.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ENTRIES = Number(process.env.BENCH_REVIEW_ENTRIES ?? 20_000);
const DECISIONS = Math.min(Number(process.env.BENCH_REVIEW_DECISIONS ?? 2000), ENTRIES);
const SITES = ['harbor', 'lantern', 'quay'];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function main(): Promise<void> {
  const prefix = `hwbench-${randomBytes(4).toString('hex')}`;
  const keys = redisKeys(prefix);
  const redis = new Redis(REDIS_URL);
  try {
    const checks = new CheckStore(redis, keys, { historyPerCandidate: 5, livenessStreamMaxLen: 1000, jobGuardTtlMs: 3_600_000, maxEvidenceBytes: 64 * 1024 });
    const ids: string[] = [];
    // public addresses outside the shipped ranges, and one Cloudflare address in ten
    const addressOf = (i: number) => (i % 10 === 0 ? ['104.16.0.1'] : [`5.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`]);
    for (let i = 0; i < ENTRIES; i += 1) {
      const outcome = await checks.recordCheck(matchRecord({ domain: `bench-${i}.test`, site: SITES[i % SITES.length]!, score: (i % 100) / 100, addresses: addressOf(i) }));
      ids.push(outcome.feedId!);
    }
    const store = new ReviewStore(redis, keys);
    const service = new ReviewService({ store, referenceSet: testReferenceSet(), guard: ExportGuard.load(), fourEyesSites: '', hopwatchVersion: 'bench' });

    const [walked, baselineMs] = await timed(async () => {
      let n = 0;
      for await (const _ of store.feedEntries(Number.MAX_SAFE_INTEGER)) n += 1;
      return n;
    });
    const query = parseMatchQuery({ site: 'harbor', q: '*-1*', sort: '-score', limit: '100' });
    const [page, listMs] = await timed(() => service.listMatches(query));
    // the server keeps summaries between listings and reads only new entries
    const [, warmListMs] = await timed(() => service.listMatches(query));

    const half = Math.floor(DECISIONS / 2);
    const [, seqMs] = await timed(async () => {
      for (let i = 0; i < half; i += 1) await service.decide(ids[i]!, 'confirm', 'bench confirmation', 'alice');
    });
    const [, parMs] = await timed(async () => {
      let next = half;
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = next++; i < DECISIONS; i = next++) await service.decide(ids[i]!, 'confirm', 'bench confirmation', 'bob');
      }));
    });
    const [report, verifyMs] = await timed(() => service.verifyAudit());

    const confirmations = (await Promise.all(SITES.map((s) => store.confirmationDetails(s)))).flat();
    const guard = ExportGuard.load();
    const [guarded, guardMs] = await timed(async () => planExport(confirmations, { guard, fourEyes: () => false }, { site: null, order: null }));
    const none = { checkHost: () => ({ excluded: false, reason: null }), checkAddress: () => ({ excluded: false, reason: null }) } as unknown as ExportGuard;
    const [, plainMs] = await timed(async () => planExport(confirmations, { guard: none, fourEyes: () => false }, { site: null, order: null }));
    const [csv, renderMs] = await timed(async () => renderExport(guarded, 'csv', { generatedAt: new Date().toISOString(), hopwatchVersion: 'bench' }));

    const result = {
      entries: ENTRIES,
      listing: { walkedEntries: walked, baselineXrangeMs: Math.round(baselineMs), listMs: Math.round(listMs), ratio: Number((listMs / baselineMs).toFixed(2)), warmListMs: Math.round(warmListMs), total: page.total },
      decisions: { count: DECISIONS, sequentialPerDecisionMs: Number((seqMs / half).toFixed(3)), concurrent8PerDecisionMs: Number((parMs / (DECISIONS - half)).toFixed(3)), auditVerifyMs: Math.round(verifyMs), chainOk: report.ok, chainEntries: report.entries },
      export: { confirmations: confirmations.length, guardedPlanMs: Math.round(guardMs), unguardedPlanMs: Math.round(plainMs), guardRatio: Number((guardMs / Math.max(plainMs, 0.001)).toFixed(1)), excluded: guarded.excluded.length, csvBytes: csv.body.length, renderMs: Math.round(renderMs) },
      rssMiB: Math.round(process.memoryUsage().rss / 1048576),
    };
    const rows: Array<[string, string]> = [
      ['feed entries', String(ENTRIES)],
      ['XRANGE walk (baseline)', `${result.listing.baselineXrangeMs} ms`],
      ['GET /api/matches listing, first', `${result.listing.listMs} ms (${result.listing.ratio}x the walk)`],
      ['GET /api/matches listing, next', `${result.listing.warmListMs} ms (new entries only)`],
      ['decision, sequential', `${result.decisions.sequentialPerDecisionMs} ms each`],
      ['decision, 8 at once', `${result.decisions.concurrent8PerDecisionMs} ms each`],
      [`audit verify (${report.entries} entries)`, `${result.decisions.auditVerifyMs} ms, ok=${report.ok}`],
      [`export plan, ${confirmations.length} confirmations`, `${result.export.guardedPlanMs} ms guarded vs ${result.export.unguardedPlanMs} ms unguarded (${result.export.guardRatio}x); ${guarded.excluded.length} left out`],
      ['CSV render', `${result.export.renderMs} ms, ${result.export.csvBytes} bytes`],
      ['rss', `${result.rssMiB} MiB`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stderr.write(`${k.padEnd(width)}  ${v}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', '1000');
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:review: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
