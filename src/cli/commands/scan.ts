import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DomainCheckResult } from '../../check/checkDomain.js';
import { DOMAIN_CHECK_FLAGS, DOMAIN_CHECK_FLAGS_HELP, parseDomainCheckFlags } from '../../check/domainCheckOptions.js';
import { createCheckEvidenceWriter } from '../../check/checkEvidence.js';
import { createPagePool } from '../../check/pagePool.js';
import { loadReferenceIndex } from '../../check/referenceSource.js';
import { pagePoolSettings } from '../../config/commandSettings.js';
import { readTargets, scanDomains, SCAN_DEFAULTS, type ScanItem, type ScanSummary } from '../../check/scanDomains.js';
import { HopwatchError } from '../../errors.js';
import { INPUT_FLAGS, OUTPUT_FLAGS, outputFlags, parseCommandArgs, parseNonNegativeInt, parsePositiveInt, usageError } from '../args.js';
import { commandInputs } from '../inputs.js';
import { exitCodeFor, interruptSignal, writeLine, type CliIo, type Command } from '../io.js';
import { csvField, evidenceCell, openResultSink, paintVerdict } from '../output.js';
import { resultJson } from '../resultFormat.js';

const usage = `Usage: hopwatch scan [FILE|-] [-l FILE]... [--refs PATH] [output options]
                    [-c N] [--per-host-delay-ms N] [--evidence DIR] [live options]

Check many domains (or URLs) in one process, without Redis: one per line of FILE,
of the -l list files, or of stdin with - or no FILE (first field of each line;
blank lines and # comments skipped; a line that is not a domain is reported as
such). Results are printed as each check completes (not in input order): a table
with a header row, JSON lines (--json: the same fields as check --json plus the
fetch record summary), or CSV (--csv, with an evidence column). A summary naming
the matched domains follows (on stderr with --json / --csv / -o). On a terminal a
progress line shows done/total, rate and ETA. Ctrl-C stops: the checks running
are abandoned, the summary of what was done is printed, exit 130.

Options:
  --refs PATH              a reference-set file (default: the bundled seeds/)
  -l, --list FILE          read domains from FILE (repeatable; - = stdin)
  -j, --json               one JSON object per line
  --csv                    CSV with a header row
  -o, --output FILE        write results to FILE instead of stdout
  --silent                 results only: no header, summary, progress or notices
  -c, --concurrency N      checks at once (default ${SCAN_DEFAULTS.concurrency}, at most 256)
  --per-host-delay-ms N    least time between two checks of one host (default ${SCAN_DEFAULTS.perHostDelayMs})
  --no-progress            never show the progress line
  --evidence DIR           write an evidence package (WARC, manifest, body) of every check into
                           DIR; its manifest hash is the JSON field "evidencePackage":
                           {manifest, warc}, the CSV column manifest, the end of a table row
  -h, --help               show this help
${DOMAIN_CHECK_FLAGS_HELP}

Exit codes: 1 if any domain matched (mirror or likely), else 3 if the input could not
be read, held lines that are not domains, a domain could not be fetched, or an
evidence package could not be written, else 0;
2 bad arguments; 70 internal error; 130 interrupted.`;

const options = {
  refs: { type: 'string' },
  ...INPUT_FLAGS,
  ...OUTPUT_FLAGS,
  concurrency: { type: 'string', short: 'c' },
  'per-host-delay-ms': { type: 'string' },
  'no-progress': { type: 'boolean' },
  evidence: { type: 'string' },
  ...DOMAIN_CHECK_FLAGS,
} as const;

const CSV_COLUMNS = ['line', 'input', 'domain', 'verdict', 'site', 'relation', 'score', 'page_kind', 'status', 'final_url', 'connected_address', 'tls_authorized', 'sha256', 'error_code', 'evidence'] as const;

function packageHash(item: ScanItem): string {
  return item.evidence && 'manifest' in item.evidence ? item.evidence.manifest : '';
}

function csvRow(item: ScanItem, withPackages: boolean): string {
  const r = item.result;
  const values = [item.line, r.input, r.domain, r.verdict, r.site, r.relation, r.score.toFixed(3), r.pageKind, r.fetch.status, r.fetch.finalUrl, r.fetch.connectedAddress, r.fetch.tls ? r.fetch.tls.authorized : '', r.fetch.sha256, r.error?.code, evidenceCell(r)];
  if (withPackages) values.push(packageHash(item));
  return values.map(csvField).join(',');
}

const TABLE_HEADER = `${'VERDICT'.padEnd(12)} ${'SITE'.padEnd(14)} ${'RELATION'.padEnd(13)} SCORE ${'PAGE KIND'.padEnd(14)} HTTP ${'ERROR'.padEnd(28)} INPUT`;

function tableRow(r: DomainCheckResult, colour: boolean): string {
  const cut = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  return [
    paintVerdict(cut(r.verdict.toUpperCase(), 12), r.verdict, colour),
    cut(r.site ?? '-', 14),
    cut(r.relation ?? '-', 13),
    r.score.toFixed(2).padStart(5),
    cut(r.pageKind, 14),
    cut(r.fetch.status === null ? '-' : String(r.fetch.status), 4),
    cut(r.error?.code ?? '', 28),
    r.input,
    r.fetch.finalUrl !== r.fetch.requestedUrl ? `→ ${r.fetch.finalUrl}` : '',
  ].join(' ').trimEnd();
}

function summaryLines(summary: ScanSummary, matchedNames: string[], matchedCount: number, interrupted: boolean): string[] {
  const v = summary.verdicts;
  const errors = Object.entries(summary.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const more = matchedCount > matchedNames.length ? ` and ${matchedCount - matchedNames.length} more` : '';
  return [
    `${interrupted ? 'interrupted; ' : ''}scanned ${summary.total} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.domainsPerSecond.toFixed(1)}/s): ` +
      `mirror ${v.mirror}, likely ${v.likely}, unrelated ${v.unrelated}, inconclusive ${v.inconclusive}` +
      (summary.invalid ? `, not a domain ${summary.invalid}` : ''),
    ...(errors ? [`errors: ${errors}`] : []),
    matchedCount > 0 ? `matched: ${matchedNames.join(', ')}${more}` : 'no match',
  ];
}

/** Lines of the list files, counted before the scan so progress can show a total and an ETA. */
async function countLines(files: string[]): Promise<number | null> {
  if (files.length === 0 || files.includes('-')) return null;
  let total = 0;
  for (const file of files) {
    const info = await stat(file).catch(() => null);
    // a FIFO or device has no size to count ahead; the scan's own read reports what is wrong
    if (!info?.isFile()) return null;
    for await (const target of readTargets(createReadStream(file) as AsyncIterable<Buffer>)) if (target) total++;
  }
  return total;
}

/** One line on a terminal, redrawn at most five times a second. */
function progressLine(io: CliIo, enabled: boolean) {
  let last = 0;
  let shown = false;
  return {
    update(done: number, matched: number, started: number, total: number | null) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const rate = done / Math.max(0.001, (now - started) / 1000);
      const eta = total !== null && rate > 0 ? `, ETA ${formatSeconds(Math.max(0, total - done) / rate)}` : '';
      io.stderr.write(`\r\x1b[Kscanned ${done}${total !== null ? `/${total}` : ''}, matched ${matched}, ${rate.toFixed(1)}/s${eta}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.ceil(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'check many domains in one process (no Redis)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, options);
    if (positionals.length > 1) throw usageError('scan reads one FILE (or - for stdin); more files go with -l FILE');
    const choice = outputFlags(values);
    const format = choice.format;
    const concurrency = parsePositiveInt(values.concurrency, '--concurrency', SCAN_DEFAULTS.concurrency, 256);
    const perHostDelayMs = parseNonNegativeInt(values['per-host-delay-ms'], '--per-host-delay-ms', SCAN_DEFAULTS.perHostDelayMs, 600_000);
    if (values.evidence === '') throw usageError('--evidence takes a directory');
    const domainCheck = await parseDomainCheckFlags(values);
    const poolSettings = pagePoolSettings(io.env);
    const index = await loadReferenceIndex(values.refs);
    const evidence = values.evidence ? createCheckEvidenceWriter({ dir: values.evidence, index, domainCheck }) : undefined;
    let evidenceFailures = 0;

    const files = [...positionals, ...(values.list ?? [])];
    if (files.length === 0) files.push('-');
    const total = await countLines(files);
    const sink = await openResultSink(io, choice.output);
    const interrupt = interruptSignal(io);
    let readError: unknown;
    const targets = (async function* () {
      try {
        for await (const item of commandInputs({ positionals: [], lists: files, io, command: 'hopwatch scan', silent: choice.silent })) yield item;
      } catch (err) {
        readError = err;
      }
    })();

    const progress = progressLine(io, io.stderr.isTTY === true && !values['no-progress'] && !choice.silent);
    if (format === 'csv') writeLine(sink.stream, [...CSV_COLUMNS, ...(evidence ? ['manifest'] : [])].join(','));
    if (format === 'text' && !choice.silent) writeLine(sink.stream, TABLE_HEADER);
    let done = 0;
    let matched = 0;
    let failed = 0;
    const matchedNames: string[] = [];
    const started = Date.now();
    let summary: ScanSummary;
    // pages are judged off the event loop, so a slow one cannot make the other checks time out
    const judge = createPagePool(index, poolSettings);
    try {
      summary = await scanDomains(targets, index, { domainCheck, concurrency, perHostDelayMs, signal: interrupt.signal, judge, ...(evidence ? { evidence } : {}) }, (item) => {
        // checks cut short by Ctrl-C are not results
        if (interrupt.signal.aborted && item.result.error?.code === 'CRAWL_ABORTED') return;
        done++;
        if (item.result.error) failed++;
        if (item.result.verdict === 'mirror' || item.result.verdict === 'likely') {
          matched++;
          if (matchedNames.length < 20) matchedNames.push(item.result.input);
        }
        progress.clear();
        if (item.evidence && 'error' in item.evidence) {
          evidenceFailures++;
          writeLine(io.stderr, `hopwatch scan: ${item.result.input}: evidence package not written: ${item.evidence.error.code}: ${item.evidence.error.message}`);
        }
        const line =
          format === 'json'
            ? resultJson({ ...item.result, line: item.line, ...(item.evidence ? { evidencePackage: item.evidence } : {}) })
            : format === 'csv'
              ? csvRow(item, evidence !== undefined)
              : `${tableRow(item.result, sink.colour)}${packageHash(item) ? ` evidence ${packageHash(item)}` : ''}`;
        writeLine(sink.stream, line);
        progress.update(done, matched, started, total);
      });
    } finally {
      await judge.close();
      progress.clear();
      interrupt.dispose();
      await sink.close();
    }

    if (readError) throw readError instanceof HopwatchError ? readError : new HopwatchError('INPUT_UNREADABLE', `cannot read the input: ${String(readError)}`, { cause: readError });
    const interrupted = interrupt.signal.aborted;
    if (!choice.silent) {
      const summaryStream = format === 'text' && choice.output === null ? io.stdout : io.stderr;
      for (const line of summaryLines(summary, matchedNames, matched, interrupted)) writeLine(summaryStream, line);
    }
    return exitCodeFor({ matched: matched > 0, failed: failed > 0 || summary.invalid > 0 || evidenceFailures > 0, interrupted });
  },
};
