import { checkDomain } from '../../check/checkDomain.js';
import { unjudgedResult } from '../../check/checkPage.js';
import { createPagePool } from '../../check/pagePool.js';
import type { PageJudge } from '../../check/pageJudge.js';
import { pagePoolSettings } from '../../config/commandSettings.js';
import { DOMAIN_CHECK_FLAGS, DOMAIN_CHECK_FLAGS_HELP, parseDomainCheckFlags } from '../../check/domainCheckOptions.js';
import { createCrawler } from '../../crawler/crawler.js';
import { loadReferenceIndex } from '../../check/referenceSource.js';
import { describeError, HopwatchError, isHopwatchError } from '../../errors.js';
import type { ReferenceIndex } from '../../match/referenceIndex.js';
import type { CheckResult } from '../../match/types.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo, type Command } from '../io.js';
import { readPageFile } from '../pageFile.js';
import { resultJson, resultText } from '../resultFormat.js';

const usage = `Usage: hopwatch check --html FILE... [--domain HOST] [--refs PATH] [--json]
       hopwatch check DOMAIN|URL... [--refs PATH] [--json] [live options]

Check saved pages, or live domains, against the blocked sites. Each input gets a
verdict: mirror (one of the blocked sites), likely (worth a human look),
unrelated, or inconclusive (challenge, parked, default-server, error or empty
page: never matched), with the best site, a relation (mirror or same-operator),
a score in 0..1 and the evidence.

Options:
  --html FILE        a saved page (repeatable; the remaining arguments are files too)
  --domain HOST      the host the saved pages were served from (adds host-name evidence)
  --refs PATH        a reference-set file (default: the bundled seeds/)
  --json             one JSON object per line (input, domain, pageKind, verdict, site,
                     relation, score, evidence, related, error)
${DOMAIN_CHECK_FLAGS_HELP}
  -h, --help         show this help

Exit codes: 0 nothing matched, 1 at least one mirror or likely match,
2 bad arguments, 3 some input could not be read or fetched.`;

const options = {
  html: { type: 'boolean' },
  domain: { type: 'string' },
  refs: { type: 'string' },
  json: { type: 'boolean' },
  ...DOMAIN_CHECK_FLAGS,
} as const;

export type CheckFlags = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/** A saved page that is not a page: say so as an input error, with the result kept for the record. */
function inputProblem(result: CheckResult): HopwatchError | null {
  if (result.pageKind === 'empty' && result.pageKindReason === 'no content') return new HopwatchError('INPUT_EMPTY', `${result.input} is empty`);
  if (result.pageKind === 'not-html') return new HopwatchError('INPUT_NOT_HTML', `${result.input} is not an HTML page (${result.pageKindReason})`);
  return null;
}

function emit(io: CliIo, json: boolean, result: CheckResult): void {
  writeLine(io.stdout, json ? resultJson(result) : resultText(result));
}

async function checkFiles(files: string[], judge: PageJudge, flags: CheckFlags, io: CliIo): Promise<{ matched: boolean; failed: boolean }> {
  let matched = false;
  let failed = false;
  const domain = flags.domain ?? null;
  for (const file of files) {
    let result: CheckResult;
    try {
      const body = await readPageFile(file);
      result = (await judge.judge({ body }, { input: file, domain })).result;
      const problem = inputProblem(result);
      if (result.error) {
        // the page was cut off or killed its thread: it was not judged
        writeLine(io.stderr, `hopwatch check: ${result.error.code}: ${file}: ${result.error.message}`);
        failed = true;
      } else if (problem) {
        result = { ...result, error: { code: problem.code, message: problem.message } };
        writeLine(io.stderr, `hopwatch check: ${describeError(problem)}`);
        failed = true;
      }
    } catch (err) {
      if (!isHopwatchError(err)) throw err;
      writeLine(io.stderr, `hopwatch check: ${describeError(err)}`);
      result = unjudgedResult(file, domain, { code: err.code, message: err.message });
      failed = true;
    }
    if (result.verdict === 'mirror' || result.verdict === 'likely') matched = true;
    emit(io, flags.json ?? false, result);
  }
  return { matched, failed };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check saved pages (--html) or live domains against the blocked sites',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, options);
    if (positionals.length === 0) throw usageError(values.html ? '--html needs at least one file' : 'give --html FILE... or at least one domain');
    if (values.domain !== undefined && !values.html) throw usageError('--domain goes with --html (a live check knows its domain)');
    if (values.domain !== undefined && !/^[a-z0-9.-]{1,253}$/i.test(values.domain)) throw usageError(`--domain must be a host name, got "${values.domain}"`);
    const { deadlineMs } = pagePoolSettings(io.env);
    const index = await loadReferenceIndex(values.refs);
    // one thread: the same isolated path and deadline as the fleet, sized for one page at a time
    const judge = createPagePool(index, { threads: 1, deadlineMs });
    let outcome: { matched: boolean; failed: boolean };
    try {
      outcome = values.html ? await checkFiles(positionals, judge, values, io) : await checkLive(positionals, index, judge, values, io);
    } finally {
      await judge.close();
    }
    if (outcome.failed) return ExitCode.inputError;
    return outcome.matched ? ExitCode.matched : ExitCode.ok;
  },
};

/** Live checks, one after another: `scan` is the command for many domains at once. */
async function checkLive(targets: string[], index: ReferenceIndex, judge: PageJudge, flags: CheckFlags, io: CliIo): Promise<{ matched: boolean; failed: boolean }> {
  const options = await parseDomainCheckFlags(flags);
  const crawler = createCrawler(options.crawler);
  let matched = false;
  try {
    for (const target of targets) {
      const result = await checkDomain(target, index, { ...options, sharedCrawler: crawler, judge });
      if (result.verdict === 'mirror' || result.verdict === 'likely') matched = true;
      // an unreachable domain is a result, not a failure of the command
      emit(io, flags.json ?? false, result);
    }
  } finally {
    await crawler.close();
  }
  return { matched, failed: false };
}
