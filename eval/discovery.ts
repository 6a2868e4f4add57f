/**
 * Replay evaluation of candidate generation (issue 5).
 *
 *   npm run eval:discovery -- ../shared/domains [--cut YYYY-MM-DD[,YYYY-MM-DD...]] [--only NAME,...] [--json FILE] [--misses]
 *
 * Reads every `*.txt` history in the folder (site = file name), walks it in date order
 * and asks, for each newly listed domain, whether each generator had it among its first
 * N candidates generated from what was listed strictly before that date. Prints a table
 * and the figures as JSON. Dates before the cut are "dev" (tuned on), from it "held-out".
 * The ranks do not depend on the cut, so several cuts (comma-separated) are read off one
 * walk; the first cut is the one the full tables and the JSON are for; `--misses` lists the
 * held-out domains of the earliest cut with their rank.
 * `--only hopwatch` skips the baselines (a faster run while developing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brandsBasesTldsBaseline, dnstwistBaseline, tldSwapBaseline, typoBaseline } from '../src/discovery/baselines.js';
import { generateCandidates } from '../src/discovery/generate.js';
import { parseHistory } from '../src/discovery/history.js';
import { replay, type RankedGenerator } from '../src/discovery/replay.js';
import { HOP_PATTERNS } from '../src/discovery/replayPattern.js';

const DEFAULT_CUT = '2021-11-01';
const BUDGETS = [1_000, 10_000, 100_000];

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { cut: { type: 'string' }, only: { type: 'string' }, json: { type: 'string' }, misses: { type: 'boolean' } },
  allowPositionals: true,
});
const folder = positionals[0] ?? '../shared/domains';
const cutDates = (values.cut ?? DEFAULT_CUT).split(',').map((c) => c.trim()).filter((c) => c !== '');
const cutDate = cutDates[0] ?? DEFAULT_CUT;

const history = readdirSync(folder)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .flatMap((f) => parseHistory(readFileSync(join(folder, f), 'utf8'), f));

const allGenerators: Record<string, RankedGenerator> = {
  hopwatch: (k, budget) => generateCandidates(k, budget).map((c) => c.domain),
  'dnstwist-style': dnstwistBaseline,
  'tld-swap': tldSwapBaseline,
  'typos': typoBaseline,
  'brands×bases×TLDs': brandsBasesTldsBaseline,
};
const only = values.only?.split(',').map((g) => g.trim());
const generators = Object.fromEntries(Object.entries(allGenerators).filter(([name]) => only === undefined || only.includes(name)));

const started = performance.now();
const report = replay(history, generators, BUDGETS, cutDate);
const seconds = (performance.now() - started) / 1000;

const pct = (x: number) => x.toFixed(2);
const lines: string[] = [];
for (const period of ['dev', 'held-out'] as const) {
  const pool = report.targets.filter((t) => (period === 'dev' ? t.date < cutDate : t.date >= cutDate));
  const counts = ['all', ...HOP_PATTERNS].map((p) => `${p} ${p === 'all' ? pool.length : pool.filter((t) => t.pattern === p).length}`).join(', ');
  lines.push(`\n${period === 'dev' ? `dev (before ${cutDate})` : `held-out (from ${cutDate})`}: ${counts}`);
  lines.push(`| generator | budget | all | ${HOP_PATTERNS.join(' | ')} |`);
  lines.push(`|---|---:|---:|${HOP_PATTERNS.map(() => '---:').join('|')}|`);
  for (const generator of Object.keys(generators)) {
    for (const budget of BUDGETS) {
      const cells = ['all', ...HOP_PATTERNS].map((pattern) => {
        const row = report.rows.find((r) => r.generator === generator && r.period === period && r.budget === budget && r.pattern === pattern)!;
        return row.total === 0 ? '–' : `${pct(row.recall)}`;
      });
      lines.push(`| ${generator} | ${budget.toLocaleString('en')} | ${cells.join(' | ')} |`);
    }
  }
}
process.stdout.write(`replay of ${folder}: ${history.length} lines, ${report.steps} dated steps, ${report.targets.length} new domains (${report.skippedAlreadyKnown} www. duplicates of known domains left out), cut ${cutDate}, ${seconds.toFixed(1)} s\n`);
process.stdout.write(`${lines.join('\n')}\n`);
if (cutDates.length > 1) {
  // held-out recall of every generator at every cut, one line each (same walk, same ranks)
  process.stdout.write(`\nheld-out recall by cut (${BUDGETS.map((b) => b.toLocaleString('en')).join(' / ')}; new-tld, affix, proxy-subdomain, proxy-base-hop at 10,000 | 100,000):\n`);
  for (const generator of Object.keys(generators)) {
    for (const cut of cutDates) {
      const pool = report.targets.filter((t) => t.date >= cut);
      const at = (budget: number, pattern?: string) => {
        const p = pattern === undefined ? pool : pool.filter((t) => t.pattern === pattern);
        const found = p.filter((t) => t.rank[generator]! >= 0 && t.rank[generator]! < budget).length;
        return p.length === 0 ? '–' : `${(found / p.length).toFixed(2)}`;
      };
      const patterns = ['new-tld', 'affix', 'proxy-subdomain', 'proxy-base-hop'];
      process.stdout.write(`${generator} from ${cut} (${pool.length}): ${BUDGETS.map((b) => at(b)).join(' / ')}; ${patterns.map((p) => at(10_000, p)).join(' ')} | ${patterns.map((p) => at(100_000, p)).join(' ')}\n`);
    }
  }
}
if (values.misses) {
  const from = [...cutDates].sort()[0] ?? cutDate;
  for (const t of report.targets.filter((t) => t.date >= from)) {
    const r = t.rank.hopwatch!;
    process.stdout.write(`${t.date} ${t.domain} ${t.site} ${t.pattern} ${r < 0 ? 'MISS' : r}\n`);
  }
}
const json = JSON.stringify({ folder, cutDate, budgets: BUDGETS, steps: report.steps, newDomains: report.targets.length, skippedAlreadyKnown: report.skippedAlreadyKnown, seconds: Number(seconds.toFixed(1)), rows: report.rows });
if (values.json) writeFileSync(values.json, `${json}\n`);
process.stdout.write(`\n${json}\n`);
