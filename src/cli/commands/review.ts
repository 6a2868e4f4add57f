import { fleetSettings } from '../../config/commandSettings.js';
import { openReview } from '../../review/openReview.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch review ID --confirm|--reject|--needs-more --reason TEXT [--reviewer NAME]

Record a review decision on a match (ID from \`hopwatch matches\`), straight into the fleet's
Redis: appended to the hash-chained audit log, never editing an earlier decision. The reviewer
is recorded as cli:NAME, NAME from --reviewer or HOPWATCH_REVIEWER.

Options:
  --confirm | --reject | --needs-more   the decision (exactly one)
  --reason TEXT     why (required, 3..2000 characters)
  --reviewer NAME   who decides (default HOPWATCH_REVIEWER)
  -h, --help        show this help

Prints the audit entry as one JSON line.`;

export const reviewCommand: Command = {
  name: 'review',
  summary: 'confirm, reject or ask more of a match (audit-logged)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      confirm: { type: 'boolean' }, reject: { type: 'boolean' }, 'needs-more': { type: 'boolean' }, reason: { type: 'string' }, reviewer: { type: 'string' },
    });
    if (positionals.length !== 1) throw usageError('review takes one match ID');
    const chosen = (['confirm', 'reject', 'needs-more'] as const).filter((d) => values[d]);
    if (chosen.length !== 1) throw usageError('give exactly one of --confirm, --reject, --needs-more');
    if (!values.reason) throw usageError('--reason TEXT is required');
    const settings = fleetSettings(io.env, { reviewer: values.reviewer });
    if (!settings.reviewer) throw usageError('who decides? give --reviewer NAME or set HOPWATCH_REVIEWER');
    const opened = await openReview(settings);
    try {
      const decision = await opened.service.decide(positionals[0]!, chosen[0], values.reason, `cli:${settings.reviewer}`);
      writeLine(io.stdout, JSON.stringify(decision));
      return ExitCode.ok;
    } finally {
      await opened.close();
    }
  },
};
