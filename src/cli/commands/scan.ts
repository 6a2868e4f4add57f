import { createReadStream } from 'node:fs';
import type { DomainCheckResult } from '../../check/checkDomain.js';
import { DOMAIN_CHECK_FLAGS, DOMAIN_CHECK_FLAGS_HELP, parseDomainCheckFlags } from '../../check/domainCheckOptions.js';
import { createPagePool } from '../../check/pagePool.js';
import { loadReferenceIndex } from '../../check/referenceSource.js';
import { pagePoolSettings } from '../../config/commandSettings.js';
import { readTargets, scanDomains, SCAN_DEFAULTS, type ScanItem, type ScanSummary } from '../../check/scanDomains.js';
import { HopwatchError } from '../../errors.js';
import { parseCommandArgs, parsePositiveInt, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';
import { resultJson } from '../resultFormat.js';

const usage = `Usage: hopwatch scan [FILE|-] [--refs PATH] [--json | --csv] [--concurrency N]
                    [--per-host-delay-ms N] [live options]

Check many domains (or URLs) in one process, without Redis: one per line of FILE,
or of stdin with - or no FILE (first field of each line; blank lines and # comments
skipped). Results are printed as each check completes (not in input order): a table,
JSON lines (--json: the same fields as check --json plus the fetch record summary),
or CSV (--csv). A summary follows (on stderr with --json / --csv). A progress line is
shown on stderr when it is a terminal.

Options:
  --refs PATH            a reference-set file (default: the bundled seeds/)
  --json                 one JSON object per line
  --csv                  CSV with a header row
  --concurrency N        checks at once (default ${SCAN_DEFAULTS.concurrency}, at most 256)
  --per-host-delay-ms N  least time between two checks of one host (default ${SCAN_DEFAULTS.perHostDelayMs})
  --no-progress          never show the progress line
  -h, --help             show this help
${DOMAIN_CHECK_FLAGS_HELP}

Exit codes: 0 nothing matched, 1 at least one mirror or likely match,
2 bad arguments, 3 the input could not be read or held lines that are not domains.`;

const options = {
  refs: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  concurrency: { type: 'string' },
  'per-host-delay-ms': { type: 'string' },
  'no-progress': { type: 'boolean' },
  ...DOMAIN_CHECK_FLAGS,
} as const;

type OutputFormat = 'table' | 'json' | 'csv';

const CSV_COLUMNS = ['line', 'input', 'domain', 'verdict', 'site', 'relation', 'score', 'page_kind', 'status', 'final_url', 'connected_address', 'tls_authorized', 'sha256', 'error_code'] as const;

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // a leading = + - @ would be a formula in a spreadsheet: these values come from hostile hosts
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(item: ScanItem): string {
  const r = item.result;
  const values = [item.line, r.input, r.domain, r.verdict, r.site, r.relation, r.score.toFixed(3), r.pageKind, r.fetch.status, r.fetch.finalUrl, r.fetch.connectedAddress, r.fetch.tls ? r.fetch.tls.authorized : '', r.fetch.sha256, r.error?.code];
  return values.map(csvField).join(',');
}

const TABLE_HEADER = `${'VERDICT'.padEnd(12)} ${'SITE'.padEnd(14)} SCORE ${'PAGE KIND'.padEnd(14)} HTTP ${'ERROR'.padEnd(28)} INPUT`;

function tableRow(r: DomainCheckResult): string {
  const cut = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  return [
    cut(r.verdict.toUpperCase(), 12),
    cut(r.site ?? '-', 14),
    r.score.toFixed(2).padStart(5),
    cut(r.pageKind, 14),
    cut(r.fetch.status === null ? '-' : String(r.fetch.status), 4),
    cut(r.error?.code ?? '', 28),
    r.input,
    r.fetch.finalUrl !== r.fetch.requestedUrl ? `→ ${r.fetch.finalUrl}` : '',
  ].join(' ').trimEnd();
}

function summaryLines(summary: ScanSummary): string[] {
  const v = summary.verdicts;
  const errors = Object.entries(summary.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return [
    `scanned ${summary.total} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.domainsPerSecond.toFixed(1)}/s): ` +
      `mirror ${v.mirror}, likely ${v.likely}, unrelated ${v.unrelated}, inconclusive ${v.inconclusive}` +
      (summary.invalid ? `, not a domain ${summary.invalid}` : ''),
    ...(errors ? [`errors: ${errors}`] : []),
  ];
}

/** One line on a terminal, redrawn at most five times a second. */
function progressLine(io: CliIo, enabled: boolean) {
  let last = 0;
  let shown = false;
  return {
    update(done: number, matched: number, started: number) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const rate = done / Math.max(0.001, (now - started) / 1000);
      io.stderr.write(`\r\x1b[Kscanned ${done}, matched ${matched}, ${rate.toFixed(1)}/s`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'check many domains in one process (no Redis)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, options);
    if (positionals.length > 1) throw usageError('scan reads one FILE (or - for stdin)');
    if (values.json && values.csv) throw usageError('--json and --csv cannot be combined');
    const format: OutputFormat = values.json ? 'json' : values.csv ? 'csv' : 'table';
    const concurrency = parsePositiveInt(values.concurrency, '--concurrency', SCAN_DEFAULTS.concurrency, 256);
    const delayText = values['per-host-delay-ms'];
    if (delayText !== undefined && (!/^\d+$/.test(delayText) || Number(delayText) > 600_000)) throw usageError(`--per-host-delay-ms takes 0..600000, got "${delayText}"`);
    const perHostDelayMs = delayText === undefined ? SCAN_DEFAULTS.perHostDelayMs : Number(delayText);
    const domainCheck = await parseDomainCheckFlags(values);
    const poolSettings = pagePoolSettings(io.env);
    const index = await loadReferenceIndex(values.refs);

    const file = positionals[0] ?? '-';
    const source: NodeJS.ReadableStream = file === '-' ? io.stdin : createReadStream(file);
    let readError: unknown;
    const stream = (async function* () {
      try {
        for await (const chunk of source as AsyncIterable<string | Buffer>) yield chunk;
      } catch (err) {
        readError = err;
      }
    })();

    const progress = progressLine(io, io.stderr.isTTY === true && !values['no-progress']);
    if (format === 'csv') writeLine(io.stdout, CSV_COLUMNS.join(','));
    if (format === 'table') writeLine(io.stdout, TABLE_HEADER);
    let done = 0;
    let matched = 0;
    const started = Date.now();
    const judge = createPagePool(index, poolSettings);
    let summary: ScanSummary;
    try {
      summary = await scanDomains(readTargets(stream), index, { domainCheck, concurrency, perHostDelayMs, judge }, (item) => {
        done++;
        if (item.result.verdict === 'mirror' || item.result.verdict === 'likely') matched++;
        progress.clear();
        const line = format === 'json' ? resultJson({ ...item.result, line: item.line }) : format === 'csv' ? csvRow(item) : tableRow(item.result);
        writeLine(io.stdout, line);
        progress.update(done, matched, started);
      });
    } finally {
      await judge.close();
    }
    progress.clear();

    if (readError) {
      const code = (readError as NodeJS.ErrnoException).code ?? 'EIO';
      throw new HopwatchError('INPUT_UNREADABLE', `cannot read ${file === '-' ? 'stdin' : file}: ${code}`, { cause: readError });
    }
    for (const line of summaryLines(summary)) writeLine(format === 'table' ? io.stdout : io.stderr, line);
    if (summary.invalid > 0) return ExitCode.inputError;
    return matched > 0 ? ExitCode.matched : ExitCode.ok;
  },
};
