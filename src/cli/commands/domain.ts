import { parseDomainInput, showHost } from '../../check/domainInput.js';
import { parseCommandArgs, usageError } from '../args.js';
import { withFleet } from '../fleetSession.js';
import { exitCodeFor, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch domain DOMAIN [-j|--json] [--history N] [--config FILE]

What the fleet knows about one domain (REDIS_URL): its state, last verdict, site,
liveness and check count; whether a check job for it is queued, running or
delayed; its latest checks (history, newest first); and its entries in the match
feed. The domain is read like every other input (IDN as punycode, no trailing dot).

Options:
  --history N      checks of the history shown (default 10, at most 50)
  -j, --json       one JSON object
  --config FILE    settings file (same names as the environment; the environment wins)
  -h, --help       show this help

Exit codes: 1 its last verdict is a match (mirror or likely), 3 nothing is known about
it (or Redis is unavailable), 0 otherwise; 2 bad arguments; 70 internal error.`;

/** Feed entries looked at, newest first, for this domain's matches (the feed is never scanned whole). */
const FEED_SCANNED = 10_000;

export const domainCommand: Command = {
  name: 'domain',
  summary: 'what the fleet knows about one domain: state, history, last check, feed entries',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', short: 'j' }, history: { type: 'string' }, config: { type: 'string' } });
    if (positionals.length !== 1) throw usageError('give exactly one DOMAIN');
    const parsed = parseDomainInput(positionals[0]!);
    if (!parsed.ok) throw usageError(`"${parsed.display}" is not a domain: ${parsed.reason}`);
    const historyCount = values.history === undefined ? 10 : Number(values.history);
    if (!Number.isInteger(historyCount) || historyCount < 1 || historyCount > 50) throw usageError(`--history takes 1..50, got "${values.history}"`);
    const domain = parsed.host;

    return withFleet(io, 'domain', values.config, async ({ queue, store, redis, keys }) => {
      const candidate = await store.candidate(domain);
      const history = await store.history(domain, historyCount);
      const jobId = await queue.getDeduplicationJobId(`check:${domain}`);
      const jobState = jobId ? await queue.getJobState(jobId) : null;
      const feedRows = await redis.xrevrange(keys.feed, '+', '-', 'COUNT', FEED_SCANNED);
      const feed = feedRows
        .map(([id, flat]) => {
          const fields: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
          return { id, fields };
        })
        .filter((e) => e.fields.domain === domain)
        .map((e) => ({ id: e.id, verdict: e.fields.verdict ?? null, site: e.fields.site ?? null, relation: e.fields.relation ?? null, score: Number(e.fields.score ?? 0), sha256: e.fields.sha256 ?? null, checkedAt: e.fields.checkedAt ? new Date(Number(e.fields.checkedAt)).toISOString() : null }));
      const report = {
        domain,
        unicode: parsed.unicode,
        known: candidate !== null,
        candidate: candidate && {
          ...candidate,
          firstSeenAt: candidate.firstSeenAt ? new Date(candidate.firstSeenAt).toISOString() : null,
          lastCheckedAt: candidate.lastCheckedAt ? new Date(candidate.lastCheckedAt).toISOString() : null,
        },
        job: jobId ? { id: jobId, state: jobState } : null,
        history,
        feed,
        feedScanned: Math.min(feedRows.length, FEED_SCANNED),
      };
      if (values.json) writeLine(io.stdout, JSON.stringify(report));
      else {
        const c = report.candidate;
        writeLine(io.stdout, `domain     ${showHost(parsed)}`);
        writeLine(io.stdout, c ? `state      ${c.state}; source ${c.source || '-'}; ${c.checks} check(s); first seen ${c.firstSeenAt ?? '-'}; last checked ${c.lastCheckedAt ?? 'never'}` : 'state      not known to the fleet (never enqueued)');
        if (c?.verdict) writeLine(io.stdout, `last check ${c.verdict.toUpperCase()} ${c.site ?? '-'}; liveness ${c.liveness ?? '-'}${c.errorCode ? `; error ${c.errorCode}` : ''}`);
        writeLine(io.stdout, `job        ${report.job ? `${report.job.id} ${report.job.state}` : 'none queued'}`);
        for (const h of history as Array<Record<string, unknown>>) {
          const at = typeof h.at === 'number' ? new Date(h.at).toISOString() : '-';
          writeLine(io.stdout, `history    ${at} ${String(h.verdict ?? '-').toUpperCase()} ${String(h.site ?? '-')} ${String(h.pageKind ?? '')}${h.error ? ` ${String(h.error)}` : ''}`);
        }
        for (const f of feed) writeLine(io.stdout, `feed       ${f.id} ${String(f.verdict).toUpperCase()} ${f.site ?? '-'} ${f.relation ?? '-'} ${f.score.toFixed(2)} ${f.checkedAt ?? ''}`);
        if (feed.length === 0) writeLine(io.stdout, `feed       no entry (latest ${report.feedScanned} looked at)`);
      }
      if (!candidate) return exitCodeFor({ matched: false, failed: true });
      return exitCodeFor({ matched: candidate.verdict === 'mirror' || candidate.verdict === 'likely', failed: false });
    });
  },
};
