import type { Redis } from 'ioredis';
import { commandSettings } from '../../config/commandSettings.js';
import { maskRedisUrl } from '../../config/settings.js';
import { createCheckQueue } from '../../queue/checkQueue.js';
import { checkRedisServer, closeRedis, connectRedis } from '../../store/redisConnection.js';
import { redisKeys } from '../../store/redisKeys.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch status [-j|--json]

Show the fleet's queue (REDIS_URL): jobs waiting, running, delayed, failed and
completed; domains checked in the last 60 s and the last hour (every result counts, a
dead domain included: NXDOMAIN is a result, not a failure); jobs failed (faults that
outlived their retries) in the same windows; the oldest waiting job; recent failures;
candidates known and the match feed.

Options:
  -j, --json     one JSON object
  --config FILE  settings file (same names as the environment; the environment wins)
  -h, --help  show this help`;

/** Recent failures shown: enough to spot a pattern, never the whole failed set. */
const RECENT_FAILURES = 5;

/** Failed jobs looked at for the last-minute / last-hour failure counts (bounded). */
const FAILURES_SCANNED = 1000;

/**
 * Checks per minute from the store, not from BullMQ's per-minute metrics: those only count a
 * minute once it is over (so 40 s into a run that had finished 30 checks, "0 in the last minute"),
 * and they count jobs, not results. The candidates index is scored by the time of each domain's
 * last check, so a count over the last 60 s / 60 min is exact and cheap.
 */
async function checksSince(redis: Redis, key: string, now: number): Promise<{ lastMinute: number; lastHour: number }> {
  const [lastMinute, lastHour] = await Promise.all([redis.zcount(key, now - 60_000, '+inf'), redis.zcount(key, now - 3_600_000, '+inf')]);
  return { lastMinute, lastHour };
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'queue depths, check rates, failures, oldest waiting job',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', short: 'j' }, config: { type: 'string' } });
    if (positionals.length > 0) throw usageError('status takes no arguments');
    const settings = await commandSettings(io.env, { configFile: values.config, warn: (line) => writeLine(io.stderr, `hopwatch status: ${line}`) });
    const keys = redisKeys(settings.keyPrefix);
    const redis = connectRedis(settings.redisUrl, { maxRetriesPerRequest: 3 });
    try {
      const server = await checkRedisServer(redis, settings.redisUrl);
      const queue = createCheckQueue(redis, keys, settings);
      try {
        const now = Date.now();
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed', 'completed');
        const [oldest] = await queue.getJobs(['wait', 'prioritized'], 0, 0, true);
        const failed = await queue.getFailed(0, RECENT_FAILURES - 1);
        const workers = await queue.getWorkersCount();
        const checked = await checksSince(redis, keys.candidates, now);
        const failedFinished = (await queue.getFailed(0, FAILURES_SCANNED - 1)).map((job) => job.finishedOn ?? 0);
        const failedLastMinute = failedFinished.filter((t) => t >= now - 60_000).length;
        const failedLastHour = failedFinished.filter((t) => t >= now - 3_600_000).length;
        const [candidates, feedLength, unreviewed] = await Promise.all([redis.zcard(keys.candidates), redis.xlen(keys.feed), redis.zcard(keys.unreviewed)]);
        const report = {
          redis: maskRedisUrl(settings.redisUrl),
          prefix: settings.keyPrefix,
          persistence: { appendOnly: server.appendOnly, rdb: server.rdbSaves },
          workers,
          jobs: counts,
          // domains checked (any result, a dead domain included) and jobs failed (faults that
          // outlived their retries), in the last 60 s and the last hour
          checks: { lastMinute: checked.lastMinute, lastHour: checked.lastHour, perMinuteLastHour: Number((checked.lastHour / 60).toFixed(2)) },
          failures: { lastMinute: failedLastMinute, lastHour: failedLastHour },
          oldestWaiting: oldest ? { id: oldest.id, domain: (oldest.data as { domain?: string }).domain ?? null, waitingMs: now - oldest.timestamp } : null,
          recentFailures: failed.map((job) => ({ id: job.id, domain: (job.data as { domain?: string }).domain ?? null, reason: (job.failedReason ?? '').slice(0, 300), attempts: job.attemptsMade })),
          candidates,
          feed: { entries: feedLength, unreviewed },
        };
        if (values.json) {
          writeLine(io.stdout, JSON.stringify(report));
          return ExitCode.ok;
        }
        writeLine(io.stdout, `redis      ${report.redis} (prefix ${report.prefix}; appendonly ${server.appendOnly ? 'yes' : 'no'}); ${workers} worker connection(s)`);
        writeLine(io.stdout, `jobs       waiting ${counts.wait ?? 0}  running ${counts.active ?? 0}  delayed ${counts.delayed ?? 0}  prioritized ${counts.prioritized ?? 0}  failed ${counts.failed ?? 0}  completed ${counts.completed ?? 0}`);
        writeLine(io.stdout, `checks     ${report.checks.lastMinute} domains checked in the last 60 s, ${report.checks.lastHour} in the last hour (${report.checks.perMinuteLastHour}/min); failed jobs ${report.failures.lastMinute} in the last 60 s, ${report.failures.lastHour} in the last hour`);
        writeLine(io.stdout, `oldest     ${report.oldestWaiting ? `${report.oldestWaiting.domain} waiting ${Math.round(report.oldestWaiting.waitingMs / 1000)} s` : 'nothing waiting'}`);
        writeLine(io.stdout, `candidates ${candidates}; feed ${feedLength} entries, ${unreviewed} unreviewed`);
        for (const f of report.recentFailures) writeLine(io.stdout, `failed     ${f.domain}: ${f.reason.replace(/\s*\(after \d+ attempts\)$/, '')} (${f.attempts} attempt${f.attempts === 1 ? '' : 's'})`);
        return ExitCode.ok;
      } finally {
        await queue.close();
      }
    } finally {
      await closeRedis(redis);
    }
  },
};
