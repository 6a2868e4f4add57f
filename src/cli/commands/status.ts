import { fleetSettings } from '../../config/commandSettings.js';
import { maskRedisUrl } from '../../config/settings.js';
import { createCheckQueue, type CheckQueue } from '../../queue/checkQueue.js';
import { checkRedisServer, closeRedis, connectRedis } from '../../store/redisConnection.js';
import { redisKeys } from '../../store/redisKeys.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch status [--json]

Show the fleet's queue (REDIS_URL): jobs waiting, running, delayed, failed and
completed; checks per minute over the last minute and hour (from the workers' BullMQ
metrics); the oldest waiting job; recent failures; candidates known and the match feed.

Options:
  --json      one JSON object
  -h, --help  show this help`;

/** Recent failures shown: enough to spot a pattern, never the whole failed set. */
const RECENT_FAILURES = 5;

async function perMinute(queue: CheckQueue, type: 'completed' | 'failed'): Promise<{ lastMinute: number; lastHourPerMinute: number }> {
  const metrics = await queue.getMetrics(type, 0, 59);
  const points = metrics.data;
  const hour = points.reduce((sum, n) => sum + n, 0);
  return { lastMinute: points[0] ?? 0, lastHourPerMinute: points.length > 0 ? hour / Math.min(60, points.length) : 0 };
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'queue depths, check rates, failures, oldest waiting job',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (positionals.length > 0) throw usageError('status takes no arguments');
    const settings = fleetSettings(io.env);
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
        const [completedRate, failedRate] = [await perMinute(queue, 'completed'), await perMinute(queue, 'failed')];
        const [candidates, feedLength, unreviewed] = await Promise.all([redis.zcard(keys.candidates), redis.xlen(keys.feed), redis.zcard(keys.unreviewed)]);
        const report = {
          redis: maskRedisUrl(settings.redisUrl),
          prefix: settings.keyPrefix,
          persistence: { appendOnly: server.appendOnly, rdb: server.rdbSaves },
          workers,
          jobs: counts,
          checksPerMinute: { completedLastMinute: completedRate.lastMinute, completedLastHour: Number(completedRate.lastHourPerMinute.toFixed(2)), failedLastMinute: failedRate.lastMinute, failedLastHour: Number(failedRate.lastHourPerMinute.toFixed(2)) },
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
        writeLine(io.stdout, `rate       ${report.checksPerMinute.completedLastMinute} checks in the last minute, ${report.checksPerMinute.completedLastHour}/min over the last hour; failures ${report.checksPerMinute.failedLastMinute} last minute`);
        writeLine(io.stdout, `oldest     ${report.oldestWaiting ? `${report.oldestWaiting.domain} waiting ${Math.round(report.oldestWaiting.waitingMs / 1000)} s` : 'nothing waiting'}`);
        writeLine(io.stdout, `candidates ${candidates}; feed ${feedLength} entries, ${unreviewed} unreviewed`);
        for (const f of report.recentFailures) writeLine(io.stdout, `failed     ${f.domain}: ${f.reason} (${f.attempts} attempts)`);
        return ExitCode.ok;
      } finally {
        await queue.close();
      }
    } finally {
      await closeRedis(redis);
    }
  },
};
