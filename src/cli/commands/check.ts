import { checkDomainDetailed } from '../../check/checkDomain.js';
import { createCheckEvidenceWriter, writeCheckEvidence, type EvidenceOutcome } from '../../check/checkEvidence.js';
import { checkPage, unjudgedResult } from '../../check/checkPage.js';
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
       hopwatch check DOMAIN|URL... [--refs PATH] [--json] [--evidence DIR] [live options]

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
  --evidence DIR     write an evidence package (WARC, manifest, body) of every live check
                     into DIR and print its manifest hash (JSON: "evidencePackage": {manifest, warc});
                     check it with \`hopwatch evidence verify HASH --evidence DIR\`
${DOMAIN_CHECK_FLAGS_HELP}
  -h, --help         show this help

Exit codes: 0 nothing matched, 1 at least one mirror or likely match,
2 bad arguments, 3 some input could not be read or fetched, or an evidence
package could not be written (the result is printed all the same).`;

const options = {
  html: { type: 'boolean' },
  domain: { type: 'string' },
  refs: { type: 'string' },
  json: { type: 'boolean' },
  evidence: { type: 'string' },
  ...DOMAIN_CHECK_FLAGS,
} as const;

export type CheckFlags = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/** A saved page that is not a page: say so as an input error, with the result kept for the record. */
function inputProblem(result: CheckResult): HopwatchError | null {
  if (result.pageKind === 'empty' && result.pageKindReason === 'no content') return new HopwatchError('INPUT_EMPTY', `${result.input} is empty`);
  if (result.pageKind === 'not-html') return new HopwatchError('INPUT_NOT_HTML', `${result.input} is not an HTML page (${result.pageKindReason})`);
  return null;
}

function emit(io: CliIo, json: boolean, result: CheckResult, evidence?: EvidenceOutcome): void {
  // `evidence` is already the match's evidence list: the package goes in a field of its own
  if (json) writeLine(io.stdout, resultJson(evidence ? { ...result, evidencePackage: evidence } : result));
  else writeLine(io.stdout, resultText(result) + (evidence ? `\n    ${'manifest' in evidence ? `evidence manifest ${evidence.manifest} (warc ${evidence.warc})` : `evidence not written: ${evidence.error.code}: ${evidence.error.message}`}` : ''));
}

async function checkFiles(files: string[], index: ReferenceIndex, flags: CheckFlags, io: CliIo): Promise<{ matched: boolean; failed: boolean }> {
  let matched = false;
  let failed = false;
  const domain = flags.domain ?? null;
  for (const file of files) {
    let result: CheckResult;
    try {
      const body = await readPageFile(file);
      result = checkPage({ body }, index, { input: file, domain }).result;
      const problem = inputProblem(result);
      if (problem) {
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
    if (values.evidence !== undefined && values.html) throw usageError('--evidence goes with live checks (a saved page has no fetch to archive)');
    if (values.evidence === '') throw usageError('--evidence takes a directory');
    if (values.domain !== undefined && !/^[a-z0-9.-]{1,253}$/i.test(values.domain)) throw usageError(`--domain must be a host name, got "${values.domain}"`);
    const index = await loadReferenceIndex(values.refs);
    const outcome = values.html ? await checkFiles(positionals, index, values, io) : await checkLive(positionals, index, values, io);
    if (outcome.failed) return ExitCode.inputError;
    return outcome.matched ? ExitCode.matched : ExitCode.ok;
  },
};

/** Live checks, one after another: `scan` is the command for many domains at once. */
async function checkLive(targets: string[], index: ReferenceIndex, flags: CheckFlags, io: CliIo): Promise<{ matched: boolean; failed: boolean }> {
  const options = await parseDomainCheckFlags(flags);
  const writer = flags.evidence ? createCheckEvidenceWriter({ dir: flags.evidence, index, domainCheck: options }) : undefined;
  const crawler = createCrawler({ ...options.crawler, ...(writer ? { recordConnections: true } : {}) });
  let matched = false;
  let failed = false;
  try {
    for (const target of targets) {
      const detailed = await checkDomainDetailed(target, index, { ...options, sharedCrawler: crawler });
      const result = detailed.result;
      if (result.verdict === 'mirror' || result.verdict === 'likely') matched = true;
      const evidence = writer && detailed.record ? await writeCheckEvidence(writer, target, detailed) : undefined;
      if (evidence && 'error' in evidence) {
        writeLine(io.stderr, `hopwatch check: ${target}: evidence package not written: ${evidence.error.code}: ${evidence.error.message}`);
        failed = true;
      }
      // an unreachable domain is a result, not a failure of the command
      emit(io, flags.json ?? false, result, evidence);
    }
  } finally {
    await crawler.close();
  }
  return { matched, failed };
}
