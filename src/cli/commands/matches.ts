import { fleetSettings } from '../../config/commandSettings.js';
import { matchesCsv } from '../../feed/apiRoutes.js';
import { MAX_PAGE, parseMatchQuery, queryMatches } from '../../review/matchQuery.js';
import { openReview } from '../../review/openReview.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch matches [--state S] [--site S] [--verdict V] [--since T] [--until T] [--q GLOB] [--sort K] [--json|--csv]

List the match feed for legal review, read straight from the fleet's Redis (REDIS_URL,
HOPWATCH_KEY_PREFIX), the same listing as GET /api/matches.

Options:
  --state S    unreviewed, confirmed, rejected or needs-more
  --site S     one blocked site's id
  --verdict V  mirror or likely
  --since T    recorded at or after T (ISO date or ms); --until T: before T
  --q GLOB     domain substring or glob (*.unblock.*)
  --sort K     recorded, -recorded (default), score, -score, domain
  --json       one JSON object per line
  --csv        RFC 4180 CSV with a header row
  -h, --help   show this help`;

export const matchesCommand: Command = {
  name: 'matches',
  summary: 'list the match feed (filters; table, JSON lines or CSV)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      state: { type: 'string' }, site: { type: 'string' }, verdict: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
      q: { type: 'string' }, sort: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' },
    });
    if (positionals.length > 0) throw usageError('matches takes no arguments');
    if (values.json && values.csv) throw usageError('give --json or --csv, not both');
    let query;
    try {
      query = parseMatchQuery({ state: values.state, site: values.site, verdict: values.verdict, since: values.since, until: values.until, q: values.q, sort: values.sort, limit: String(MAX_PAGE) });
    } catch (err) {
      throw usageError(err instanceof Error ? err.message : String(err));
    }
    const opened = await openReview(fleetSettings(io.env));
    try {
      for (const w of opened.warnings) writeLine(io.stderr, `hopwatch matches: warning: ${w}`);
      const all = await opened.service.summaries();
      const page = queryMatches(all, { ...query, limit: Number.MAX_SAFE_INTEGER });
      if (values.json) for (const m of page.items) writeLine(io.stdout, JSON.stringify(m));
      else if (values.csv) io.stdout.write(matchesCsv(page.items));
      else {
        for (const m of page.items) writeLine(io.stdout, [m.id, m.state.padEnd(10), m.verdict.padEnd(7), m.score.toFixed(2), m.site, m.domain, m.recordedAt].join('  '));
        writeLine(io.stderr, `${page.total} match(es); by state ${JSON.stringify(page.counts.byState)}`);
      }
      return ExitCode.ok;
    } finally {
      await opened.close();
    }
  },
};
