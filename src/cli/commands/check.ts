import { checkDomainDetailed } from '../../check/checkDomain.js';
import { createCheckEvidenceWriter, writeCheckEvidence, type EvidenceOutcome } from '../../check/checkEvidence.js';
import { unjudgedResult } from '../../check/checkPage.js';
import { createPagePool } from '../../check/pagePool.js';
import type { PageJudge } from '../../check/pageJudge.js';
import { pagePoolSettings } from '../../config/commandSettings.js';
import { parseDomainInput } from '../../check/domainInput.js';
import { DOMAIN_CHECK_FLAGS, DOMAIN_CHECK_FLAGS_HELP, parseDomainCheckFlags } from '../../check/domainCheckOptions.js';
import { createCrawler } from '../../crawler/crawler.js';
import { loadReferenceIndex } from '../../check/referenceSource.js';
import { describeError, HopwatchError, isHopwatchError } from '../../errors.js';
import type { ReferenceIndex } from '../../match/referenceIndex.js';
import type { CheckResult } from '../../match/types.js';
import { INPUT_FLAGS, OUTPUT_FLAGS, outputFlags, parseCommandArgs, usageError, type OutputChoice } from '../args.js';
import { commandInputs } from '../inputs.js';
import { exitCodeFor, interruptSignal, writeLine, type CliIo, type Command } from '../io.js';
import { csvField, evidenceCell, openResultSink, RunTally, type ResultSink } from '../output.js';
import { readBoundedStream, readPageFile } from '../pageFile.js';
import { resultJson, resultText } from '../resultFormat.js';

const usage = `Usage: hopwatch check --html FILE...|- [--domain HOST] [--refs PATH] [output options]
       hopwatch check DOMAIN|URL...|- [-l FILE] [--refs PATH] [--evidence DIR] [output options] [live options]

Check saved pages, or live domains, against the blocked sites. Each input gets a
verdict: mirror (one of the blocked sites), likely (worth a human look),
unrelated, or inconclusive (challenge, parked, default-server, error or empty
page: never matched), with the best site, a relation (mirror or same-operator),
a score in 0..1 and the evidence. Domains come from the arguments, from stdin
(-) and from list files (-l); --html - reads one page from stdin.

Options:
  --html FILE        check saved pages: FILE (--html=FILE too) and the remaining
                     arguments; - reads one page from stdin
  --domain HOST      the host the saved pages were served from (adds host-name evidence)
  --refs PATH        a reference-set file (default: the bundled seeds/)
  -l, --list FILE    more domains, one per line (repeatable; - = stdin)
  -j, --json         one JSON object per line (input, domain, pageKind, verdict, site,
                     relation, score, evidence, related, error)
  --csv              CSV with a header row (evidence in one column)
  -o, --output FILE  write results to FILE instead of stdout
  --silent           results only: no summary line
  --evidence DIR     write an evidence package (WARC, manifest, body) of every live check
                     into DIR and print its manifest hash (JSON: "evidencePackage":
                     {manifest, warc}; CSV: a manifest column; text: an "evidence" line);
                     check it with \`hopwatch evidence verify HASH --evidence DIR\`
${DOMAIN_CHECK_FLAGS_HELP}
  -h, --help         show this help

Exit codes: 1 if any input matched (mirror or likely), else 3 if any input could
not be read or fetched (or an evidence package could not be written), else 0;
2 bad arguments; 70 internal error; 130 interrupted.`;

const options = {
  // a string (repeatable), so --html=FILE works like --html FILE; more files may follow it
  html: { type: 'string', multiple: true },
  domain: { type: 'string' },
  refs: { type: 'string' },
  evidence: { type: 'string' },
  ...INPUT_FLAGS,
  ...OUTPUT_FLAGS,
  ...DOMAIN_CHECK_FLAGS,
} as const;

export type CheckFlags = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

const CSV_COLUMNS = ['input', 'domain', 'verdict', 'site', 'relation', 'score', 'page_kind', 'status', 'final_url', 'error_code', 'evidence'] as const;

/** A saved page that is not a page: say so as an input error, with the result kept for the record. */
function inputProblem(result: CheckResult): HopwatchError | null {
  if (result.pageKind === 'empty' && result.pageKindReason === 'no content') return new HopwatchError('INPUT_EMPTY', `${result.input} is empty`);
  if (result.pageKind === 'not-html') return new HopwatchError('INPUT_NOT_HTML', `${result.input} is not an HTML page (${result.pageKindReason})`);
  return null;
}

type Emit = (result: CheckResult, evidencePackage?: EvidenceOutcome) => void;

function packageText(outcome: EvidenceOutcome): string {
  return 'manifest' in outcome ? `    evidence manifest ${outcome.manifest} (warc ${outcome.warc})` : `    evidence not written: ${outcome.error.code}: ${outcome.error.message}`;
}

/** `withPackages`: `--evidence` was given, so CSV has a manifest column (JSON and text show the package when there is one). */
function emitter(sink: ResultSink, choice: OutputChoice, withPackages: boolean): Emit {
  if (choice.format === 'csv') writeLine(sink.stream, [...CSV_COLUMNS, ...(withPackages ? ['manifest'] : [])].join(','));
  return (result, evidencePackage) => {
    const fetched = (result as CheckResult & { fetch?: { status: number | null; finalUrl: string } }).fetch;
    const manifest = evidencePackage && 'manifest' in evidencePackage ? evidencePackage.manifest : '';
    const line =
      choice.format === 'json'
        ? // `evidence` is the match's evidence list already: the package has a field of its own
          resultJson(evidencePackage ? { ...result, evidencePackage } : result)
        : choice.format === 'csv'
          ? [result.input, result.domain, result.verdict, result.site, result.relation, result.score.toFixed(3), result.pageKind, fetched?.status, fetched?.finalUrl, result.error?.code, evidenceCell(result), ...(withPackages ? [manifest] : [])].map(csvField).join(',')
          : resultText(result, 4, sink.colour) + (evidencePackage ? `\n${packageText(evidencePackage)}` : '');
    writeLine(sink.stream, line);
  };
}

async function checkFiles(files: string[], judge: PageJudge, flags: CheckFlags, io: CliIo, emit: Emit, tally: RunTally): Promise<void> {
  const domain = flags.domain ?? null;
  for (const file of files) {
    let result: CheckResult;
    try {
      const body = file === '-' ? await readBoundedStream(io.stdin as AsyncIterable<Buffer>, 'stdin') : await readPageFile(file);
      result = (await judge.judge({ body }, { input: file, domain })).result;
      const problem = inputProblem(result);
      if (result.error) {
        // the page was cut off at the deadline or killed its thread: it was not judged
        writeLine(io.stderr, `hopwatch check: ${result.error.code}: ${file}: ${result.error.message}`);
      } else if (problem) {
        result = { ...result, error: { code: problem.code, message: problem.message } };
        writeLine(io.stderr, `hopwatch check: ${describeError(problem)}`);
      }
    } catch (err) {
      if (!isHopwatchError(err)) throw err;
      writeLine(io.stderr, `hopwatch check: ${describeError(err)}`);
      result = unjudgedResult(file, domain, { code: err.code, message: err.message });
    }
    tally.add(result);
    emit(result);
  }
}

/** Live checks, one after another; returns how many evidence packages could not be written. */
async function checkLive(values: CheckFlags, positionals: string[], index: ReferenceIndex, judge: PageJudge, io: CliIo, emit: Emit, tally: RunTally, signal: AbortSignal, silent: boolean): Promise<number> {
  const options = await parseDomainCheckFlags(values);
  const writer = values.evidence ? createCheckEvidenceWriter({ dir: values.evidence, index, domainCheck: options }) : undefined;
  // evidence records every connection's TLS chain
  const crawler = createCrawler({ ...options.crawler, ...(writer ? { recordConnections: true } : {}) });
  let evidenceFailures = 0;
  try {
    for await (const item of commandInputs({ positionals, lists: values.list, io, command: 'hopwatch check', silent })) {
      if (signal.aborted) break;
      const detailed = await checkDomainDetailed(item.target, index, { ...options, sharedCrawler: crawler, judge }, signal);
      const result = detailed.result;
      if (signal.aborted && result.error?.code === 'CRAWL_ABORTED') break;
      // a package that cannot be written never hides the check's result: it is printed all the same
      const evidencePackage = writer && detailed.record ? await writeCheckEvidence(writer, item.target, detailed) : undefined;
      if (evidencePackage && 'error' in evidencePackage) {
        evidenceFailures++;
        writeLine(io.stderr, `hopwatch check: ${result.input}: evidence package not written: ${evidencePackage.error.code}: ${evidencePackage.error.message}`);
      }
      tally.add(result);
      emit(result, evidencePackage);
    }
  } finally {
    await crawler.close();
  }
  return evidenceFailures;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check saved pages (--html) or live domains against the blocked sites',
  usage,
  async run(argv, io) {
    const parsed = parseCommandArgs(argv, options);
    const values = parsed.values;
    const htmlMode = values.html !== undefined;
    // `--html a.html b.html`: the first file is the flag's value, the rest are positionals
    const positionals = htmlMode ? [...(values.html ?? []), ...parsed.positionals] : parsed.positionals;
    const choice = outputFlags(values);
    if (positionals.length === 0 && (values.list ?? []).length === 0) throw usageError(htmlMode ? '--html needs at least one file (or - for stdin)' : 'give --html FILE... or at least one domain (or - / -l FILE)');
    if (htmlMode && values.list) throw usageError('-l/--list goes with domains, not --html');
    if (htmlMode && positionals.filter((p) => p === '-').length > 1) throw usageError('--html - reads one page from stdin; give - once');
    if (values.domain !== undefined && !htmlMode) throw usageError('--domain goes with --html (a live check knows its domain)');
    if (values.evidence !== undefined && values.html) throw usageError('--evidence goes with live checks (a saved page has no fetch to archive)');
    if (values.evidence === '') throw usageError('--evidence takes a directory');
    if (values.domain !== undefined) {
      const parsed = parseDomainInput(values.domain);
      if (!parsed.ok || parsed.url) throw usageError(`--domain must be a host name, got "${parsed.ok ? values.domain : parsed.display}"${parsed.ok ? '' : `: ${parsed.reason}`}`);
      values.domain = parsed.host;
    }
    const { deadlineMs } = pagePoolSettings(io.env);
    const index = await loadReferenceIndex(values.refs);
    const sink = await openResultSink(io, choice.output);
    // one thread: the same isolated path and deadline as the fleet, sized for one page at a time
    const judge = createPagePool(index, { threads: 1, deadlineMs });
    const emit = emitter(sink, choice, values.evidence !== undefined);
    const tally = new RunTally();
    const interrupt = interruptSignal(io);
    let evidenceFailures = 0;
    try {
      if (htmlMode) await checkFiles(positionals, judge, values, io, emit, tally);
      else evidenceFailures = await checkLive(values, positionals, index, judge, io, emit, tally, interrupt.signal, choice.silent);
    } finally {
      await judge.close();
      interrupt.dispose();
      await sink.close();
    }
    const interrupted = interrupt.signal.aborted;
    if (!choice.silent && (tally.total > 1 || interrupted)) writeLine(io.stderr, `${interrupted ? 'interrupted; ' : ''}${tally.summary()}`);
    return exitCodeFor({ matched: tally.matched > 0, failed: tally.failed > 0 || evidenceFailures > 0, interrupted });
  },
};
