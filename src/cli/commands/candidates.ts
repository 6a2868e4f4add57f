import { readBoundedFile } from '../../boundedFile.js';
import { HopwatchError } from '../../errors.js';
import { DEFAULT_BUDGET, rankCandidates } from '../../discovery/generate.js';
import { parseHistory } from '../../discovery/history.js';
import { learnKnowledge } from '../../discovery/knowledge.js';
import { resolveCheck, resolverFor } from '../../discovery/resolveCheck.js';
import type { Candidate, HistoryEntry } from '../../discovery/types.js';
import { parseCommandArgs, parsePositiveInt, splitList, usageError } from '../args.js';
import { ChunkedLines } from '../chunkedLines.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';
import { readKnownHistories } from '../knownHistories.js';

const MAX_BUDGET = 1_000_000;

const usage = `Usage: hopwatch candidates --known FILE [--known FILE]... [--budget N] [--json] [--as-of DATE]
                           [--resolve-check --dns-server HOST:PORT [--concurrency N]]

Propose candidate future domains from domain histories, ranked, one per line.

  --known FILE     a history: lines "DATE DOMAIN [SITE]" (SITE defaults to the file name
                   without extension); one file per flag: repeat it, or give a comma list;
                   redis: reads the sites' known domains the fleet keeps in Redis
                   (REDIS_URL, HOPWATCH_KEY_PREFIX: confirmations and their redirect targets)
  --budget N       at most N candidates (default ${DEFAULT_BUDGET}, max ${MAX_BUDGET.toLocaleString('en')})
  --json           JSON lines: domain, site, source, reason, score
  --as-of DATE     rank as of this date: history lines after it are ignored entirely
                   (default: the latest date in the histories)
  --resolve-check  keep only names that resolve and are not a parent's wildcard answer
  --dns-server     the DNS server for --resolve-check (HOST:PORT)
  --concurrency N  DNS lookups in flight (default 16)

Never prints a domain already in the histories (as of the date). The same input gives
the same output. Exit codes: 0 printed, 2 bad arguments, 3 a history cannot be read or
has a bad line, 70 internal error.`;

/** A history is a few lines per site; far above any real one, far below what would hurt. */
const MAX_HISTORY_BYTES = 64 * 1024 * 1024;

/** Read histories; a file that cannot be read (or is over the cap) is an input error naming it. */
export async function readHistories(paths: readonly string[]): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (const path of paths) {
    const text = (await readBoundedFile(path, MAX_HISTORY_BYTES, { unreadable: 'DISCOVERY_HISTORY_UNREADABLE', tooLarge: 'DISCOVERY_HISTORY_UNREADABLE', notText: 'DISCOVERY_HISTORY_UNREADABLE' })).toString('utf8');
    // one push per entry: spreading 125,000+ arguments overflows the call stack
    for (const entry of parseHistory(text, path)) entries.push(entry);
  }
  return entries;
}

export const candidatesCommand: Command = {
  name: 'candidates',
  summary: 'propose candidate future domains from known domain history',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      known: { type: 'string', multiple: true },
      budget: { type: 'string' },
      json: { type: 'boolean' },
      'as-of': { type: 'string' },
      'resolve-check': { type: 'boolean' },
      'dns-server': { type: 'string' },
      concurrency: { type: 'string' },
    });
    // one file per --known (or a comma list), so the flag can never swallow another argument
    if (positionals.length > 0) throw usageError(`candidates takes no positional argument ("${positionals[0]}"); give each history as --known FILE (repeat the flag, or a comma list)`);
    const files = splitList(values.known);
    if (files.length === 0) throw usageError('--known FILE is required');
    const budget = parsePositiveInt(values.budget, '--budget', DEFAULT_BUDGET, MAX_BUDGET);
    const concurrency = parsePositiveInt(values.concurrency, '--concurrency', 16, 256);
    const asOf = values['as-of'];
    if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf)) {
      throw usageError(`--as-of takes a date YYYY-MM-DD, got "${asOf}"`);
    }
    if (values['resolve-check'] && values['dns-server'] === undefined) throw usageError('--resolve-check needs --dns-server HOST:PORT');
    if (!values['resolve-check'] && values['dns-server'] !== undefined) throw usageError('--dns-server is only used with --resolve-check');

    // as of a date, nothing after it exists: not its domains, proxy bases or TLD moves (the
    // ranking's own asOf only weighted recency; later lines still taught it bases and labels)
    const history = (await readKnownHistories(files, io.env)).filter((entry) => asOf === undefined || entry.date <= asOf);
    if (history.length === 0) throw new HopwatchError('DISCOVERY_EMPTY_HISTORY', `no history lines in ${files.join(', ')}${asOf ? ` on or before ${asOf}` : ''}`);
    const knowledge = learnKnowledge(history, asOf === undefined ? {} : { asOf });
    // reasons are printed only with --json; without it they are neither kept nor formatted
    const ranking = rankCandidates(knowledge, budget, { reasons: values.json === true });
    let candidates: Iterable<Candidate> = ranking.ranked();
    if (values['resolve-check']) {
      const results = await resolveCheck([...candidates], resolverFor(values['dns-server']!), { concurrency });
      const failed = results.filter((r) => r.status === 'error').length;
      const wildcard = results.filter((r) => r.status === 'wildcard').length;
      const live = results.filter((r) => r.status === 'live').map((r) => r.candidate);
      writeLine(io.stderr, `resolve-check: ${live.length} live, ${wildcard} wildcard, ${results.length - live.length - wildcard - failed} absent, ${failed} resolver errors`);
      candidates = live;
    }
    // one at a time into chunked writes: a million candidates are never a million objects at once
    const out = new ChunkedLines(io.stdout);
    for (const c of candidates) {
      if (out.push(values.json ? JSON.stringify({ domain: c.domain, site: c.site, source: c.source, reason: c.reason, score: c.score }) : c.domain)) await out.flush();
    }
    await out.flush();
    return ExitCode.ok;
  },
};
