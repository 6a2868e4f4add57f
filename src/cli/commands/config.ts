import { describeSettings } from '../../config/settings.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';
import { commandSettings } from '../../config/commandSettings.js';

const usage = `Usage: hopwatch config [-j|--json] [--config FILE]

Print the settings a worker, enqueue or status would run with: every field, its
environment variable, its value (the Redis password masked) and where it came from.
Settings are read once, from --config FILE (the environment's variable names, as JSON
or NAME=VALUE lines), then the environment, then flags, and validated; an invalid value
exits 2. An unknown HOPWATCH_* variable is warned about.

Options:
  -j, --json     one JSON object (name → value; numbers as numbers) instead of the table
  --config FILE  settings file (same names as the environment; the environment wins)
  -h, --help  show this help`;

export const configCommand: Command = {
  name: 'config',
  summary: 'print the fleet settings (env vars, values, defaults)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', short: 'j' }, config: { type: 'string' } });
    if (positionals.length > 0) throw usageError('config takes no arguments');
    const fileVariables = new Set<string>();
    const settings = await commandSettings(io.env, { configFile: values.config, fileVariables, warn: (line) => writeLine(io.stderr, `hopwatch config: ${line}`) });
    const rows = describeSettings(settings, io.env, fileVariables);
    if (values.json) {
      // numbers and booleans as themselves; every string as printed (secrets masked)
      const typed = (name: keyof typeof settings, shown: string): unknown => {
        const value: unknown = settings[name];
        return typeof value === 'number' || typeof value === 'boolean' ? value : shown;
      };
      writeLine(io.stdout, JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, typed(r.name, r.value)]))));
      return ExitCode.ok;
    }
    const widths = [Math.max(...rows.map((r) => r.name.length)), Math.max(...rows.map((r) => r.env.length)), Math.max(...rows.map((r) => r.value.length))];
    for (const r of rows) writeLine(io.stdout, `${r.name.padEnd(widths[0]!)}  ${r.env.padEnd(widths[1]!)}  ${r.value.padEnd(widths[2]!)}  ${r.source}`);
    return ExitCode.ok;
  },
};
