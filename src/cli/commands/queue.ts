import { parseCommandArgs, parseNonNegativeInt, parsePositiveInt, usageError } from '../args.js';
import { withFleet } from '../fleetSession.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch queue pause|resume|drain|clean [options]

Operate the fleet's check queue (REDIS_URL, HOPWATCH_KEY_PREFIX):

  pause    workers stop taking new jobs (running checks finish); jobs keep arriving
  resume   workers take jobs again
  drain    remove every waiting job (with --delayed, delayed ones too: retries and
           politeness-parked checks); running jobs and results are untouched
  clean    remove finished jobs kept for inspection: --state completed|failed (default
           both), older than --grace-ms (default 0), at most --limit per state
           (default 10000); results and the feed live in the store and are untouched

Options:
  --delayed        drain: delayed jobs too
  --state STATE    clean: completed or failed
  --grace-ms N     clean: only jobs finished at least N ms ago
  --limit N        clean: at most N jobs per state
  -j, --json       print the outcome as one JSON object
  --config FILE    settings file (same names as the environment; the environment wins)
  -h, --help       show this help

Exit codes: 0 done, 2 bad arguments, 3 Redis unavailable, 70 internal error.`;

const ACTIONS = ['pause', 'resume', 'drain', 'clean'] as const;
type Action = (typeof ACTIONS)[number];

export const queueCommand: Command = {
  name: 'queue',
  summary: 'pause, resume, drain or clean the fleet\'s check queue',
  usage,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (!ACTIONS.includes(action as Action)) throw usageError(action === undefined ? 'name an action: pause, resume, drain or clean' : `unknown action "${action}" (pause, resume, drain, clean)`);
    const { values, positionals } = parseCommandArgs(rest, {
      delayed: { type: 'boolean' },
      state: { type: 'string' },
      'grace-ms': { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', short: 'j' },
      config: { type: 'string' },
    });
    if (positionals.length > 0) throw usageError(`queue ${action} takes no arguments`);
    if (action !== 'drain' && values.delayed) throw usageError('--delayed goes with drain');
    if (action !== 'clean' && (values.state !== undefined || values['grace-ms'] !== undefined || values.limit !== undefined)) throw usageError('--state, --grace-ms and --limit go with clean');
    if (values.state !== undefined && values.state !== 'completed' && values.state !== 'failed') throw usageError(`--state is completed or failed, got "${values.state}"`);
    const graceMs = parseNonNegativeInt(values['grace-ms'], '--grace-ms', 0);
    const limit = parsePositiveInt(values.limit, '--limit', 10_000, 1_000_000);

    return withFleet(io, 'queue', values.config, async ({ queue }) => {
      let outcome: Record<string, unknown>;
      if (action === 'pause') {
        await queue.pause();
        outcome = { action, paused: true };
      } else if (action === 'resume') {
        await queue.resume();
        outcome = { action, paused: false };
      } else if (action === 'drain') {
        const before = await queue.getJobCounts('wait', 'prioritized', 'delayed');
        await queue.drain(values.delayed ?? false);
        const after = await queue.getJobCounts('wait', 'prioritized', 'delayed');
        const removed = Object.keys(before).reduce((sum, k) => sum + Math.max(0, (before[k] ?? 0) - (after[k] ?? 0)), 0);
        outcome = { action, removed, delayedIncluded: values.delayed ?? false };
      } else {
        const states = values.state ? [values.state as 'completed' | 'failed'] : (['completed', 'failed'] as const);
        const removed: Record<string, number> = {};
        for (const state of states) removed[state] = (await queue.clean(graceMs, limit, state)).length;
        outcome = { action, removed };
      }
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed', 'completed');
      const paused = await queue.isPaused();
      if (values.json) writeLine(io.stdout, JSON.stringify({ ...outcome, paused, jobs: counts }));
      else {
        const what = action === 'pause' ? 'paused: workers take no new jobs' : action === 'resume' ? 'resumed: workers take jobs again' : action === 'drain' ? `drained ${String(outcome.removed)} waiting job(s)${values.delayed ? ' (delayed included)' : ''}` : `cleaned ${Object.entries(outcome.removed as Record<string, number>).map(([s, n]) => `${n} ${s}`).join(', ')} job(s)`;
        writeLine(io.stdout, `${what}; queue ${paused ? 'paused' : 'running'}: waiting ${(counts.wait ?? 0) + (counts.prioritized ?? 0)}, running ${counts.active ?? 0}, delayed ${counts.delayed ?? 0}, failed ${counts.failed ?? 0}, completed ${counts.completed ?? 0}`);
      }
      return ExitCode.ok;
    });
  },
};
