/**
 * `hopwatch evidence verify FILE|HASH`: re-read an evidence package and say `ok` or exactly what
 * differs. Exit 0 ok, 1 something differs, 2 bad arguments, 3 the manifest cannot be found.
 */
import { fleetSettings } from '../../config/commandSettings.js';
import { isHopwatchError } from '../../errors.js';
import { verifyEvidencePackage } from '../../evidence/verifyPackage.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch evidence verify FILE|HASH [--evidence DIR] [--json]

Verify an evidence package: FILE is a manifest file (<sha256>.manifest.json), HASH a manifest's
SHA-256 (the \`manifest\` field of a feed entry or of \`check --evidence\` output) looked up in
the evidence directory. Re-reads the WARC with warcio, re-hashes every record's block and
payload and the whole file, compares them and the body and screenshot files with the manifest,
and prints \`ok\` or one line per difference.

Options:
  --evidence DIR   the evidence directory (default HOPWATCH_EVIDENCE_DIR; for FILE, the
                   directory two levels above it)
  --json           print the report as one JSON object
  -h, --help       show this help

Exit codes: 0 ok, 1 the package differs from its manifest, 2 bad arguments,
            3 the manifest cannot be found or read.`;

const options = {
  evidence: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const evidenceCommand: Command = {
  name: 'evidence',
  summary: 'verify an evidence package (`evidence verify FILE|HASH`)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, options);
    const [sub, target, ...extra] = positionals;
    if (sub !== 'verify') throw usageError(sub === undefined ? 'missing subcommand: evidence verify FILE|HASH' : `unknown subcommand "${sub}"`);
    if (target === undefined || target === '') throw usageError('evidence verify takes a manifest file or hash');
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`);
    const root = values.evidence ?? (fleetSettings(io.env).evidenceDir || undefined);
    let report;
    try {
      report = await verifyEvidencePackage({ target, ...(root ? { root } : {}) });
    } catch (err) {
      if (isHopwatchError(err) && err.code === 'EVIDENCE_NOT_FOUND') {
        writeLine(io.stderr, `hopwatch evidence: ${err.code}: ${err.message}`);
        return ExitCode.inputError;
      }
      throw err;
    }
    if (values.json) writeLine(io.stdout, JSON.stringify(report));
    else if (report.ok) writeLine(io.stdout, `ok ${report.manifest} (${report.checked.records} WARC records, ${report.checked.files.length} files)`);
    else {
      writeLine(io.stdout, `differs ${report.manifest}`);
      for (const line of report.differences) writeLine(io.stdout, `  ${line}`);
    }
    return report.ok ? ExitCode.ok : ExitCode.matched;
  },
};
