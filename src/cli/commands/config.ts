import { describeSettings } from '../../config/settings.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';
import { fleetSettings } from '../../config/commandSettings.js';

const usage = `Usage: hopwatch config [--json]

Print the settings a worker, enqueue or status would run with: every field, its
environment variable, its value (the Redis password masked) and where it came from.
Settings are read from the environment once and validated; an invalid value exits 2.

Options:
  --json      one JSON object (name → value) instead of the table
  -h, --help  show this help`;

export const configCommand: Command = {
  name: 'config',
  summary: 'print the fleet settings (env vars, values, defaults)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (positionals.length > 0) throw usageError('config takes no arguments');
    const settings = fleetSettings(io.env);
    const rows = describeSettings(settings, io.env);
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.value]))));
      return ExitCode.ok;
    }
    const widths = [Math.max(...rows.map((r) => r.name.length)), Math.max(...rows.map((r) => r.env.length)), Math.max(...rows.map((r) => r.value.length))];
    for (const r of rows) writeLine(io.stdout, `${r.name.padEnd(widths[0]!)}  ${r.env.padEnd(widths[1]!)}  ${r.value.padEnd(widths[2]!)}  ${r.source}`);
    return ExitCode.ok;
  },
};
