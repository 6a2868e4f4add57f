import { writeFile } from 'node:fs/promises';
import { fleetSettings } from '../../config/commandSettings.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../review/exports.js';
import { openReview } from '../../review/openReview.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';

const usage = `Usage: hopwatch export --site ID|--order REF --format blocklist|csv|jsonl|ticket [-o FILE] [--refs FILE]

Export the confirmed domains of one site, or of every site one legal order names (REF from
GET /api/sites or the seeds), straight from the fleet's Redis. Every export passes the
collateral-damage guard (shared CDN/cloud addresses, shared platform hosts) and the four-eyes
rule (HOPWATCH_REVIEW_FOUR_EYES_SITES), and says what it left out and why; the count of
left-out items goes to stderr.

Options:
  --site ID       one site
  --order REF     one legal order
  --format F      blocklist (default), csv, jsonl or ticket (Piracy Shield shape)
  -o, --output F  write to F instead of stdout
  --refs FILE     reference set with the sites and orders (default: the bundled seeds)
  -h, --help      show this help`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export confirmed domains per site or legal order (guarded)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { site: { type: 'string' }, order: { type: 'string' }, format: { type: 'string' }, output: { type: 'string', short: 'o' }, refs: { type: 'string' } });
    if (positionals.length > 0) throw usageError('export takes no arguments');
    if (!values.site === !values.order) throw usageError('give exactly one of --site ID or --order REF');
    const format = (values.format ?? 'blocklist') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw usageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const opened = await openReview(fleetSettings(io.env), { refsPath: values.refs });
    try {
      const out = await opened.service.export({ site: values.site, order: values.order }, format);
      if (values.output) await writeFile(values.output, out.body);
      else io.stdout.write(out.body);
      writeLine(io.stderr, `hopwatch export: ${out.included} item(s) listed, ${out.excluded} left out (reasons in the export)`);
      return ExitCode.ok;
    } finally {
      await opened.close();
    }
  },
};
