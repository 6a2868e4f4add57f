import { readFile } from 'node:fs/promises';
import { HopwatchError } from '../../errors.js';
import { DEFAULT_BUDGET, generateCandidates } from '../../discovery/generate.js';
import { parseHistory } from '../../discovery/history.js';
import { learnKnowledge } from '../../discovery/knowledge.js';
import { resolveCheck, resolverFor } from '../../discovery/resolveCheck.js';
import type { HistoryEntry } from '../../discovery/types.js';
import { parseCommandArgs, parsePositiveInt, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';

const MAX_BUDGET = 1_000_000;

const usage = `Usage: hopwatch candidates --known FILE... [--budget N] [--json] [--as-of DATE]
                           [--resolve-check --dns-server HOST:PORT [--concurrency N]]

Propose candidate future domains from domain histories, ranked, one per line.

  --known FILE     a history: lines "DATE DOMAIN [SITE]" (SITE defaults to the file name
                   without extension); repeat the flag or list several files after it
  --budget N       at most N candidates (default ${DEFAULT_BUDGET}, max ${MAX_BUDGET.toLocaleString('en')})
  --json           JSON lines: domain, site, source, reason, score
  --as-of DATE     rank as of this date (default: the latest date in the histories)
  --resolve-check  keep only names that resolve and are not a parent's wildcard answer
  --dns-server     the DNS server for --resolve-check (HOST:PORT)
  --concurrency N  DNS lookups in flight (default 16)

Never prints a domain already in the histories. The same input gives the same output.`;

/** Read histories; a file that cannot be read is an input error naming it. */
export async function readHistories(paths: readonly string[]): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new HopwatchError('DISCOVERY_HISTORY_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
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
    // `--known a.txt b.txt` reads naturally: files after the flag are histories too.
    const files = [...(values.known ?? []), ...positionals];
    if (values.known === undefined || files.length === 0) throw usageError('--known FILE is required');
    const budget = parsePositiveInt(values.budget, '--budget', DEFAULT_BUDGET, MAX_BUDGET);
    const concurrency = parsePositiveInt(values.concurrency, '--concurrency', 16, 256);
    const asOf = values['as-of'];
    if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw usageError(`--as-of takes a date YYYY-MM-DD, got "${asOf}"`);
    if (values['resolve-check'] && values['dns-server'] === undefined) throw usageError('--resolve-check needs --dns-server HOST:PORT');
    if (!values['resolve-check'] && values['dns-server'] !== undefined) throw usageError('--dns-server is only used with --resolve-check');

    const history = await readHistories(files);
    if (history.length === 0) throw new HopwatchError('DISCOVERY_EMPTY_HISTORY', `no history lines in ${files.join(', ')}`);
    const knowledge = learnKnowledge(history, asOf === undefined ? {} : { asOf });
    let candidates = generateCandidates(knowledge, budget);
    if (values['resolve-check']) {
      const results = await resolveCheck(candidates, resolverFor(values['dns-server']!), { concurrency });
      const failed = results.filter((r) => r.status === 'error').length;
      const wildcard = results.filter((r) => r.status === 'wildcard').length;
      candidates = results.filter((r) => r.status === 'live').map((r) => r.candidate);
      writeLine(io.stderr, `resolve-check: ${candidates.length} live, ${wildcard} wildcard, ${results.length - candidates.length - wildcard - failed} absent, ${failed} resolver errors`);
    }
    for (const c of candidates) {
      writeLine(io.stdout, values.json ? JSON.stringify({ domain: c.domain, site: c.site, source: c.source, reason: c.reason, score: c.score }) : c.domain);
    }
    return ExitCode.ok;
  },
};
