import { fleetSettings } from '../../config/commandSettings.js';
import { openReview } from '../../review/openReview.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch audit verify [--json]

Re-read the review audit log from the fleet's Redis and check its hash chain: every entry's
hash over its content, every link to the entry before, the numbering, and the stored head.
Any edited, deleted, inserted or reordered entry is reported with its position.

Exit codes: 0 the chain holds, 1 it does not (problems listed), 3 Redis cannot be read.

Options:
  --json      one JSON object
  -h, --help  show this help`;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'audit verify: check the hash chain of review decisions',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (positionals[0] !== 'verify' || positionals.length !== 1) throw usageError('the audit subcommand is `verify`');
    const opened = await openReview(fleetSettings(io.env));
    try {
      const report = await opened.service.verifyAudit();
      if (values.json) writeLine(io.stdout, JSON.stringify(report));
      else if (report.ok) writeLine(io.stdout, `ok: ${report.entries} entries, head ${report.head.hash}`);
      else {
        for (const p of report.problems) writeLine(io.stdout, `entry ${p.position}: ${p.problem}`);
        writeLine(io.stdout, `FAILED: ${report.problems.length} problem(s) in ${report.entries} entries`);
      }
      return report.ok ? ExitCode.ok : ExitCode.matched;
    } finally {
      await opened.close();
    }
  },
};
